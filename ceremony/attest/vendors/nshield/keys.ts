/**
 * nCore public keys (M_KeyData), their key hashes (Entrust, "Construction of nCore key hashes"),
 * their SubjectPublicKeyInfo, and signature verification under them (M_CipherText signatures).
 *
 * Portable: no `node:` imports.
 */
import { p256, p521 } from '@noble/curves/nist.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { encodeEcSpki, encodeRsaSpki } from '../../x509/spki.js';
import { verifyDsa } from './dsa.js';
import type { NcoreReader } from './ncore.js';

/** nCore key type of an RSA public key (M_KeyType). */
export const KEY_RSA_PUBLIC = 1;
/** nCore key type of a DSA public key. */
export const KEY_DSA_PUBLIC = 3;
/** nCore key type of an ECDSA public key. */
export const KEY_ECDSA_PUBLIC = 46;
/** nCore curve id of NIST P-256 (M_ECName). */
export const CURVE_P256 = 4;
/** nCore curve id of NIST P-521. */
export const CURVE_P521 = 6;
const MECH_DSA_SHA256 = 170;
const MECH_ECDSA_SHA512 = 187;

/** A public key as nCore carries it. */
export type NcoreKey =
  | { type: 'rsa'; e: bigint; n: bigint }
  | { type: 'dsa'; p: bigint; q: bigint; g: bigint; y: bigint }
  | { type: 'ecdsa'; curve: 'P-256' | 'P-521'; x: bigint; y: bigint };

/** Reads an M_KeyData (RSA, DSA or ECDSA on P-256/P-521 public key); other types are refused. */
export function readKey(r: NcoreReader): NcoreKey {
  const type = r.u32();
  if (type === KEY_RSA_PUBLIC) return { type: 'rsa', e: r.bignum(), n: r.bignum() };
  if (type === KEY_DSA_PUBLIC)
    return { type: 'dsa', p: r.bignum(), q: r.bignum(), g: r.bignum(), y: r.bignum() };
  if (type === KEY_ECDSA_PUBLIC) {
    const c = r.u32();
    if (c !== CURVE_P256 && c !== CURVE_P521) r.fail(`unsupported curve ${c}`);
    r.expect(0, 'ECDSA key flags');
    return { type: 'ecdsa', curve: c === CURVE_P256 ? 'P-256' : 'P-521', x: r.bignum(), y: r.bignum() };
  }
  r.fail(`unsupported key type ${type}`);
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Little-endian, zero-padded to `length` bytes. */
function le(x: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length && x > 0n; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

/** Little-endian, zero-padded to a multiple of 64 bytes (the key hash's bignum form). */
function padded(x: bigint): Uint8Array {
  const bytes = Math.ceil(x.toString(16).length / 2);
  return le(x, Math.ceil(bytes / 64) * 64 || 64);
}

/** P-256 domain parameters in key-hash order: bits, p, a, b, Gx, Gy, n, h. */
const P256_PARAMS = [
  0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  1n,
];

/**
 * The nCore key hash: SHA-1 over `"nFast KeyHash\0" + type + "\0"`, the key's bignums (little-endian,
 * padded to 64 bytes), and `"invented by nCipher 1997\0"`. RSA exponents above 32 bits and curves
 * other than P-256 are refused (their encoding is not documented).
 *
 * @returns the hash, or a reason it cannot be computed.
 */
export function keyHash(key: NcoreKey): Uint8Array | string {
  const parts: Uint8Array[] = [];
  let prefix: string;
  if (key.type === 'rsa') {
    if (key.e >= 1n << 32n) return 'RSA public exponents above 32 bits have no documented key hash';
    prefix = 'RSA00';
    parts.push(padded(key.e), padded(key.n));
  } else if (key.type === 'dsa') {
    prefix = 'DSA00';
    parts.push(padded(key.p), padded(key.q), padded(key.g), padded(key.y));
  } else {
    if (key.curve !== 'P-256') return `no documented key hash for ECDSA on ${key.curve}`;
    prefix = 'ECDSA00';
    parts.push(new Uint8Array(8), le(256n, 4), ...P256_PARAMS.map(padded), padded(key.x), padded(key.y));
  }
  const h = sha1.create();
  h.update(ascii(`nFast KeyHash\0${prefix}\0`));
  for (const p of parts) h.update(p);
  h.update(ascii('invented by nCipher 1997\0'));
  return h.digest();
}

function be(x: bigint, length: number): Uint8Array {
  return le(x, length).reverse();
}

/** The uncompressed SEC 1 point of an ECDSA key, or undefined if it is not on its curve. */
export function ecPoint(key: Extract<NcoreKey, { type: 'ecdsa' }>): Uint8Array | undefined {
  const size = key.curve === 'P-256' ? 32 : 66;
  if (key.x >= 1n << BigInt(size * 8) || key.y >= 1n << BigInt(size * 8)) return undefined;
  const point = new Uint8Array(1 + 2 * size);
  point[0] = 4;
  point.set(be(key.x, size), 1);
  point.set(be(key.y, size), 1 + size);
  try {
    (key.curve === 'P-256' ? p256 : p521).Point.fromBytes(point).assertValidity();
    return point;
  } catch {
    return undefined;
  }
}

/**
 * The DER SubjectPublicKeyInfo of an RSA or ECDSA key (RFC 3279 §2.3.1, RFC 5480 §2), or undefined
 * (a DSA key, or a point not on its curve).
 */
export function ncoreKeySpki(key: NcoreKey): Uint8Array | undefined {
  if (key.type === 'rsa') return encodeRsaSpki(key.n, key.e);
  if (key.type !== 'ecdsa') return undefined;
  const point = ecPoint(key);
  return point === undefined ? undefined : encodeEcSpki(key.curve, point);
}

/**
 * Verifies an M_CipherText signature (mechanism word, r, s) over `message`: DSA with SHA-256 under a
 * DSA key, ECDSA with SHA-512 under a P-521 key. Any other pairing is refused.
 *
 * @returns true, false, or a reason the signature cannot be checked.
 */
export function verifyNcoreSignature(
  key: NcoreKey,
  mech: number,
  r: bigint,
  s: bigint,
  message: Uint8Array,
): boolean | string {
  if (mech === MECH_DSA_SHA256 && key.type === 'dsa') return verifyDsa(key, sha256(message), r, s);
  if (mech === MECH_ECDSA_SHA512 && key.type === 'ecdsa' && key.curve === 'P-521') {
    return verifyP521(key, r, s, message);
  }
  return `signature mechanism ${mech} does not fit a ${key.type} key`;
}

/** ECDSA P-521 with SHA-512 over `message`, signature as the integers r and s. */
export function verifyP521(
  key: Extract<NcoreKey, { type: 'ecdsa' }>,
  r: bigint,
  s: bigint,
  message: Uint8Array,
): boolean {
  const point = ecPoint(key);
  const n = p521.Point.CURVE().n;
  if (point === undefined || r <= 0n || s <= 0n || r >= n || s >= n) return false;
  const sig = new Uint8Array(132);
  sig.set(be(r, 66), 0);
  sig.set(be(s, 66), 66);
  return p521.verify(sig, sha512(message), point, { prehash: false, lowS: false });
}
