/**
 * Signing notes, c2sp.org/signed-note ("Format", "Signatures"): the signers sign the UTF-8 note
 * text; each adds the line `— <name> base64(key ID || signature)`.
 *
 * Portable: no `node:` imports.
 */
import { base64Encode } from '../codec/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { isValidKeyName, uint32Bytes } from './key-id.js';
import { MAX_NOTE_BYTES } from './limits.js';
import { parseNote, SIGNATURE_PREFIX } from './note-parse.js';
import { readText } from './text.js';
import type { Signer } from './verifier.js';

function signatureLines(textBytes: Uint8Array, signers: readonly Signer[], taken: Set<string>): string {
  let out = '';
  signers.forEach((s, i) => {
    const field = `signers[${i}]`;
    if (typeof s !== 'object' || s === null || typeof s.sign !== 'function' || !isValidKeyName(s.name)) {
      throw new UsageError('SIGNER_INVALID', `${field}: not a Signer with a valid key name`, { field });
    }
    const k = `${s.keyId}:${s.name}`;
    if (taken.has(k)) {
      throw new UsageError(
        'NOTE_DUPLICATE_SIGNER',
        `${field}: the note already has a signature by ${s.name}`,
        { field },
      );
    }
    taken.add(k);
    const sig = s.sign(textBytes);
    const raw = new Uint8Array(4 + sig.length);
    raw.set(uint32Bytes(s.keyId), 0);
    raw.set(sig, 4);
    out += `${SIGNATURE_PREFIX}${s.name} ${base64Encode(raw)}\n`;
  });
  return out;
}

function asList(signers: Signer | readonly Signer[]): readonly Signer[] {
  const list = Array.isArray(signers) ? (signers as readonly Signer[]) : [signers as Signer];
  if (list.length === 0)
    throw new UsageError('NOTE_NO_SIGNER', 'signers: empty, want at least one', { field: 'signers' });
  return list;
}

/** Checks that a note we produced parses back (size and signature-count limits included). */
function checked(note: string): string {
  parseNote(note);
  return note;
}

/**
 * Signs a note text.
 *
 * @param text - the note text: valid UTF-8, ending in a newline, no control characters but newline.
 * @param signers - one signer or several, with distinct (name, key ID).
 * @returns the signed note: text, blank line, one signature line per signer, in order.
 * @throws MalformedError `NOTE_TEXT_INVALID` (no final newline), `NOTE_ENCODING_INVALID`,
 *   `NOTE_CONTROL_CHARACTER`, `NOTE_TOO_LARGE`, `NOTE_TOO_MANY_SIGNATURES`.
 * @throws UsageError `NOTE_NO_SIGNER`, `NOTE_DUPLICATE_SIGNER`, `SIGNER_INVALID`.
 * @example signNote('hello\n', parseSignerKey(skey))
 */
export function signNote(text: string, signers: Signer | readonly Signer[]): string {
  const list = asList(signers);
  const { text: t, bytes } = readText(text, MAX_NOTE_BYTES, 'NOTE', 'note.text');
  if (!t.endsWith('\n')) {
    throw new MalformedError('NOTE_TEXT_INVALID', 'note.text: does not end in a newline', {
      field: 'note.text',
    });
  }
  return checked(`${t}\n${signatureLines(bytes, list, new Set())}`);
}

/**
 * Adds signatures to an already signed note (as a witness adds its cosignature), keeping the
 * existing lines. Verifies nothing: open the note with the log's key first.
 *
 * @param note - a signed note.
 * @param signers - signers whose (name, key ID) is not yet in the note.
 * @returns the note with the new signature lines appended.
 * @throws MalformedError as {@link parseNote}; UsageError as {@link signNote}.
 */
export function appendNoteSignatures(note: string | Uint8Array, signers: Signer | readonly Signer[]): string {
  const list = asList(signers);
  const parsed = parseNote(note);
  const taken = new Set(parsed.signatures.map((s) => `${s.keyId}:${s.name}`));
  const existing = parsed.signatures.map((s) => `${SIGNATURE_PREFIX}${s.name} ${s.base64}\n`).join('');
  return checked(`${parsed.text}\n${existing}${signatureLines(parsed.textBytes, list, taken)}`);
}
