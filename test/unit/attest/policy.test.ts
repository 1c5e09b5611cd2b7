/**
 * The ceremony policy over verified results: profiles, key properties (without repeating what
 * the result already reports), the expected fleet key and the expected serial.
 */
import { p256 } from '@noble/curves/nist.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAttestationPolicy, sameSerial } from '../../../ceremony/attest/policy.js';
import type { AttestationPolicy } from '../../../ceremony/attest/policy.js';
import type { AttestationResult } from '../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../ceremony/attest/verify.js';
import { parseSpki } from '../../../ceremony/attest/x509/index.js';
import { CHECKED_ON, pemCert } from './support/vectors.js';

let hsm: AttestationResult;
let rsaHsm: AttestationResult;
let point: Uint8Array;

async function yubihsm(dir: string, leaf: string, device: string): Promise<AttestationResult> {
  const statement = pemCert(`yubihsm2/${dir}${leaf}`);
  const chain = [pemCert(`yubihsm2/${dir}${device}`), pemCert('yubihsm2/yubihsm-6742036-sub-ca.pem')];
  return verifyAttestation(
    { format: 'yubihsm2', statement, chain },
    { trustedRoots: [pemCert('yubihsm2/yubihsm-root-ca.pem')], now: CHECKED_ON },
  );
}

beforeAll(async () => {
  hsm = await yubihsm('', 'key-0x7e57-attestation.pem', 'device-31650425-attestation-cert.pem');
  rsaHsm = await yubihsm('serial-20783176/', 'chain-0.pem', 'chain-1.pem');
  point = parseSpki(hsm.publicKey!.spki, 'spki').publicKey;
});

const codes = (r: AttestationResult, p: AttestationPolicy) => checkAttestationPolicy(r, p).map((f) => f.code);

describe('checkAttestationPolicy', () => {
  it('accepts a hardware attestation under both profiles', () => {
    expect(hsm.ok).toBe(true);
    expect(codes(hsm, { profile: 'production' })).toEqual([]);
    expect(codes(hsm, { profile: 'rehearsal' })).toEqual([]);
  });

  it('refuses the emulated level under production only, saying why in plain words', () => {
    const emulated = { ...hsm, level: 'emulated' as const };
    const [f] = checkAttestationPolicy(emulated, { profile: 'production' });
    expect(f?.code).toBe('ATTEST_LEVEL_REFUSED');
    expect(f?.reason).toMatch(/emulated HSM.*proves nothing about hardware/);
    expect(codes(emulated, { profile: 'rehearsal' })).toEqual([]);
  });

  it('requires origin generated and exportable exactly false', () => {
    expect(codes({ ...hsm, origin: 'imported' }, { profile: 'rehearsal' })).toEqual(['ATTEST_KEY_IMPORTED']);
    expect(codes({ ...hsm, origin: 'unknown' }, { profile: 'rehearsal' })).toEqual(['ATTEST_ORIGIN_UNKNOWN']);
    expect(codes({ ...hsm, exportable: true }, { profile: 'rehearsal' })).toEqual(['ATTEST_KEY_EXPORTABLE']);
    expect(codes({ ...hsm, exportable: undefined }, { profile: 'rehearsal' })).toEqual([
      'ATTEST_EXPORTABILITY_UNKNOWN',
    ]);
    expect(codes({ ...hsm, sensitive: false }, { profile: 'rehearsal' })).toEqual([
      'ATTEST_KEY_NOT_SENSITIVE',
    ]);
  });

  it('does not repeat a failure the result already carries', () => {
    const imported = {
      ...hsm,
      ok: false,
      origin: 'imported' as const,
      failures: [{ code: 'ATTEST_KEY_IMPORTED', reason: 'x' }],
    };
    expect(codes(imported, { profile: 'production' })).toEqual([]);
  });

  it('matches the expected fleet key, in either P-256 point form', () => {
    expect(
      codes(hsm, { profile: 'production', expectedPublicKey: { algorithm: 'p256', publicKey: point } }),
    ).toEqual([]);
    const compressed = p256.Point.fromBytes(point).toBytes(true);
    expect(
      codes(hsm, { profile: 'production', expectedPublicKey: { algorithm: 'p256', publicKey: compressed } }),
    ).toEqual([]);
  });

  it('refuses another key, another algorithm, an RSA key and a result without a key', () => {
    const other = p256.getPublicKey(p256.utils.randomSecretKey(), false);
    const mismatch = ['ATTEST_PUBLIC_KEY_MISMATCH'];
    expect(
      codes(hsm, { profile: 'rehearsal', expectedPublicKey: { algorithm: 'p256', publicKey: other } }),
    ).toEqual(mismatch);
    expect(
      codes(hsm, {
        profile: 'rehearsal',
        expectedPublicKey: { algorithm: 'ed25519', publicKey: new Uint8Array(32) },
      }),
    ).toEqual(mismatch);
    expect(
      codes(rsaHsm, { profile: 'rehearsal', expectedPublicKey: { algorithm: 'p256', publicKey: point } }),
    ).toEqual(mismatch);
    const { publicKey: _dropped, ...noKey } = hsm;
    expect(
      codes(noKey, { profile: 'rehearsal', expectedPublicKey: { algorithm: 'p256', publicKey: point } }),
    ).toEqual(mismatch);
  });

  it('compares an expected SPKI (any key type) byte for byte', () => {
    const rsaSpki = rsaHsm.publicKey!.spki;
    expect(codes(rsaHsm, { profile: 'rehearsal', expectedSpki: rsaSpki.slice() })).toEqual([]);
    expect(codes(hsm, { profile: 'rehearsal', expectedSpki: hsm.publicKey!.spki.slice() })).toEqual([]);
    // Another RSA key: the P-256 key's SPKI, or the RSA one with one bit of the modulus changed.
    const flipped = rsaSpki.slice();
    flipped[rsaSpki.length - 10] = flipped[rsaSpki.length - 10]! ^ 1;
    const why = checkAttestationPolicy(rsaHsm, { profile: 'rehearsal', expectedSpki: flipped });
    expect(why.map((f) => f.code)).toEqual(['ATTEST_PUBLIC_KEY_MISMATCH']);
    expect(why[0]!.reason).toMatch(/^the attested key \(SPKI SHA-256 [0-9a-f]{64}\) is not the expected key/);
    expect(codes(rsaHsm, { profile: 'rehearsal', expectedSpki: hsm.publicKey!.spki })).toEqual([
      'ATTEST_PUBLIC_KEY_MISMATCH',
    ]);
    // Exactly: the same P-256 point, compressed, is another SPKI.
    const compressed = p256.Point.fromBytes(point).toBytes(true);
    const spki = Uint8Array.from([...hsm.publicKey!.spki.subarray(0, 23), 0x03, 0x22, 0x00, ...compressed]);
    spki[1] = spki.length - 2;
    expect(parseSpki(spki, 'spki')).toMatchObject({ type: 'ec', curve: 'P-256' });
    expect(codes(hsm, { profile: 'rehearsal', expectedSpki: spki })).toEqual(['ATTEST_PUBLIC_KEY_MISMATCH']);
    const { publicKey: _dropped, ...noKey } = rsaHsm;
    expect(codes(noKey, { profile: 'rehearsal', expectedSpki: rsaSpki })).toEqual([
      'ATTEST_PUBLIC_KEY_MISMATCH',
    ]);
  });

  it('throws for an expected SPKI given with an expected key, or that is not an SPKI', () => {
    expect(() =>
      checkAttestationPolicy(hsm, {
        profile: 'rehearsal',
        expectedSpki: hsm.publicKey!.spki,
        expectedPublicKey: { algorithm: 'p256', publicKey: point },
      }),
    ).toThrow(/alternatives/);
    expect(() =>
      checkAttestationPolicy(hsm, { profile: 'rehearsal', expectedSpki: Uint8Array.of(0x30, 0x00) }),
    ).toThrow(expect.objectContaining({ code: 'ATTEST_POLICY_INVALID' }) as Error);
  });

  it('checks the serial', () => {
    expect(codes(hsm, { profile: 'production', expectedSerial: '31650425' })).toEqual([]);
    expect(codes(hsm, { profile: 'production', expectedSerial: '31650426' })).toEqual([
      'ATTEST_SERIAL_MISMATCH',
    ]);
  });

  it('throws for an unknown profile', () => {
    expect(() => checkAttestationPolicy(hsm, { profile: 'lenient' as never })).toThrow(
      /production or rehearsal/,
    );
  });
});

describe('sameSerial', () => {
  it('equates decimal serials by number and nothing else', () => {
    expect(sameSerial('31650425', '31650425')).toBe(true);
    expect(sameSerial('01234567', '1234567')).toBe(true);
    expect(sameSerial('0', '000')).toBe(true);
    expect(sameSerial('1234567', '12345670')).toBe(false);
    expect(sameSerial('8938-1075-88BB', '8938-1075-88BB')).toBe(true);
    expect(sameSerial('8938-1075-88BB', '8938-1075-88bb')).toBe(false);
    expect(sameSerial('0QSM000129', 'QSM000129')).toBe(false);
    expect(sameSerial(' 1234', '1234')).toBe(false);
    expect(sameSerial('', '0')).toBe(false);
  });

  it('lets a zero-padded token serial match the unpadded serial of an attestation', () => {
    expect(hsm.serial).toBe('31650425');
    expect(codes(hsm, { profile: 'production', expectedSerial: '0031650425' })).toEqual([]);
    expect(codes(hsm, { profile: 'production', expectedSerial: '31650426' })).toEqual([
      'ATTEST_SERIAL_MISMATCH',
    ]);
  });
});
