/**
 * Small byte helpers the crypto backends share: equality, wiping, comparisons of big-endian /
 * little-endian integers without BigInt (the range checks on every verification), conversions to
 * and from BigInt, and the unpadded base64url of JWK (RFC 7517 §2, RFC 4648 §5).
 *
 * Portable: no `node:` imports, no `Buffer`.
 */

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Sextet value of each ASCII code in the base64url alphabet, or -1. */
const B64URL_DECODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64URL.length; i++) table[B64URL.charCodeAt(i)] = i;
  return table;
})();

/**
 * Whether two byte strings are equal. Runs in time that depends only on the lengths, so it may
 * compare secret-derived values.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Overwrites `buffers` with zeros. Used on secret intermediates this module created itself (shared
 * secrets copied out of a native buffer, seeds in scratch arrays), so they do not linger on the
 * heap until the garbage collector reuses the memory.
 */
export function wipe(...buffers: Uint8Array[]): void {
  for (const b of buffers) b.fill(0);
}

/** Whether every byte of `bytes` is zero (constant time in the length). */
export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

/**
 * Compares the unsigned big-endian integer in `a[offset, offset + b.length)` with the one in `b`:
 * negative, zero or positive as it is below, equal to or above `b`. Exact for any values, with no
 * BigInt and no allocation.
 *
 * Variable time (it stops at the first differing byte): for public values only (public keys,
 * signatures); secret scalars use the borrow chain of p256-rules.ts.
 *
 * Precondition: `offset + b.length <= a.length`.
 */
export function compareBE(a: Uint8Array, b: Uint8Array, offset = 0): number {
  for (let i = 0; i < b.length; i++) {
    const d = a[offset + i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Compares the unsigned little-endian integer in `a[offset, offset + b.length)` with the one in
 * `b`, most significant (last) byte first; the most significant byte of `a` is first ANDed with
 * `topMask` (0x7f reads a 255-bit value whose bit 255 is a sign or an ignored bit). Negative, zero
 * or positive as in {@link compareBE}; variable time, for public values only.
 *
 * Precondition: `offset + b.length <= a.length`.
 */
export function compareLE(a: Uint8Array, b: Uint8Array, offset = 0, topMask = 0xff): number {
  const top = b.length - 1;
  const d = (a[offset + top]! & topMask) - b[top]!;
  if (d !== 0) return d;
  for (let i = top - 1; i >= 0; i--) {
    const e = a[offset + i]! - b[i]!;
    if (e !== 0) return e;
  }
  return 0;
}

/**
 * `n` as exactly `length` little-endian bytes.
 *
 * Precondition: `0 <= n < 2^(8*length)`.
 */
export function bigintToLE(n: bigint, length: number): Uint8Array<ArrayBuffer> {
  return bigintToBE(n, length).reverse();
}

/** Unsigned big-endian integer. */
export function bigintFromBE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Unsigned little-endian integer. */
export function bigintFromLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * `n` as exactly `length` big-endian bytes.
 *
 * Precondition: `0 <= n < 2^(8*length)` (callers pass values already reduced mod a curve order).
 */
export function bigintToBE(n: bigint, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** Unpadded base64url (RFC 4648 §5), as JWK members use (RFC 7518 §6.2.1.2, RFC 8037 §2). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]! + B64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes unpadded base64url. Used only on strings node:crypto itself produced (exported JWK
 * members), so a bad character is a bug, not bad input.
 *
 * @throws Error on a character outside the alphabet or an impossible length.
 */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 === 1) throw new Error(`base64url: impossible length ${text.length}`);
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64URL_DECODE[c]! : -1;
    if (v < 0) throw new Error(`base64url: bad character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}
