/**
 * Thales Luna Public Key Confirmation: the RSA sample verifies with the manifest facts; the ECC
 * sample is refused because its proof-of-origin signature is not a valid ECDSA-Sig-Value; roots,
 * deviations and the bundle container behave as docs/attestation-vendors.md says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexEncode, pemDecodeAll } from '../../../../ceremony/codec/index.js';
import { sha256 } from '../../../../ceremony/crypto/index.js';
import type { AttestationResult, KeyAttestation } from '../../../../ceremony/attest/types.js';
import { lunaFormat } from '../../../../ceremony/attest/vendors/luna/index.js';
import { parseCertsOnly } from '../../../../ceremony/attest/vendors/luna/pkcs7.js';
import { extendedKeyUsages } from '../../../../ceremony/attest/vendors/luna/profile.js';
import { parseCertificate } from '../../../../ceremony/attest/x509/certificate.js';
import { verifyChain } from '../../../../ceremony/attest/x509/chain.js';
import { decodeDer, derSequence } from '../../../../ceremony/attest/x509/der.js';
import { CHECKED_ON, VECTORS, flipBit, pemCert, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const [rsa, ecc] = samplesOf('thales-luna');
const RSA_ROOT_0007 = pemCert('thales-luna/luna-rsa-root-certificate.pem');
const RSA_ROOT_000D = pemCert('thales-luna/chrysalis-its-root-80450000000D.pem');
const ECC_ROOT = pemCert('thales-luna/luna-ecc-root-certificate.pem');
const bundle = (path: string): KeyAttestation => ({
  format: 'thales-luna',
  statement: new Uint8Array(readFileSync(VECTORS + path)),
  chain: [],
});
const RSA_PKC = bundle('thales-luna/rsa-pkc.p7b');
const ECC_PKC = bundle('thales-luna/ecc-pkc.p7b');
const options = (trustedRoots: Uint8Array[], now = CHECKED_ON) => ({ trustedRoots, now });

/** The SubjectPublicKeyInfo of a PKCS#10 request (RFC 2986 §4.1). */
function csrSpki(path: string): Uint8Array {
  const [block] = pemDecodeAll(readFileSync(VECTORS + path, 'utf8'), undefined, { lax: true });
  const [info] = derSequence(decodeDer(block!.der, 'csr'), 'csr', 3, 3);
  return derSequence(info!, 'csr.info', 3, 4)[2]!.bytes;
}

describe('luna: real samples (manifest.json)', () => {
  it('lists the RSA and the ECC bundle', () => {
    expect([rsa?.id, ecc?.id]).toEqual(['thales-luna-rsa-pkc', 'thales-luna-ecc-pkc']);
  });

  it('the RSA bundle verifies, with the pinned roots in either order', async () => {
    for (const roots of [
      [RSA_ROOT_0007, RSA_ROOT_000D],
      [RSA_ROOT_000D, RSA_ROOT_0007],
    ]) {
      const r = await lunaFormat.verify(RSA_PKC, options(roots));
      expect(r.failures).toEqual([]);
      expect(r).toMatchObject({
        ok: true,
        format: 'thales-luna',
        level: 'hardware-vendor',
        vendor: 'Thales',
        model: 'Luna',
        serial: String(rsa!.expect.hsm_serial),
        firmware: '7.8.4',
        origin: 'generated',
        exportable: false,
        attributes: { algorithm: rsa!.expect.algorithm, pki: 'rsa' },
      });
      expect(r.chain[0]).toBe(`OU=Chrysalis-ITS Proof of Origin, CN=${rsa!.expect.leaf_cn}`);
      expect(r.chain).toHaveLength(5);
      expect(r.attributes!.acceptedDeviations).toContain('explicit-critical-false');
      expect(r.attributes!.acceptedDeviations).toContain('root-without-basic-constraints');
      expect(r.attributes!.acceptedDeviations).toContain('unsorted-certificate-set');
    }
  });

  it.each([
    ['rsa', RSA_PKC, 'thales-luna/rsa-test.csr'],
    ['ecc', ECC_PKC, 'thales-luna/ecc-test.csr'],
  ] as const)('the %s bundle attests the key of its CSR', async (_name, ev, csr) => {
    const r = await lunaFormat.verify(ev, options([RSA_ROOT_0007, ECC_ROOT]));
    expect(hexEncode(r.publicKey!.spki)).toBe(hexEncode(csrSpki(csr)));
    expect(r.publicKey!.sha256).toEqual(sha256(csrSpki(csr)));
  });

  it('each certificate carries the EKU of its position', () => {
    for (const [sample, ev] of [
      [rsa!, RSA_PKC],
      [ecc!, ECC_PKC],
    ] as const) {
      const certs = parseCertsOnly(ev.statement).certificates.map((d, i) => parseCertificate(d, `c${i}`));
      expect(certs.map((c) => extendedKeyUsages(c)?.join())).toEqual(sample.expect.eku_by_position);
    }
  });

  it('the ECC bundle is refused: its leaf signature is not a valid ECDSA-Sig-Value (the reason says so)', async () => {
    const r = await lunaFormat.verify(ECC_PKC, options([ECC_ROOT]));
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['ATTEST_SIGNATURE_INVALID', 'ATTEST_SIGNATURE_INVALID']);
    expect(r.failures[0]!.reason).toContain(`CN=${ecc!.expect.leaf_cn}`);
    expect(r.failures[1]!.reason).toMatch(/negative INTEGER .* would verify .* not accepted/);
    expect(r.serial).toBe(String(ecc!.expect.hsm_serial));
    expect(r.attributes).toMatchObject({ algorithm: 'ec-p256' });
  });

  it("the ECC bundle's intermediate chain verifies (hardware origin ← SafeNet ECC root)", async () => {
    const [, hoc] = parseCertsOnly(ECC_PKC.statement).certificates.map((d, i) =>
      parseCertificate(d, `c${i}`),
    );
    const v = await verifyChain(hoc!, [], {
      roots: [parseCertificate(ECC_ROOT, 'root')],
      at: CHECKED_ON,
      deviations: ['explicit-critical-false', 'ecdsa-null-parameters', 'root-without-basic-constraints'],
      handledCriticalExtensions: ['2.5.29.37'],
    });
    expect(v.failures).toEqual([]);
  });
});

describe('luna: roots, time and deviations', () => {
  it('refuses the RSA bundle when only the 80450000000D reissue is pinned: its own root copy is not a pinned root', async () => {
    const r = await lunaFormat.verify(RSA_PKC, options([RSA_ROOT_000D]));
    expect(codes(r)).toEqual(['ATTEST_CHAIN_EXTRA_CERTIFICATE']);
  });

  it('refuses under another vendor root', async () => {
    const r = await lunaFormat.verify(RSA_PKC, options([ECC_ROOT]));
    expect(codes(r)).toContain('ATTEST_CHAIN_UNTRUSTED');
  });

  it('refuses after 2032-05-05, or validates at the proof-of-origin issue time when asked', async () => {
    const late = new Date('2033-01-01T00:00:00Z');
    const expired = await lunaFormat.verify(RSA_PKC, options([RSA_ROOT_0007], late));
    expect(new Set(codes(expired))).toEqual(new Set(['ATTEST_EXPIRED']));
    const atIssue = await lunaFormat.verify(RSA_PKC, {
      ...options([RSA_ROOT_0007], late),
      validateAtAttestationTime: true,
    });
    expect(atIssue.failures).toEqual([]);
    expect(atIssue.verificationTime.toISOString()).toBe('2020-03-01T00:00:00.000Z');
  });

  it('the explicit critical FALSE and the root without basicConstraints need their named deviations', async () => {
    const certs = parseCertsOnly(RSA_PKC.statement).certificates.map((d, i) => parseCertificate(d, `c${i}`));
    const strict = await verifyChain(certs[0]!, certs.slice(1), {
      roots: [parseCertificate(RSA_ROOT_0007, 'root')],
      at: CHECKED_ON,
      handledCriticalExtensions: ['2.5.29.37'],
    });
    expect(new Set(strict.failures.map((f) => f.code))).toEqual(
      new Set(['ATTEST_DEVIATION_NOT_ALLOWED', 'ATTEST_NOT_A_CA']),
    );
  });

  it('records the unsorted certificate set of the RSA bundle, not of the ECC one', () => {
    expect(parseCertsOnly(RSA_PKC.statement).irregularities).toEqual(['unsorted-certificate-set']);
    expect(parseCertsOnly(ECC_PKC.statement).irregularities).toEqual([]);
  });

  it('refuses evidence whose statement is not bytes or whose chain is not a list', async () => {
    for (const bad of [
      { ...RSA_PKC, statement: 'x' as never },
      { ...RSA_PKC, chain: undefined as never },
    ]) {
      expect(codes(await lunaFormat.verify(bad, options([RSA_ROOT_0007])))).toEqual(['ATTEST_MALFORMED']);
    }
  });

  it('refuses a non-empty chain, and a bundle with a byte appended', async () => {
    expect(
      codes(await lunaFormat.verify({ ...RSA_PKC, chain: [RSA_ROOT_0007] }, options([RSA_ROOT_0007]))),
    ).toEqual(['ATTEST_MALFORMED']);
    const longer = { ...RSA_PKC, statement: Uint8Array.from([...RSA_PKC.statement, 0]) };
    expect(codes(await lunaFormat.verify(longer, options([RSA_ROOT_0007])))).toEqual(['ATTEST_MALFORMED']);
  });
});

describe('luna: one flipped bit anywhere in the RSA bundle is refused', () => {
  const stride = process.env.FLEET_LONG_TESTS === '1' ? 1 : 29;

  it(`${stride === 1 ? 'every bit' : `1 bit in ${stride}`}`, async () => {
    const accepted: number[] = [];
    let count = 0;
    for (let bit = 0; bit < RSA_PKC.statement.length * 8; bit += stride) {
      const r = await lunaFormat.verify(
        { ...RSA_PKC, statement: flipBit(RSA_PKC.statement, bit) },
        options([RSA_ROOT_0007]),
      );
      count++;
      if (r.ok || r.failures.length === 0) accepted.push(bit);
    }
    expect(accepted).toEqual([]);
    expect(count).toBe(Math.ceil((RSA_PKC.statement.length * 8) / stride));
  }, 600_000);
});
