/**
 * The emulated-x509/v1 certificate profile as the device issues it (docs/attestation.md): every
 * field and extension of the vendor root, device and key attestation certificates, read with a
 * small independent DER reader; subject keys cross-checked against node:crypto's SPKI encoding;
 * signatures verified with node:crypto's X509Certificate.
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, KeyUsage } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATED_FORMAT, EMULATED_MARKER_TEXT, OID } from '../../../../ceremony/attest/emulated/oids.js';
import type { EmulatedHsm } from '../../../../ceremony/hsm/emulated/index.js';
import type { KeyInfo } from '../../../../ceremony/hsm/types.js';
import { deviceFixture } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

/** Reference DER reader: the TLVs in `b`, in order (definite lengths only). */
function tlvs(b: Uint8Array): { tag: number; value: Uint8Array }[] {
  const out: { tag: number; value: Uint8Array }[] = [];
  for (let o = 0; o < b.length;) {
    let len = b[o + 1]!;
    let hdr = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[o + 2 + i]!;
      hdr = 2 + n;
    }
    out.push({ tag: b[o]!, value: b.subarray(o + hdr, o + hdr + len) });
    o += hdr + len;
  }
  return out;
}
/** Exactly one TLV. */
function tlv(b: Uint8Array): { tag: number; value: Uint8Array } {
  const all = tlvs(b);
  expect(all, 'exactly one TLV').toHaveLength(1);
  return all[0]!;
}
const text = (v: Uint8Array) => new TextDecoder().decode(v);

/** Reference OID decoder (X.690 §8.19) with BigInt arcs. */
function oidText(body: Uint8Array): string {
  const arcs: bigint[] = [];
  let acc = 0n;
  for (const byte of body) {
    acc = (acc << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(acc);
      acc = 0n;
    }
  }
  const first = arcs.shift()!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/**
 * The extensions of a certificate, read straight from its DER (RFC 5280 §4.1): OID → criticality
 * and the extnValue bytes. Not through asn1js, which renders arcs above 2^53 — like our UUID arc
 * — as `{hex}` instead of decimal.
 */
function extensionsOf(der: Uint8Array): Map<string, { critical: boolean; der: Uint8Array }> {
  const tbs = tlvs(tlv(der).value)[0]!;
  const explicit3 = tlvs(tbs.value).find((t) => t.tag === 0xa3)!;
  const out = new Map<string, { critical: boolean; der: Uint8Array }>();
  for (const ext of tlvs(tlv(explicit3.value).value)) {
    const parts = tlvs(ext.value);
    expect(parts[0]!.tag).toBe(0x06);
    const critical = parts.length === 3 && parts[1]!.value[0] === 0xff;
    out.set(oidText(parts[0]!.value), { critical, der: parts[parts.length - 1]!.value });
  }
  return out;
}

function parse(der: Uint8Array) {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  const exts = extensionsOf(der);
  const ext = (oid: string) => {
    const e = exts.get(oid);
    if (e === undefined) throw new Error(`missing extension ${oid}`);
    return { critical: e.critical, ...tlv(e.der) };
  };
  const name = (n: typeof tbs.subject) =>
    n.map((rdn) => `${rdn[0]!.type}=${rdn[0]!.value.toString()}`).join(', ');
  const basic = AsnConvert.parse(exts.get('2.5.29.19')!.der, BasicConstraints);
  const usage = AsnConvert.parse(exts.get('2.5.29.15')!.der, KeyUsage).toJSON().sort();
  return { cert, tbs, exts, ext, subject: name(tbs.subject), issuer: name(tbs.issuer), basic, usage };
}

function nodeSpki(k: KeyInfo): Buffer {
  const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64url');
  const jwk =
    k.algorithm === 'p256'
      ? { kty: 'EC', crv: 'P-256', x: b64(k.publicKey.subarray(1, 33)), y: b64(k.publicKey.subarray(33)) }
      : { kty: 'OKP', crv: k.algorithm === 'ed25519' ? 'Ed25519' : 'X25519', x: b64(k.publicKey) };
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
}

let fx: DeviceFixture;
let hsm: EmulatedHsm;
let deviceDer: Uint8Array;
let rootDer: Uint8Array;
beforeAll(async () => {
  fx = await deviceFixture('SN-PROFILE-7');
  hsm = await fx.open();
  [deviceDer, rootDer] = (await hsm.identityChain()) as [Uint8Array, Uint8Array];
});
afterAll(async () => {
  await hsm.close();
  fx.cleanup();
});

const AT = { cn: '2.5.4.3', o: '2.5.4.10', sn: '2.5.4.5' };

describe('emulated-x509/v1: vendor root and device certificates', () => {
  it('the root says EMULATED, is a self-signed CA with keyCertSign, and carries the marker', () => {
    const r = parse(rootDer);
    expect(r.subject).toBe(
      `${AT.cn}=fleet-ceremony EMULATED Vendor Root CA, ${AT.o}=${EMULATED_MARKER_TEXT}`,
    );
    expect(r.issuer).toBe(r.subject);
    expect(r.basic.cA).toBe(true);
    expect(r.usage).toEqual(['crlSign', 'keyCertSign']);
    expect(r.ext(OID.emulatedMarker)).toMatchObject({ critical: false, tag: 0x0c });
    expect(text(r.ext(OID.emulatedMarker).value)).toBe(EMULATED_MARKER_TEXT);
    const x = new X509Certificate(rootDer);
    expect(x.verify(x.publicKey)).toBe(true);
  });

  it('the device certificate: issued by the root, CA pathLen 0, keyCertSign, device extensions', () => {
    const d = parse(deviceDer);
    expect(d.issuer).toBe(parse(rootDer).subject);
    expect(d.subject).toBe(
      `${AT.cn}=EMULATED HSM SN-PROFILE-7, ${AT.o}=${EMULATED_MARKER_TEXT}, ${AT.sn}=SN-PROFILE-7`,
    );
    expect(d.basic).toMatchObject({ cA: true, pathLenConstraint: 0 });
    expect(d.usage).toEqual(['keyCertSign']);
    expect(text(d.ext(OID.deviceSerial).value)).toBe('SN-PROFILE-7');
    expect(text(d.ext(OID.firmwareVersion).value)).toBe('1.0.0');
    expect(text(d.ext(OID.deviceModel).value)).toBe('fleet-ceremony emulated HSM');
    expect(text(d.ext(OID.emulatedMarker).value)).toBe(EMULATED_MARKER_TEXT);
    expect(new X509Certificate(deviceDer).verify(new X509Certificate(rootDer).publicKey)).toBe(true);
    expect(d.tbs.subjectPublicKeyInfo.algorithm.algorithm).toBe('1.2.840.10045.2.1');
  });
});

describe('emulated-x509/v1: key attestation certificates', () => {
  it.each([
    ['ed25519', undefined, ['digitalSignature'], ['sign']],
    ['p256', ['sign', 'derive'], ['digitalSignature', 'keyAgreement'], ['sign', 'derive']],
    ['x25519', undefined, ['keyAgreement'], ['derive']],
  ] as const)('%s: every field and extension', async (algorithm, usages, keyUsage, recorded) => {
    const label = `att-${algorithm}`;
    const key = await hsm.generateKey({ label, algorithm, ...(usages ? { usages: [...usages] } : {}) });
    const challenge = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const before = Math.floor(Date.now() / 1000) * 1000;
    const att = await hsm.attestKey(label, challenge);
    expect(att.format).toBe(EMULATED_FORMAT);
    expect(att.chain).toEqual([deviceDer, rootDer]);
    const c = parse(att.statement);

    expect(c.tbs.version).toBe(2);
    expect(c.cert.signatureAlgorithm.algorithm).toBe('1.2.840.10045.4.3.2');
    expect(c.cert.signatureAlgorithm.parameters).toBeUndefined();
    expect(c.issuer).toBe(parse(deviceDer).subject);
    expect(c.subject).toBe(`${AT.cn}=${label}, ${AT.o}=${EMULATED_MARKER_TEXT}, ${AT.sn}=SN-PROFILE-7`);
    expect(Buffer.from(AsnConvert.serialize(c.tbs.subjectPublicKeyInfo))).toEqual(nodeSpki(key));
    expect(c.basic.cA).toBe(false);
    expect([c.ext('2.5.29.19').critical, c.ext('2.5.29.15').critical]).toEqual([true, true]);
    expect(c.usage).toEqual(keyUsage);
    expect(c.tbs.validity.notBefore.getTime().getTime()).toBeGreaterThanOrEqual(before);

    const e = c.ext;
    expect(e(OID.keyOrigin)).toMatchObject({ tag: 0x0a, value: Uint8Array.of(0) });
    expect(e(OID.exportable)).toMatchObject({ tag: 0x01, value: Uint8Array.of(0x00) });
    expect(e(OID.sensitive)).toMatchObject({ tag: 0x01, value: Uint8Array.of(0xff) });
    const seq = e(OID.usages);
    expect(seq.tag).toBe(0x30);
    expect(tlvs(seq.value).map((t) => t.tag)).toEqual(recorded.map(() => 0x0c));
    expect(tlvs(seq.value).map((t) => text(t.value))).toEqual(recorded);
    const gen = e(OID.generationTime);
    expect(gen.tag).toBe(0x18);
    expect(text(gen.value)).toMatch(/^\d{14}Z$/);
    expect(e(OID.challenge)).toMatchObject({ tag: 0x04, value: challenge });
    expect(text(e(OID.keyAlgorithm).value)).toBe(algorithm);
    expect(text(e(OID.keyLabel).value)).toBe(label);
    expect(text(e(OID.deviceSerial).value)).toBe('SN-PROFILE-7');
    expect(text(e(OID.firmwareVersion).value)).toBe('1.0.0');
    expect(text(e(OID.deviceModel).value)).toBe('fleet-ceremony emulated HSM');
    expect(text(e(OID.emulatedMarker).value)).toBe(EMULATED_MARKER_TEXT);
    const profileOids = [...c.exts.keys()].filter((o) => o.startsWith('2.25.'));
    expect(profileOids).toEqual(
      [4, 5, 6, 7, 8, 9, 10, 11, 2, 3, 12, 1].map(
        (n) => `${'2.25.55669062502454697325095788520321323565'}.${n}`,
      ),
    );
    for (const o of profileOids) expect(c.exts.get(o)!.critical).toBe(false);

    expect(new X509Certificate(att.statement).verify(new X509Certificate(deviceDer).publicKey)).toBe(true);
    expect(new X509Certificate(att.statement).verify(new X509Certificate(rootDer).publicKey)).toBe(false);
  });

  it('gives every attestation its own serial number and binds each challenge', async () => {
    await hsm.generateKey({ label: 'twice', algorithm: 'ed25519' });
    const a = parse((await hsm.attestKey('twice', Uint8Array.of(1))).statement);
    const b = parse((await hsm.attestKey('twice', Uint8Array.of(2))).statement);
    expect(Buffer.from(a.tbs.serialNumber)).not.toEqual(Buffer.from(b.tbs.serialNumber));
    expect(a.ext(OID.challenge).value).toEqual(Uint8Array.of(1));
    expect(b.ext(OID.challenge).value).toEqual(Uint8Array.of(2));
  });

  it('refuses empty or oversized challenges and unknown keys', async () => {
    await hsm.generateKey({ label: 'c', algorithm: 'ed25519' });
    await expect(hsm.attestKey('c', new Uint8Array(0))).rejects.toMatchObject({
      code: 'HSM_CHALLENGE_INVALID',
    });
    await expect(hsm.attestKey('c', new Uint8Array(257))).rejects.toMatchObject({
      code: 'HSM_CHALLENGE_INVALID',
    });
    expect((await hsm.attestKey('c', new Uint8Array(256))).statement[0]).toBe(0x30);
    await expect(hsm.attestKey('nope', Uint8Array.of(1))).rejects.toMatchObject({
      code: 'HSM_KEY_NOT_FOUND',
    });
  });
});
