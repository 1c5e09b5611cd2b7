/**
 * The certificate parser: real certificates parse to what OpenSSL reads from them; structural rule
 * breaks are refused; the three recordable rule breaks are recorded, not thrown.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { pemDecode } from '../../../../ceremony/codec/index.js';
import { parseCertificate } from '../../../../ceremony/attest/x509/index.js';
import { MalformedError } from '../../../../ceremony/errors.js';
import type { TestSigner } from '../support/cert-write.js';
import { ECDSA_SHA256_NULL, newSigner, writeCert } from '../support/cert-write.js';
import { basicConstraints } from '../support/emulated-fixtures.js';
import { hex, octets, utf8 } from '../support/der-write.js';
import { VECTORS, pemCert } from '../support/vectors.js';

let signer: TestSigner;
const base = () => ({
  subject: 'leaf',
  issuer: 'issuer',
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2030-01-01T00:00:00Z'),
  spki: signer.spki,
});
beforeAll(async () => {
  signer = await newSigner('p256');
});

/** The first index of `needle` in `hay`. */
function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  for (let i = from; i + needle.length <= hay.length; i++)
    if (needle.every((b, j) => hay[i + j] === b)) return i;
  return -1;
}
const refused = (der: Uint8Array, pattern: RegExp) => {
  try {
    parseCertificate(der, 'cert');
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedError);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  expect.fail('accepted');
};

describe('parseCertificate: real certificates', () => {
  const file = 'yubihsm2/key-0x7e57-attestation.pem';

  it('reads the YubiHSM 2 key attestation as OpenSSL does', () => {
    const c = parseCertificate(pemCert(file), file);
    expect(c.version).toBe(3);
    expect(c.serialNumber).toBe(0x0107c9037b1292fbfd818bb3a43130adn);
    expect(c.subject).toBe('CN=YubiHSM Attestation id:0x7e57');
    expect(c.issuer).toBe('CN=YubiHSM Attestation (31650425)');
    expect(c.notBefore).toEqual(new Date('2017-01-01T00:00:00Z'));
    expect(c.notAfter).toEqual(new Date('2071-10-05T00:00:00Z'));
    expect(c.signatureAlgorithm.oid).toBe('1.2.840.113549.1.1.11');
    expect(c.extensions.map((e) => e.oid.split('.').at(-1))).toEqual(['1', '2', '3', '4', '5', '6', '9']);
    expect(c.irregularities).toEqual([]);
    const pub = execFileSync('openssl', ['x509', '-in', VECTORS + file, '-noout', '-pubkey']).toString();
    expect(c.spki).toEqual(pemDecode(pub, 'PUBLIC KEY'));
    // The TBS is the second element openssl lists at depth 1.
    expect(c.tbs[0]).toBe(0x30);
    expect(c.der.subarray(4, 4 + c.tbs.length)).toEqual(c.tbs);
  });

  it('reads an X.509 v1 certificate (Marvell card certificate)', () => {
    const c = parseCertificate(pemCert('marvell-gcp-cloudhsm/split/mfr-card-cert.pem'), 'card');
    expect(c.version).toBe(1);
    expect(c.extensions).toEqual([]);
  });

  it('keeps a 20-octet serial whose top bit needs a sign octet (Fortanix authority)', () => {
    const c = parseCertificate(pemCert('fortanix-dsm/extracted/authority.pem'), 'authority');
    expect(c.serialNumber).toBe(0xc4842bec3693ba96bc8783b11add0f677798902cn);
  });
});

describe('parseCertificate: rule breaks', () => {
  it('records serial 0, critical FALSE written out and NULL ecdsa parameters', async () => {
    const zero = await writeCert({ ...base(), serial: 0 }, signer);
    expect(parseCertificate(zero, 'c').irregularities).toEqual(['zero-serial']);
    const explicit = await writeCert(
      { ...base(), extensions: [{ oid: '1.2.3.4', value: utf8('x'), explicit: true }] },
      signer,
    );
    expect(parseCertificate(explicit, 'c').irregularities).toEqual(['explicit-critical-false']);
    const nullParams = await writeCert({ ...base(), algorithm: ECDSA_SHA256_NULL }, signer);
    expect(parseCertificate(nullParams, 'c').irregularities).toEqual(['ecdsa-null-parameters']);
  });

  it('refuses an extension twice', async () => {
    const ext = { oid: '1.2.3.4', value: utf8('x') };
    refused(await writeCert({ ...base(), extensions: [ext, ext] }, signer), /appears twice/);
  });

  it('refuses an explicit v1 version, and extensions in a v2 certificate', async () => {
    const good = await writeCert({ ...base(), extensions: [basicConstraints(false)] }, signer);
    const at = indexOf(good, hex('a003020102'));
    const v1 = good.slice();
    v1[at + 4] = 0;
    refused(v1, /not v2 or v3/);
    const v2 = good.slice();
    v2[at + 4] = 1;
    refused(v2, /need a v3/);
  });

  it('refuses outer and inner signature algorithms that differ', async () => {
    const good = await writeCert(base(), signer);
    const alg = hex('06082a8648ce3d040302');
    const outer = indexOf(good, alg, indexOf(good, alg) + 1);
    const bad = good.slice();
    bad[outer + alg.length - 1] = 0x03; // ecdsa-with-SHA384
    refused(bad, /differs from tbsCertificate.signature/);
  });

  it('refuses a negative serial and one of 21 octets, accepts 20', async () => {
    refused(await writeCert({ ...base(), serialBytes: [0xfb] }, signer), /negative/);
    refused(await writeCert({ ...base(), serialBytes: Array(21).fill(0x11) }, signer), /longer than 20/);
    const twenty = await writeCert({ ...base(), serialBytes: Array(20).fill(0x11) }, signer);
    expect(parseCertificate(twenty, 'c').serialNumber).toBe(BigInt('0x' + '11'.repeat(20)));
  });

  it('refuses a signature BIT STRING with unused bits, and trailing bytes', async () => {
    const good = await writeCert(base(), signer);
    const header = good[1]! < 0x80 ? 2 : 2 + (good[1]! & 0x7f);
    const bitString = header + parseCertificate(good, 'c').tbs.length + signer.algorithm.length;
    expect(good[bitString]).toBe(0x03);
    const bad = good.slice();
    bad[bitString + 2] = 1; // the unused-bits octet (the signature is shorter than 128 bytes)
    refused(bad, /no unused bits/);
    refused(Uint8Array.of(...good, 0), /trailing/);
  });

  it('refuses a certificate over 64 KiB', async () => {
    const huge = await writeCert(
      { ...base(), extensions: [{ oid: '1.2.3.4', value: octets(new Uint8Array(70_000)) }] },
      signer,
    );
    refused(huge, /larger than/);
  });
});
