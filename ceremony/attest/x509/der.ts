/**
 * A strict DER reader (ITU-T X.690 §8 and §10) for certificates and attestation extensions.
 *
 * Only what X.509 needs: single-byte identifiers (low tag numbers), definite lengths in their
 * shortest form, at most 4 length octets. Everything else (indefinite lengths, high tag numbers,
 * non-minimal lengths, trailing bytes) is refused with a {@link MalformedError} whose code is
 * `ATTEST_MALFORMED` and whose `field` names the place. Value decoders live in ./der-values.ts.
 *
 * Portable: no `node:` imports, no `Buffer`.
 */
import { MalformedError } from '../../errors.js';

/** Identifier octets of the universal types X.509 and the attestation profiles use. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One TLV: its identifier octet, the whole encoding and the content octets (views, not copies). */
export interface DerElement {
  /** The identifier octet (class, constructed bit and tag number). */
  readonly tag: number;
  /** The whole TLV (identifier, length and content). */
  readonly bytes: Uint8Array;
  /** The content octets. */
  readonly content: Uint8Array;
}

/** The error every DER decoder throws: code `ATTEST_MALFORMED`, naming the field. */
export function derError(field: string, message: string): MalformedError<'ATTEST_MALFORMED'> {
  return new MalformedError('ATTEST_MALFORMED', message, { field });
}

/**
 * Reads the TLV that starts at `offset`. Requires `0 <= offset < buf.length`.
 *
 * @throws MalformedError `ATTEST_MALFORMED` on a truncated, indefinite, non-minimal or
 *   high-tag-number encoding.
 */
export function readElement(buf: Uint8Array, offset: number, field: string): DerElement {
  if (offset + 2 > buf.length) throw derError(field, 'truncated DER element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw derError(field, 'high tag numbers are not used in X.509');
  const first = buf[offset + 1]!;
  let length = first;
  let header = 2;
  if (first === 0x80) throw derError(field, 'indefinite length is not DER');
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw derError(field, `length of ${count} octets is too long`);
    if (offset + 2 + count > buf.length) throw derError(field, 'truncated DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i]!;
    if (buf[offset + 2] === 0 || length < 0x80) {
      throw derError(field, 'length is not in its shortest form (not DER)');
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > buf.length) throw derError(field, `DER element runs ${end - buf.length} bytes past its end`);
  return {
    tag,
    bytes: buf.subarray(offset, end),
    content: buf.subarray(offset + header, end),
  };
}

/**
 * Decodes exactly one TLV that fills `bytes` (no trailing bytes).
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 * @example decodeDer(new Uint8Array([0x05, 0x00]), 'x').tag === TAG.NULL
 */
export function decodeDer(bytes: Uint8Array, field: string): DerElement {
  const element = readElement(bytes, 0, field);
  if (element.bytes.length !== bytes.length) {
    throw derError(field, `${bytes.length - element.bytes.length} trailing bytes after the DER element`);
  }
  return element;
}

/**
 * The elements inside a constructed element, in order; its content must be exactly their
 * concatenation.
 *
 * @throws MalformedError `ATTEST_MALFORMED` if `element` is primitive or its content does not parse.
 */
export function derChildren(element: DerElement, field: string): DerElement[] {
  if ((element.tag & 0x20) === 0) throw derError(field, 'expected a constructed element');
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const child = readElement(element.content, offset, `${field}[${out.length}]`);
    out.push(child);
    offset += child.bytes.length;
  }
  return out;
}

/**
 * The children of `element` after checking it carries `tag` (usually {@link TAG.SEQUENCE}) and has
 * between `min` and `max` children.
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 */
export function derSequence(
  element: DerElement,
  field: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
  tag: number = TAG.SEQUENCE,
): DerElement[] {
  expectTag(element, tag, field);
  const items = derChildren(element, field);
  if (items.length < min || items.length > max) {
    const want =
      min === max ? `${min}` : max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}..${max}`;
    throw derError(field, `expected ${want} elements, got ${items.length}`);
  }
  return items;
}

/**
 * Checks the identifier octet.
 *
 * @throws MalformedError `ATTEST_MALFORMED` naming the expected and the actual tag.
 */
export function expectTag(element: DerElement, tag: number, field: string): void {
  if (element.tag !== tag) {
    throw derError(field, `expected tag 0x${hex2(tag)}, got 0x${hex2(element.tag)}`);
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
