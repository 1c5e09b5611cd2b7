/**
 * Just enough DER (ITU-T X.690 §8, §10) to read a SubjectPublicKeyInfo strictly: one
 * tag-length-value at a time, definite lengths in their minimal form only (X.690 §10.1), and
 * object identifiers rendered as dotted text for error messages (X.690 §8.19).
 *
 * Portable: no `node:` imports.
 */
import { cryptoError } from './input.js';

/** One DER element: its tag, its contents, and where the next element starts. */
export interface Tlv {
  tag: number;
  value: Uint8Array;
  end: number;
}

/**
 * Reads the element starting at `offset` of `der`, which must end at or before `limit`.
 * Only single-byte tags are accepted (all SubjectPublicKeyInfo tags are).
 *
 * @param what - the element's name for messages, e.g. `algorithm`.
 * @throws MalformedError `CRYPTO_SPKI_MALFORMED` on a truncated element, an indefinite or
 * non-minimal length, or a high tag number.
 */
export function readTlv(der: Uint8Array, offset: number, limit: number, what: string): Tlv {
  const bad = (reason: string) => cryptoError('CRYPTO_SPKI_MALFORMED', 'spki', `spki ${what}: ${reason}`);
  if (offset + 2 > limit) throw bad('truncated');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw bad('high tag numbers are not used in SubjectPublicKeyInfo');
  let pos = offset + 1;
  const first = der[pos++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    // 0x80 is the BER indefinite length; more than 2 length bytes cannot fit the size bound.
    if (count === 0) throw bad('indefinite length (not DER)');
    if (count > 2) throw bad(`length of ${count} bytes is too large`);
    if (pos + count > limit) throw bad('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | der[pos++]!;
    const minimal = length >= 0x80 && (count === 1 || length >= 0x100);
    if (!minimal) throw bad(`length ${length} not in its minimal form (X.690 §10.1)`);
  }
  if (pos + length > limit) throw bad(`length ${length} runs past the end`);
  return { tag, value: der.subarray(pos, pos + length), end: pos + length };
}

/**
 * An OBJECT IDENTIFIER's contents as dotted text, e.g. `1.3.101.112`; `(invalid OID)` when the
 * contents are not a valid encoding (the text only feeds error messages).
 */
export function oidToString(value: Uint8Array): string {
  if (value.length === 0 || (value[value.length - 1]! & 0x80) !== 0) return '(invalid OID)';
  const arcs: bigint[] = [];
  let acc = 0n;
  let start = true;
  for (const b of value) {
    if (start && b === 0x80) return '(invalid OID)'; // a leading 0x80 is a non-minimal arc
    acc = (acc << 7n) | BigInt(b & 0x7f);
    start = (b & 0x80) === 0;
    if (start) {
      arcs.push(acc);
      acc = 0n;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}
