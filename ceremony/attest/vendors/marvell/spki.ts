/**
 * DER SubjectPublicKeyInfo of the key a LiquidSecurity attestation describes: RSA from its modulus
 * and public exponent (RFC 3279 §2.3.1), EC from its uncompressed point (RFC 5480 §2), the curve
 * told by the point's length.
 *
 * TEMPORARY local helper until ceremony/crypto/spki.ts lands; then replace with it.
 *
 * Portable: no `node:` imports.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { concatBytes } from '../../../codec/index.js';

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concatBytes(Uint8Array.of(tag, ...len), content);
}

/** A DER INTEGER from unsigned big-endian bytes (leading zeros dropped, a sign octet added). */
function uint(be: Uint8Array): Uint8Array {
  let i = 0;
  while (i < be.length - 1 && be[i] === 0) i++;
  const v = be.subarray(i);
  return tlv(0x02, v[0]! >= 0x80 ? concatBytes(Uint8Array.of(0), v) : v);
}

const oid = (bytes: number[]): Uint8Array => tlv(0x06, Uint8Array.from(bytes));
const RSA_ALG = tlv(
  0x30,
  concatBytes(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), Uint8Array.of(0x05, 0x00)),
);
const EC_PUBLIC_KEY = oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);

/** Curves by the length of their uncompressed point. */
const CURVES = new Map([
  [65, { name: 'P-256', oid: oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]), curve: p256 }],
  [97, { name: 'P-384', oid: oid([0x2b, 0x81, 0x04, 0x00, 0x22]), curve: p384 }],
  [133, { name: 'P-521', oid: oid([0x2b, 0x81, 0x04, 0x00, 0x23]), curve: p521 }],
]);

/** SPKI of an RSA key. Requires a non-empty modulus and exponent. */
export function rsaSpki(modulus: Uint8Array, exponent: Uint8Array): Uint8Array {
  const key = tlv(0x30, concatBytes(uint(modulus), uint(exponent)));
  return tlv(0x30, concatBytes(RSA_ALG, tlv(0x03, concatBytes(Uint8Array.of(0), key))));
}

/**
 * SPKI of an EC key from its uncompressed SEC 1 point, with the curve's name; undefined when the
 * point is not uncompressed, of a known length, and on its curve.
 */
export function ecSpki(point: Uint8Array): { spki: Uint8Array; curve: string } | undefined {
  const c = CURVES.get(point.length);
  if (c === undefined || point[0] !== 4) return undefined;
  try {
    c.curve.Point.fromBytes(point).assertValidity();
  } catch {
    return undefined;
  }
  const alg = tlv(0x30, concatBytes(EC_PUBLIC_KEY, c.oid));
  return {
    spki: tlv(0x30, concatBytes(alg, tlv(0x03, concatBytes(Uint8Array.of(0), point)))),
    curve: c.name,
  };
}
