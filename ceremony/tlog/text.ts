/**
 * Text hygiene shared by the C2SP text formats: strict UTF-8, no ASCII control characters other
 * than newline, bounded size. c2sp.org/signed-note ("Format"): "Signed notes MUST be valid UTF-8 and
 * MUST NOT contain any ASCII control characters (those below U+0020) other than newline."
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as text, so decoding then encoding gives back the same bytes.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Matches a lone UTF-16 surrogate (in `u` mode a well-formed pair is one code point). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Offset of the first ASCII control character other than newline, or -1. */
function findControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return i;
  }
  return -1;
}

/** UTF-8 encoding of a well-formed string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Takes a format's input as text: decodes bytes as strict UTF-8, checks size and characters.
 *
 * @param input - the text, or its UTF-8 bytes.
 * @param maxBytes - the largest accepted UTF-8 size.
 * @param prefix - error code prefix, e.g. `NOTE` gives `NOTE_TOO_LARGE`.
 * @param field - field named in errors.
 * @returns the text and its UTF-8 bytes.
 * @throws MalformedError `<prefix>_TOO_LARGE`, `<prefix>_ENCODING_INVALID` (bad UTF-8, lone
 *   surrogate), `<prefix>_CONTROL_CHARACTER`.
 */
export function readText(
  input: string | Uint8Array,
  maxBytes: number,
  prefix: string,
  field: string,
): { text: string; bytes: Uint8Array } {
  let text: string;
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    // UTF-8 never takes fewer bytes than UTF-16 code units, so this bounds the work below.
    if (input.length > maxBytes) tooLarge(prefix, field, input.length, maxBytes);
    if (LONE_SURROGATE.test(input)) {
      throw new MalformedError(
        `${prefix}_ENCODING_INVALID`,
        `${field}: lone UTF-16 surrogate, want valid UTF-8`,
        {
          field,
        },
      );
    }
    text = input;
    bytes = encoder.encode(input);
  } else if (input instanceof Uint8Array) {
    bytes = input;
    if (bytes.length > maxBytes) tooLarge(prefix, field, bytes.length, maxBytes);
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      throw new MalformedError(`${prefix}_ENCODING_INVALID`, `${field}: not valid UTF-8`, { field, cause });
    }
  } else {
    throw new MalformedError(
      `${prefix}_MALFORMED`,
      `${field}: got ${typeof input}, want string or Uint8Array`,
      {
        field,
      },
    );
  }
  if (bytes.length > maxBytes) tooLarge(prefix, field, bytes.length, maxBytes);
  checkCharacters(text, prefix, field);
  return { text, bytes };
}

/**
 * Refuses ASCII control characters other than newline, and lone surrogates.
 *
 * @throws MalformedError `<prefix>_CONTROL_CHARACTER`, `<prefix>_ENCODING_INVALID`.
 */
export function checkCharacters(text: string, prefix: string, field: string): void {
  const at = findControl(text);
  if (at >= 0) {
    throw new MalformedError(
      `${prefix}_CONTROL_CHARACTER`,
      `${field}: control character U+${text.charCodeAt(at).toString(16).padStart(4, '0')} at offset ${at}, want none but newline`,
      { field },
    );
  }
  if (LONE_SURROGATE.test(text)) {
    throw new MalformedError(
      `${prefix}_ENCODING_INVALID`,
      `${field}: lone UTF-16 surrogate, want valid UTF-8`,
      {
        field,
      },
    );
  }
}

function tooLarge(prefix: string, field: string, got: number, max: number): never {
  throw new MalformedError(`${prefix}_TOO_LARGE`, `${field}: ${got} bytes or more, want at most ${max}`, {
    field,
  });
}
