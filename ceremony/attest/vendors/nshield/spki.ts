/**
 * DER SubjectPublicKeyInfo of an nCore RSA or ECDSA public key (RFC 3279 §2.3.1, RFC 5480 §2).
 *
 * TEMPORARY local helper until ceremony/crypto/spki.ts lands; then replace with it.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes } from '../../../codec/index.js';
import type { NcoreKey } from './keys.js';
import { ecPoint } from './keys.js';

function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concatBytes(Uint8Array.of(tag, ...len), content);
}

function integer(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = '00' + hex;
  return tlv(
    0x02,
    Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16)),
  );
}

const oid = (bytes: number[]): Uint8Array => tlv(0x06, Uint8Array.from(bytes));
const RSA_ALG = tlv(
  0x30,
  concatBytes(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), Uint8Array.of(0x05, 0x00)),
);
const EC_PUBLIC_KEY = oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);
const CURVES = {
  'P-256': oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
  'P-521': oid([0x2b, 0x81, 0x04, 0x00, 0x23]),
} as const;

/** The SPKI DER of an RSA or ECDSA key, or undefined (a DSA key, or a point not on its curve). */
export function ncoreKeySpki(key: NcoreKey): Uint8Array | undefined {
  if (key.type === 'rsa') {
    const rsaKey = tlv(0x30, concatBytes(integer(key.n), integer(key.e)));
    return tlv(0x30, concatBytes(RSA_ALG, tlv(0x03, concatBytes(Uint8Array.of(0), rsaKey))));
  }
  if (key.type !== 'ecdsa') return undefined;
  const point = ecPoint(key);
  if (point === undefined) return undefined;
  const alg = tlv(0x30, concatBytes(EC_PUBLIC_KEY, CURVES[key.curve]));
  return tlv(0x30, concatBytes(alg, tlv(0x03, concatBytes(Uint8Array.of(0), point))));
}
