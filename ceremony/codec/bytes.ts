/**
 * Byte-string utilities shared by every format: concatenation, comparison, strict UTF-8, and
 * big-endian 64-bit integers.
 *
 * Portable: no `node:` imports, no `Buffer`; results are plain `Uint8Array`s.
 */
import { MalformedError, UsageError } from '../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Matches an unpaired UTF-16 surrogate (paired ones are one code point under the `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Concatenates byte strings into a new array.
 *
 * @example concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])) // [1, 2, 3]
 */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Compares two byte strings. When the lengths are equal the time taken does not depend on the
 * contents (safe for digests and MACs); the lengths themselves are not secret.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Orders byte strings bytewise lexicographically (a shorter prefix sorts first), as RFC 8949
 * §4.2.1 orders map keys. Returns a negative number, zero or a positive number. Not constant-time.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/**
 * Encodes a string as UTF-8.
 *
 * @param field - dotted path named in errors (default `text`).
 * @throws MalformedError `TEXT_LONE_SURROGATE` if the string holds an unpaired UTF-16 surrogate,
 *   which has no UTF-8 encoding (`TextEncoder` would silently replace it with U+FFFD).
 */
export function utf8Encode(text: string, field = 'text'): Uint8Array<ArrayBuffer> {
  if (LONE_SURROGATE.test(text)) {
    throw new MalformedError(
      'TEXT_LONE_SURROGATE',
      `${field}: unpaired UTF-16 surrogate, not valid Unicode`,
      {
        field,
      },
    );
  }
  return encoder.encode(text);
}

/**
 * Decodes strict UTF-8 (RFC 3629): overlong forms, surrogates, code points above U+10FFFF and
 * truncated sequences are refused. A leading byte-order mark is kept as U+FEFF, not stripped.
 *
 * @param field - dotted path named in errors (default `text`).
 * @throws MalformedError `UTF8_INVALID` if the bytes are not valid UTF-8.
 */
export function utf8Decode(bytes: Uint8Array, field = 'text'): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new MalformedError('UTF8_INVALID', `${field}: not valid UTF-8`, { field, cause });
  }
}

/** Tells whether the bytes are valid UTF-8 (see {@link utf8Decode}) without throwing. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Encodes an unsigned 64-bit integer as 8 big-endian bytes (network order, e.g. RFC 9162 §2.1).
 *
 * @param n - `0 ≤ n ≤ 2^64 − 1`; a `number` must be a safe integer.
 * @throws UsageError `U64_OUT_OF_RANGE` otherwise.
 */
export function u64be(n: bigint | number): Uint8Array<ArrayBuffer> {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) {
    throw new UsageError('U64_OUT_OF_RANGE', `got ${n}, want a safe integer or a bigint`);
  }
  const v = BigInt(n);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) {
    throw new UsageError('U64_OUT_OF_RANGE', `got ${v}, want 0 ≤ n ≤ 2^64-1`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, false);
  return out;
}

/**
 * Reads an unsigned 64-bit big-endian integer.
 *
 * @param offset - where the 8 bytes start (default 0).
 * @throws MalformedError `U64_TRUNCATED` if fewer than 8 bytes remain at `offset`.
 */
export function readU64be(bytes: Uint8Array, offset = 0, field = 'u64'): bigint {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + 8 > bytes.length) {
    throw new MalformedError(
      'U64_TRUNCATED',
      `${field}: need 8 bytes at offset ${offset}, have ${Math.max(0, bytes.length - offset)}`,
      { field },
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0, false);
}
