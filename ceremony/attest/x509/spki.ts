/**
 * What kind of key a SubjectPublicKeyInfo holds (RFC 5280 §4.1.2.7), for signature verification
 * and for results: RSA (RFC 3279 §2.3.1), EC on a named NIST curve (RFC 5480 §2), Ed25519 and
 * X25519 (RFC 8410 §3-4). Parameters are checked strictly (NULL for RSA, a named curve for EC,
 * absent for the RFC 8410 keys) and the key's own length is checked; {@link publicKeyProblem}
 * also checks that a point is on its curve (for attested keys, which are never used here).
 *
 * Encoding, for formats that carry a bare RSA or EC key ({@link encodeRsaSpki}, {@link encodeEcSpki}):
 * the DER that {@link parseSpki} reads back, with the same OIDs. Ed25519, X25519 and the P-256-only
 * fleet keys are ceremony/crypto's `encodeSpki`.
 *
 * Portable: no `node:` imports.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { DerElement } from './der.js';
import { TAG, decodeDer, derError, derSequence } from './der.js';
import { derBitStringBytes, derInteger, derNull, derOid } from './der-values.js';
import { derOidEncode, derTlv, derUnsignedInteger } from './der-write.js';
import { concatBytes, hexDecode } from '../../codec/index.js';
import { parseAlgorithmId } from './certificate.js';

/** NIST curves by their RFC 5480 namedCurve OID, with the byte length of a coordinate. */
export const NAMED_CURVES = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
} as const;

/** A NIST curve name as WebCrypto spells it. */
export type CurveName = (typeof NAMED_CURVES)[keyof typeof NAMED_CURVES]['name'];

/** The key kinds this module recognises. */
export type SpkiKey =
  | { type: 'rsa'; bits: number; publicKey: Uint8Array }
  | { type: 'ec'; curve: CurveName; publicKey: Uint8Array }
  | { type: 'ed25519'; publicKey: Uint8Array }
  | { type: 'x25519'; publicKey: Uint8Array };

/** The SubjectPublicKeyInfo algorithm OID of each key type. */
export const KEY_ALGORITHM_OIDS = {
  /** rsaEncryption (RFC 3279 §2.3.1). */
  rsa: '1.2.840.113549.1.1.1',
  /** id-ecPublicKey (RFC 5480 §2.1.1). */
  ec: '1.2.840.10045.2.1',
  /** id-Ed25519 (RFC 8410 §3). */
  ed25519: '1.3.101.112',
  /** id-X25519 (RFC 8410 §3). */
  x25519: '1.3.101.110',
} as const satisfies Record<SpkiKey['type'], string>;

const { rsa: RSA, ec: EC, ed25519: ED25519, x25519: X25519 } = KEY_ALGORITHM_OIDS;

/**
 * Parses a DER SubjectPublicKeyInfo.
 *
 * @throws MalformedError `ATTEST_MALFORMED` for bad DER, wrong parameters or a key of the wrong
 *   length; `ATTEST_MALFORMED` naming the OID for an algorithm it does not know.
 */
export function parseSpki(spki: Uint8Array, field: string): SpkiKey {
  const [algEl, keyEl] = derSequence(decodeDer(spki, field), field, 2, 2) as [DerElement, DerElement];
  const alg = parseAlgorithmId(algEl, `${field}.algorithm`);
  const key = derBitStringBytes(keyEl, `${field}.subjectPublicKey`);
  const params = `${field}.algorithm.parameters`;
  switch (alg.oid) {
    case RSA: {
      if (alg.parameters === undefined) throw derError(params, 'rsaEncryption needs NULL parameters');
      derNull(alg.parameters, params);
      const [n, e] = derSequence(decodeDer(key, `${field}.rsaPublicKey`), `${field}.rsaPublicKey`, 2, 2);
      const modulus = derInteger(n!, `${field}.rsaPublicKey.modulus`);
      if (modulus <= 0n || derInteger(e!, `${field}.rsaPublicKey.publicExponent`) <= 1n) {
        throw derError(`${field}.rsaPublicKey`, 'RSA modulus and exponent must be positive');
      }
      return { type: 'rsa', bits: modulus.toString(2).length, publicKey: key };
    }
    case EC: {
      if (alg.parameters === undefined || alg.parameters.tag !== TAG.OID) {
        throw derError(params, 'id-ecPublicKey needs a namedCurve (RFC 5480 §2.1.1)');
      }
      const curveOid = derOid(alg.parameters, params);
      const curve = NAMED_CURVES[curveOid as keyof typeof NAMED_CURVES];
      if (curve === undefined) throw derError(params, `curve ${curveOid} is not P-256, P-384 or P-521`);
      const uncompressed = key[0] === 0x04 && key.length === 1 + 2 * curve.size;
      const compressed = (key[0] === 0x02 || key[0] === 0x03) && key.length === 1 + curve.size;
      if (!uncompressed && !compressed)
        throw derError(`${field}.subjectPublicKey`, `not a SEC1 ${curve.name} point`);
      return { type: 'ec', curve: curve.name, publicKey: key };
    }
    case ED25519:
    case X25519: {
      if (alg.parameters !== undefined) throw derError(params, 'RFC 8410 keys have no parameters');
      if (key.length !== 32)
        throw derError(`${field}.subjectPublicKey`, `key is ${key.length} bytes, want 32`);
      return { type: alg.oid === ED25519 ? 'ed25519' : 'x25519', publicKey: key };
    }
    default:
      throw derError(`${field}.algorithm`, `unsupported key algorithm ${alg.oid}`);
  }
}

/**
 * A short name for a key: `rsa-2048`, `ec-p256`, `ed25519`, `x25519` (the names of
 * test/vectors/attestation/manifest.json).
 */
export function keyAlgorithmName(key: SpkiKey): string {
  switch (key.type) {
    case 'rsa':
      return `rsa-${key.bits}`;
    case 'ec':
      return `ec-${key.curve.replace('-', '').toLowerCase()}`;
    default:
      return key.type;
  }
}

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

/**
 * Why the key cannot be a valid public key (an EC or Ed25519 point not on its curve), or undefined
 * when it is fine. X25519 accepts every 32-byte string (RFC 7748 §5); RSA is not checked further.
 */
export function publicKeyProblem(key: SpkiKey): string | undefined {
  try {
    if (key.type === 'ec') CURVES[key.curve].Point.fromBytes(key.publicKey);
    if (key.type === 'ed25519') ed25519.Point.fromBytes(key.publicKey, false);
    return undefined;
  } catch (e) {
    return `${key.type === 'ec' ? key.curve : key.type} public key is not a valid point: ${(e as Error).message}`;
  }
}

// ---- encoding ------------------------------------------------------------------------------

/** A DER INTEGER (X.690 §8.3) of a non-negative value, or of unsigned big-endian bytes. */
function integer(value: bigint | Uint8Array, field: string): Uint8Array {
  if (value instanceof Uint8Array) return derUnsignedInteger(value);
  if (value < 0n) throw derError(field, 'a key integer cannot be negative');
  const hex = value.toString(16);
  return derUnsignedInteger(hexDecode(hex.length % 2 === 1 ? `0${hex}` : hex, field));
}

/** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING with no unused bits }. */
function spki(algorithm: Uint8Array, key: Uint8Array): Uint8Array {
  return derTlv(
    TAG.SEQUENCE,
    concatBytes(derTlv(TAG.SEQUENCE, algorithm), derTlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), key))),
  );
}

/**
 * DER SubjectPublicKeyInfo of an RSA public key (RFC 3279 §2.3.1): rsaEncryption with NULL
 * parameters, and RSAPublicKey { modulus, publicExponent }.
 *
 * Precondition: both values are non-negative: bigints, or unsigned big-endian bytes as a token
 * stores them (it encodes any such pair; {@link parseSpki} reads back only a positive modulus and
 * an exponent above 1).
 *
 * @throws MalformedError `ATTEST_MALFORMED` for a negative value.
 * @example encodeRsaSpki(n, 65537n) // 294 bytes for a 2048-bit n
 */
export function encodeRsaSpki(modulus: bigint | Uint8Array, publicExponent: bigint | Uint8Array): Uint8Array {
  const key = concatBytes(integer(modulus, 'modulus'), integer(publicExponent, 'publicExponent'));
  return spki(concatBytes(derOidEncode(RSA), Uint8Array.of(TAG.NULL, 0)), derTlv(TAG.SEQUENCE, key));
}

/**
 * DER SubjectPublicKeyInfo of an EC public key on a NIST curve (RFC 5480 §2): id-ecPublicKey with
 * the curve's namedCurve OID ({@link NAMED_CURVES}), and the uncompressed SEC 1 point.
 *
 * Precondition: `point` is uncompressed (0x04, x, y) and of `curve`'s length. Whether it is on the
 * curve is not checked here: {@link publicKeyProblem} says.
 *
 * @throws MalformedError `ATTEST_MALFORMED` for a point that is not an uncompressed `curve` point.
 * @example encodeEcSpki('P-256', point) // 91 bytes, as ceremony/crypto's encodeSpki('p256', point)
 */
export function encodeEcSpki(curve: CurveName, point: Uint8Array): Uint8Array {
  const [curveOid, { size }] = Object.entries(NAMED_CURVES).find(([, c]) => c.name === curve)!;
  if (point[0] !== 0x04 || point.length !== 1 + 2 * size)
    throw derError('point', `not an uncompressed ${curve} point`);
  return spki(concatBytes(derOidEncode(EC), derOidEncode(curveOid)), point);
}
