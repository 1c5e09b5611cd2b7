/**
 * Canonical base64: RFC 4648 §4 (standard alphabet `A–Z a–z 0–9 + /`, `=` padding).
 *
 * Every byte string has exactly one accepted text form. {@link base64Decode} refuses anything that
 * would not re-encode to the identical text: characters outside the alphabet (including whitespace,
 * line breaks and the URL-safe `-`/`_` of RFC 4648 §5), a length that is not a multiple of 4,
 * missing or extra padding, `=` anywhere but the end, and non-zero pad bits (RFC 4648 §3.5).
 *
 * Portable: no `node:` imports, no `Buffer`.
 */
import { MalformedError } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Sextet value of each ASCII code, or -1 for characters outside the alphabet. */
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Encodes bytes as padded, standard-alphabet base64 (RFC 4648 §4), without line breaks.
 *
 * @example base64Encode(new Uint8Array([0x66, 0x6f])) === 'Zm8='
 */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[full]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[full]! << 16) | (bytes[full + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + '=';
  }
  return out;
}

function fail(code: string, field: string, reason: string): never {
  throw new MalformedError(code, `${field}: ${reason}`, { field });
}

/**
 * Decodes canonical base64 (RFC 4648 §4, padded, standard alphabet). The empty string decodes to
 * zero bytes.
 *
 * @param text - the base64 text; no whitespace or line breaks are allowed anywhere.
 * @param field - dotted path named in errors (default `base64`).
 * @throws MalformedError `BASE64_BAD_CHARACTER` for a character outside the alphabet (whitespace
 *   included), `BASE64_BAD_PADDING` for `=` other than one or two at the very end,
 *   `BASE64_BAD_LENGTH` if the length is not a multiple of 4 (missing or extra padding),
 *   `BASE64_NON_CANONICAL` for non-zero pad bits (RFC 4648 §3.5).
 * @example base64Decode('Zm8=') // Uint8Array [0x66, 0x6f]
 */
export function base64Decode(text: string, field = 'base64'): Uint8Array<ArrayBuffer> {
  const sextets = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE_TABLE[c]! : -1;
    if (v < 0 && c !== 0x3d) {
      fail('BASE64_BAD_CHARACTER', field, `character code ${c} at offset ${i} is not in the base64 alphabet`);
    }
    sextets[i] = v < 0 ? 0 : v; // '=' counts as zero bits
  }
  let pad = 0;
  while (pad < text.length && text.charCodeAt(text.length - 1 - pad) === 0x3d) pad++;
  if (pad > 2) fail('BASE64_BAD_PADDING', field, `${pad} padding characters, want at most 2`);
  const body = text.length - pad;
  const inner = text.indexOf('=');
  if (inner >= 0 && inner < body)
    fail('BASE64_BAD_PADDING', field, `'=' at offset ${inner} is not at the end`);
  if (text.length % 4 !== 0) {
    fail(
      'BASE64_BAD_LENGTH',
      field,
      `length ${text.length} is not a multiple of 4 (padding missing or extra)`,
    );
  }
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (sextets[i]! << 18) | (sextets[i + 1]! << 12) | (sextets[i + 2]! << 6) | sextets[i + 3]!;
    out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  // RFC 4648 §3.5: the pad bits of the last sextet before '=' must be zero.
  const last = sextets[body - 1];
  if ((pad === 1 && (last! & 0x03) !== 0) || (pad === 2 && (last! & 0x0f) !== 0)) {
    fail('BASE64_NON_CANONICAL', field, 'non-zero pad bits before the padding');
  }
  return out;
}
