/**
 * DER writing (X.690 §8, §10): the few encoders the project builds structures with (SPKIs, the
 * emulated vendor's extension values, ECDSA signatures). Every output is the one DER encoding:
 * shortest definite lengths, minimal non-negative integers. Reading is ./der.ts.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes } from '../../codec/index.js';
import { TAG } from './der.js';

/** A TLV with a one-octet identifier and its definite length in the shortest form (X.690 §8.1.3). */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const length: number[] = [];
  for (let n = content.length; n > 0; n = Math.floor(n / 256)) length.unshift(n % 256);
  const header = content.length < 0x80 ? [content.length] : [0x80 | length.length, ...length];
  return concatBytes(Uint8Array.of(tag, ...header), content);
}

/**
 * An INTEGER (X.690 §8.3) of the unsigned big-endian `magnitude`: leading zeros dropped, one 0x00
 * put back before a high bit, so the value is read as non-negative.
 * @example derUnsignedInteger(Uint8Array.of(0, 0x80)) // 02 02 00 80
 */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return derTlv(TAG.INTEGER, (m[0] ?? 0) & 0x80 ? concatBytes(Uint8Array.of(0), m) : Uint8Array.from(m));
}

/** An OBJECT IDENTIFIER (X.690 §8.19) from dotted text, each arc in its shortest base-128 form. */
export function derOidEncode(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(BigInt);
  const out: number[] = [];
  for (let arc of [a! * 40n + b!, ...rest]) {
    const groups = [Number(arc & 0x7fn)];
    for (arc >>= 7n; arc > 0n; arc >>= 7n) groups.unshift(Number(arc & 0x7fn) | 0x80);
    out.push(...groups);
  }
  return derTlv(TAG.OID, Uint8Array.from(out));
}

/**
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3) of a raw `r || s`, its
 * two halves of equal length (64 bytes for P-256).
 * @throws RangeError for an odd or empty length (a caller's bug: raw signatures have fixed sizes).
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0)
    throw new RangeError(`ecdsaRawToDer: ${raw.length} bytes is not r || s`);
  const half = raw.length / 2;
  return derTlv(
    TAG.SEQUENCE,
    concatBytes(derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half))),
  );
}
