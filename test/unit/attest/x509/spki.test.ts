/**
 * The SubjectPublicKeyInfo encoders: what they write, parseSpki reads back as the same key, and
 * the real SPKIs of the vectors (RSA, P-256, P-384, P-521) are re-encoded to the very same bytes.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { hexEncode } from '../../../../ceremony/codec/index.js';
import { encodeSpki } from '../../../../ceremony/crypto/index.js';
import type { CurveName } from '../../../../ceremony/attest/x509/index.js';
import {
  decodeDer,
  derSequence,
  derInteger,
  encodeEcSpki,
  encodeRsaSpki,
  parseCertificate,
  parseSpki,
} from '../../../../ceremony/attest/x509/index.js';
import { MalformedError } from '../../../../ceremony/errors.js';
import { pemCert, pemPublicKey } from '../support/vectors.js';

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

/** A valid uncompressed point of `curve`. */
function point(curve: CurveName): Uint8Array {
  const c = CURVES[curve];
  return c.getPublicKey(c.utils.randomSecretKey(), false);
}

/** Re-encodes what parseSpki read from `spki`. */
function reencode(spki: Uint8Array): Uint8Array {
  const key = parseSpki(spki, 'spki');
  if (key.type === 'ec') return encodeEcSpki(key.curve, key.publicKey);
  if (key.type !== 'rsa') throw new Error(`not an RSA or EC key: ${key.type}`);
  const [n, e] = derSequence(decodeDer(key.publicKey, 'rsaPublicKey'), 'rsaPublicKey', 2, 2);
  return encodeRsaSpki(derInteger(n!, 'n'), derInteger(e!, 'e'));
}

describe('encodeEcSpki', () => {
  for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
    it(`round-trips a ${curve} key through parseSpki`, () => {
      const pt = point(curve);
      expect(parseSpki(encodeEcSpki(curve, pt), 'spki')).toEqual({ type: 'ec', curve, publicKey: pt });
    });
  }

  it('writes for P-256 exactly what ceremony/crypto encodeSpki writes', () => {
    const pt = point('P-256');
    expect(encodeEcSpki('P-256', pt)).toEqual(encodeSpki('p256', pt));
  });

  it('refuses a compressed point and a point of another curve', () => {
    const compressed = p256.getPublicKey(p256.utils.randomSecretKey(), true);
    expect(() => encodeEcSpki('P-256', compressed)).toThrow(MalformedError);
    expect(() => encodeEcSpki('P-384', point('P-256'))).toThrow(/not an uncompressed P-384 point/);
  });
});

describe('encodeRsaSpki', () => {
  it('round-trips through parseSpki, with a sign octet before a high modulus bit', () => {
    const n = (1n << 2047n) | 0x1234567n;
    const spki = encodeRsaSpki(n, 65537n);
    expect(spki.length).toBe(294);
    const key = parseSpki(spki, 'spki');
    expect(key.type === 'rsa' && key.bits).toBe(2048);
    expect(reencode(spki)).toEqual(spki);
  });

  it('writes DER integers in their shortest form (RFC 3279 §2.3.1, X.690 §8.3.2)', () => {
    // SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { SEQUENCE { INTEGER 0x80, INTEGER 3 } } }
    expect(hexEncode(encodeRsaSpki(0x80n, 3n))).toBe(
      '301b300d06092a864886f70d0101010500030a003007020200800201' + '03',
    );
    expect(hexEncode(encodeRsaSpki(0n, 1n)).endsWith('3006020100020101')).toBe(true);
  });

  it('refuses a negative value', () => {
    expect(() => encodeRsaSpki(-1n, 3n)).toThrow(/cannot be negative/);
  });
});

describe('known SPKIs of the vectors', () => {
  const known: [string, Uint8Array][] = [
    [
      'RSA 2048 (Marvell root 2024)',
      pemCert('marvell-gcp-cloudhsm/marvell-liquidsecurity-root-2024-reissue.pem'),
    ],
    ['P-256 (YubiHSM 2 key)', pemCert('yubihsm2/key-0x7e57-attestation.pem')],
    ['P-384 (Crypto4A root)', pemCert('crypto4a-qasm/c4a-rca-root.pem')],
  ].map(([name, der]) => [name as string, parseCertificate(der as Uint8Array, name as string).spki]);
  known.push(['P-521 (nShield KWARN-1)', pemPublicKey('entrust-nshield/kwarn-1.spki.pem')]);

  for (const [name, spki] of known) {
    it(`re-encodes ${name} byte for byte`, () => {
      expect(reencode(spki)).toEqual(spki);
    });
  }
});
