/**
 * Signed-note structure, c2sp.org/signed-note ("Format"): a text ending in a newline, a blank
 * line, then one or more lines `— <key name> base64(32-bit key ID || signature)`. The text is
 * separated from the signatures by the last blank line. This file only parses; `note-open.ts`
 * verifies.
 *
 * Portable: no `node:` imports.
 */
import { base64Decode } from '../codec/index.js';
import { MalformedError } from '../errors.js';
import { isValidKeyName, readUint32 } from './key-id.js';
import { MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES } from './limits.js';
import { readText, utf8 } from './text.js';

/** Prefix of every signature line: em dash (U+2014) and a space. */
export const SIGNATURE_PREFIX = '\u2014 ';

/** One signature line of a note, parsed but not verified. */
export interface NoteSignatureLine {
  /** Key name. */
  name: string;
  /** Key ID, the first four bytes of the decoded signature, big-endian. */
  keyId: number;
  /** Signature bytes after the key ID (at least one byte). */
  signature: Uint8Array;
  /** The base64 text as it appeared. */
  base64: string;
}

/** A note split into its text and signature lines. */
export interface ParsedNote {
  /** The note text, including its final newline but not the separating blank line. */
  text: string;
  /** UTF-8 bytes of `text`: what signatures sign. */
  textBytes: Uint8Array;
  signatures: NoteSignatureLine[];
}

function malformed(code: string, field: string, reason: string, cause?: unknown): never {
  throw new MalformedError(code, `${field}: ${reason}`, { field, cause });
}

/**
 * Splits a signed note into text and signature lines, strictly; verifies nothing.
 *
 * @param note - the note as text or UTF-8 bytes, at most {@link MAX_NOTE_BYTES} bytes.
 * @throws MalformedError `NOTE_TOO_LARGE`, `NOTE_ENCODING_INVALID`, `NOTE_CONTROL_CHARACTER`,
 *   `NOTE_MALFORMED` (no blank line before a signature block, no final newline, no signature),
 *   `NOTE_TOO_MANY_SIGNATURES` (over {@link MAX_NOTE_SIGNATURES}), `NOTE_SIGNATURE_LINE_MALFORMED`
 *   (no em-dash prefix, invalid key name, non-canonical base64, fewer than 5 bytes).
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  const { text: all } = readText(note, MAX_NOTE_BYTES, 'NOTE', 'note');
  const split = all.lastIndexOf('\n\n');
  if (split < 0) malformed('NOTE_MALFORMED', 'note', 'no blank line before the signatures');
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block === '') malformed('NOTE_MALFORMED', 'note.signatures', 'no signature lines after the blank line');
  if (!block.endsWith('\n')) malformed('NOTE_MALFORMED', 'note.signatures', 'does not end in a newline');
  const lines = block.slice(0, -1).split('\n', MAX_NOTE_SIGNATURES + 1);
  if (lines.length > MAX_NOTE_SIGNATURES) {
    malformed(
      'NOTE_TOO_MANY_SIGNATURES',
      'note.signatures',
      `more than ${MAX_NOTE_SIGNATURES} signature lines`,
    );
  }
  const signatures = lines.map((line, i) => parseSignatureLine(line, `note.signatures[${i}]`));
  return { text, textBytes: utf8(text), signatures };
}

/** Parses `— <name> <base64>` (without its newline). */
function parseSignatureLine(line: string, field: string): NoteSignatureLine {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    malformed('NOTE_SIGNATURE_LINE_MALFORMED', field, "does not start with '\u2014 ' (em dash, space)");
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) malformed('NOTE_SIGNATURE_LINE_MALFORMED', field, 'no space between key name and signature');
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) {
    malformed('NOTE_SIGNATURE_LINE_MALFORMED', `${field}.name`, 'invalid key name (empty, space or +)');
  }
  let raw: Uint8Array;
  try {
    raw = base64Decode(b64, `${field}.signature`);
  } catch (cause) {
    malformed('NOTE_SIGNATURE_LINE_MALFORMED', `${field}.signature`, 'not canonical base64', cause);
  }
  if (raw.length < 5) {
    malformed(
      'NOTE_SIGNATURE_LINE_MALFORMED',
      `${field}.signature`,
      `got ${raw.length} bytes, want key ID + signature (≥ 5)`,
    );
  }
  return { name, keyId: readUint32(raw, 0), signature: raw.slice(4), base64: b64 };
}
