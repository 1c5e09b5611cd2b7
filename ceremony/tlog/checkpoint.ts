/**
 * Checkpoint note texts, c2sp.org/tlog-checkpoint ("Note text"): origin, tree size (canonical
 * decimal), root hash (base64 of 32 bytes), then optional non-empty extension lines, each line
 * ending in a newline.
 *
 * Portable: no `node:` imports.
 */
import { base64Decode, base64Encode, formatDecimal, parseDecimal } from '../codec/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { HASH_SIZE, MAX_NOTE_BYTES } from './limits.js';
import { checkCharacters, readText } from './text.js';

/** A parsed checkpoint (the note text only; signatures are the note's business). */
export interface Checkpoint {
  /** Log identity, the first line; non-empty. */
  origin: string;
  /** Number of leaves, `0 ≤ size ≤ 2^63 − 1`. */
  size: bigint;
  /** RFC 6962 root hash at `size`, 32 bytes. */
  rootHash: Uint8Array;
  /** Opaque extension lines, each non-empty, without their newline. */
  extensions: string[];
}

/** What {@link formatCheckpoint} takes: a {@link Checkpoint}, size as bigint or number. */
export interface CheckpointInput {
  origin: string;
  size: bigint | number;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}

function malformed(code: string, field: string, reason: string, cause?: unknown): never {
  throw new MalformedError(code, `${field}: ${reason}`, { field, cause });
}

/**
 * Parses a checkpoint note text strictly (c2sp.org/tlog-checkpoint, "Note text").
 *
 * @param text - the note text (what `openNote` returns as `text`), ending in a newline.
 * @returns the checkpoint fields.
 * @throws MalformedError `CHECKPOINT_MALFORMED` (no final newline, fewer than three lines, bad
 *   characters), `CHECKPOINT_ORIGIN_INVALID` (empty), `CHECKPOINT_SIZE_INVALID` (not canonical
 *   decimal ≤ 2^63 − 1), `CHECKPOINT_ROOT_HASH_INVALID` (not canonical base64 of 32 bytes),
 *   `CHECKPOINT_EXTENSION_INVALID` (an empty extension line), `CHECKPOINT_TOO_LARGE`.
 */
export function parseCheckpoint(text: string | Uint8Array): Checkpoint {
  const t = readText(text, MAX_NOTE_BYTES, 'CHECKPOINT', 'checkpoint').text;
  if (!t.endsWith('\n')) malformed('CHECKPOINT_MALFORMED', 'checkpoint', 'does not end in a newline');
  const lines = t.slice(0, -1).split('\n');
  if (lines.length < 3) {
    malformed('CHECKPOINT_MALFORMED', 'checkpoint', `got ${lines.length} line(s), want at least 3`);
  }
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '')
    malformed('CHECKPOINT_ORIGIN_INVALID', 'checkpoint.origin', 'empty, want the log origin');
  let size: bigint;
  try {
    size = parseDecimal(sizeText, 'checkpoint.size');
  } catch (cause) {
    malformed(
      'CHECKPOINT_SIZE_INVALID',
      'checkpoint.size',
      `want canonical decimal ≤ 2^63-1 (${msg(cause)})`,
      cause,
    );
  }
  let rootHash: Uint8Array;
  try {
    rootHash = base64Decode(rootText, 'checkpoint.rootHash');
  } catch (cause) {
    malformed(
      'CHECKPOINT_ROOT_HASH_INVALID',
      'checkpoint.rootHash',
      `want canonical base64 (${msg(cause)})`,
      cause,
    );
  }
  if (rootHash.length !== HASH_SIZE) {
    malformed(
      'CHECKPOINT_ROOT_HASH_INVALID',
      'checkpoint.rootHash',
      `got ${rootHash.length} bytes, want ${HASH_SIZE}`,
    );
  }
  extensions.forEach((line, i) => {
    if (line === '') {
      malformed('CHECKPOINT_EXTENSION_INVALID', `checkpoint.extensions[${i}]`, 'empty line, want non-empty');
    }
  });
  return { origin, size, rootHash, extensions };
}

/**
 * Formats a checkpoint note text (the inverse of {@link parseCheckpoint}), ready for `signNote`.
 *
 * @throws UsageError `CHECKPOINT_ORIGIN_INVALID`, `CHECKPOINT_EXTENSION_INVALID` (empty, or holding
 *   a newline or control character), `CHECKPOINT_SIZE_INVALID` (not an integer in 0..2^63 − 1),
 *   `CHECKPOINT_ROOT_HASH_INVALID` (not 32 bytes).
 */
export function formatCheckpoint(checkpoint: CheckpointInput): string {
  const { origin, size, rootHash } = checkpoint;
  const extensions = checkpoint.extensions ?? [];
  checkLine(origin, 'CHECKPOINT_ORIGIN_INVALID', 'checkpoint.origin');
  extensions.forEach((line, i) =>
    checkLine(line, 'CHECKPOINT_EXTENSION_INVALID', `checkpoint.extensions[${i}]`),
  );
  let sizeText: string;
  try {
    sizeText = formatDecimal(size);
  } catch (cause) {
    throw new UsageError('CHECKPOINT_SIZE_INVALID', `checkpoint.size: got ${String(size)}, want 0..2^63-1`, {
      field: 'checkpoint.size',
      cause,
    });
  }
  if (!(rootHash instanceof Uint8Array) || rootHash.length !== HASH_SIZE) {
    throw new UsageError('CHECKPOINT_ROOT_HASH_INVALID', `checkpoint.rootHash: want ${HASH_SIZE} bytes`, {
      field: 'checkpoint.rootHash',
    });
  }
  return [origin, sizeText, base64Encode(rootHash), ...extensions].map((l) => l + '\n').join('');
}

function checkLine(line: string, code: string, field: string): void {
  if (typeof line !== 'string' || line === '' || line.includes('\n')) {
    throw new UsageError(code, `${field}: want a non-empty line without newline`, { field });
  }
  try {
    checkCharacters(line, 'CHECKPOINT', field);
  } catch (cause) {
    throw new UsageError(code, `${field}: ${msg(cause)}`, { field, cause });
  }
}

function msg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
