/**
 * Strict decoders for the DER primitive values X.509 and the attestation extensions use
 * (ITU-T X.690 §8 and §11; RFC 5280 §4.1.2.5 for times). Each checks the tag, the canonical
 * form and that the content is fully used, and throws a {@link MalformedError}
 * `ATTEST_MALFORMED` naming the field otherwise.
 *
 * Portable: no `node:` imports, no `Buffer`.
 */
import type { DerElement } from './der.js';
import { TAG, decodeDer, derError, expectTag } from './der.js';

/** BOOLEAN: one octet, `00` (false) or `FF` (true) (X.690 §11.1). */
export function derBoolean(element: DerElement, field: string): boolean {
  expectTag(element, TAG.BOOLEAN, field);
  const [v] = element.content;
  if (element.content.length !== 1 || (v !== 0x00 && v !== 0xff)) {
    throw derError(field, 'BOOLEAN must be one octet, 00 or FF');
  }
  return v === 0xff;
}

/** NULL: empty content. */
export function derNull(element: DerElement, field: string): null {
  expectTag(element, TAG.NULL, field);
  if (element.content.length !== 0) throw derError(field, 'NULL must be empty');
  return null;
}

/**
 * INTEGER (or ENUMERATED with `tag`): two's complement in the fewest octets (X.690 §8.3.2).
 *
 * @example derInteger(decodeDer(new Uint8Array([2, 2, 0x7e, 0x57]), 'id'), 'id') === 0x7e57n
 */
export function derInteger(element: DerElement, field: string, tag: number = TAG.INTEGER): bigint {
  expectTag(element, tag, field);
  const c = element.content;
  if (c.length === 0) throw derError(field, 'INTEGER has no content octets');
  if (c.length > 1 && ((c[0] === 0x00 && c[1]! < 0x80) || (c[0] === 0xff && c[1]! >= 0x80))) {
    throw derError(field, 'INTEGER is not in its shortest form (not DER)');
  }
  let value = 0n;
  for (const b of c) value = (value << 8n) | BigInt(b);
  if (c[0]! >= 0x80) value -= 1n << BigInt(8 * c.length);
  return value;
}

/** OBJECT IDENTIFIER in dotted form, each arc in its shortest base-128 form (X.690 §8.19). */
export function derOid(element: DerElement, field: string): string {
  expectTag(element, TAG.OID, field);
  const c = element.content;
  if (c.length === 0 || (c[c.length - 1]! & 0x80) !== 0) throw derError(field, 'truncated OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let value = 0n;
  let start = true;
  for (const b of c) {
    if (start && b === 0x80) throw derError(field, 'OBJECT IDENTIFIER arc has a leading 0x80 (not DER)');
    value = (value << 7n) | BigInt(b & 0x7f);
    start = (b & 0x80) === 0;
    if (start) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** BIT STRING of whole octets (no unused bits), as its octets. */
export function derBitStringBytes(element: DerElement, field: string): Uint8Array {
  expectTag(element, TAG.BIT_STRING, field);
  if (element.content.length === 0) throw derError(field, 'BIT STRING has no unused-bits octet');
  if (element.content[0] !== 0) throw derError(field, 'BIT STRING must have no unused bits');
  return element.content.subarray(1);
}

/**
 * BIT STRING as a list of bit values, bit 0 first (X.690 §8.6; named-bit order, as keyUsage
 * uses). The unused bits must be zero (X.690 §11.2.1).
 */
export function derBitStringBits(element: DerElement, field: string): boolean[] {
  expectTag(element, TAG.BIT_STRING, field);
  const c = element.content;
  const unused = c[0];
  if (unused === undefined || unused > 7 || (c.length === 1 && unused !== 0)) {
    throw derError(field, 'BIT STRING has a bad unused-bits octet');
  }
  const last = c[c.length - 1]!;
  if (c.length > 1 && (last & ((1 << unused) - 1)) !== 0)
    throw derError(field, 'BIT STRING unused bits must be zero');
  const bits: boolean[] = [];
  for (let i = 0; i < (c.length - 1) * 8 - unused; i++)
    bits.push((c[1 + (i >> 3)]! & (0x80 >> (i & 7))) !== 0);
  return bits;
}

/** OCTET STRING content. */
export function derOctetString(element: DerElement, field: string): Uint8Array {
  expectTag(element, TAG.OCTET_STRING, field);
  return element.content;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF8String, which must be valid UTF-8. */
export function derUtf8String(element: DerElement, field: string): string {
  expectTag(element, TAG.UTF8_STRING, field);
  try {
    return utf8.decode(element.content);
  } catch {
    throw derError(field, 'UTF8String is not valid UTF-8');
  }
}

/**
 * UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows: `YYMMDDHHMMSSZ`
 * (years 1950..2049) and `YYYYMMDDHHMMSSZ`. With `allowFraction`, a GeneralizedTime may carry
 * fractional seconds in DER form (X.690 §11.7: `.` and digits, no trailing zero).
 */
export function derTime(element: DerElement, field: string, allowFraction = false): Date {
  const text = String.fromCharCode(...element.content);
  let m: RegExpExecArray | null;
  let year: number;
  let rest: string[];
  if (element.tag === TAG.UTC_TIME && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text))) {
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = m.slice(2, 7);
  } else if (
    element.tag === TAG.GENERALIZED_TIME &&
    (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d*[1-9])?Z$/.exec(text)) &&
    (allowFraction || m[7] === undefined)
  ) {
    year = Number(m[1]);
    rest = m.slice(2, 7);
    if (m[7] !== undefined && m[7].length > 4)
      throw derError(field, 'time has more than millisecond precision');
  } else {
    throw derError(field, `not an RFC 5280 UTCTime/GeneralizedTime: ${JSON.stringify(text)}`);
  }
  const [mo, d, h, mi, s] = rest.map(Number) as [number, number, number, number, number];
  const ms = m[7] === undefined ? 0 : Math.round(Number(`0${m[7]}`) * 1000);
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s, ms));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    throw derError(field, `time ${JSON.stringify(text)} is not a calendar date`);
  }
  return date;
}

/** Decodes a whole DER value with `decode` (for extension values: the OCTET STRING's content). */
export function decodeWhole<T>(
  bytes: Uint8Array,
  field: string,
  decode: (element: DerElement, field: string) => T,
): T {
  return decode(decodeDer(bytes, field), field);
}
