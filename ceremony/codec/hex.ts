/**
 * Canonical hexadecimal (RFC 4648 §8 "base16" alphabet, lowercase only).
 *
 * The one accepted form is what {@link hexEncode} prints: two lowercase hex digits per byte, no
 * prefix, separator or whitespace. Uppercase digits are refused so that each byte string has
 * exactly one text form (digests compared as text, file names, `sha256sum` output).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';

const DIGITS = '0123456789abcdef';

/** Encodes bytes as lowercase hex, two digits per byte. */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += DIGITS[b >>> 4]! + DIGITS[b & 15]!;
  }
  return out;
}

function nibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * Decodes canonical lowercase hex.
 *
 * @param field - dotted path named in errors (default `hex`).
 * @param length - when given, the exact number of bytes wanted (e.g. 32 for a SHA-256 digest).
 * @throws MalformedError `HEX_ODD_LENGTH` for an odd number of digits, `HEX_BAD_CHARACTER` for any
 *   character other than `0–9 a–f` (uppercase included), `HEX_BAD_LENGTH` if `length` is given
 *   and the byte count differs.
 * @example hexDecode('00ff') // Uint8Array [0, 255]
 */
export function hexDecode(text: string, field = 'hex', length?: number): Uint8Array<ArrayBuffer> {
  if (length !== undefined && text.length !== length * 2) {
    throw new MalformedError(
      'HEX_BAD_LENGTH',
      `${field}: got ${text.length} hex digits, want ${length * 2}`,
      {
        field,
      },
    );
  }
  if (text.length % 2 !== 0) {
    throw new MalformedError('HEX_ODD_LENGTH', `${field}: odd number of hex digits (${text.length})`, {
      field,
    });
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new MalformedError(
        'HEX_BAD_CHARACTER',
        `${field}: character code ${text.charCodeAt(at)} at offset ${at} is not a lowercase hex digit`,
        { field },
      );
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}
