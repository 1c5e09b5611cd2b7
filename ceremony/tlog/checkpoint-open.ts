/**
 * Opening a signed checkpoint: c2sp.org/tlog-checkpoint ("Signatures") and c2sp.org/tlog-proof
 * ("Verifying a tlog proof", step 2). The note must verify (c2sp.org/signed-note), its text must be
 * a checkpoint, and one verified signature must be by a key named after the origin (the log's own
 * key), so a note signed only by a witness is not taken for a log checkpoint.
 *
 * Portable: no `node:` imports.
 */
import { isCeremonyError, VerificationError } from '../errors.js';
import { parseCheckpoint } from './checkpoint.js';
import type { Checkpoint } from './checkpoint.js';
import { openNote, shorten } from './note-open.js';
import type { OpenedNote } from './note-open.js';
import type { Verifier } from './verifier.js';

/** Options of {@link openCheckpoint}. */
export interface OpenCheckpointOptions {
  /** The origin the caller expects (the log's name); when absent, any origin with a signing log key. */
  origin?: string;
}

/** A verified checkpoint and the note it came in. */
export interface OpenedCheckpoint extends OpenedNote {
  checkpoint: Checkpoint;
}

/** Note-level verification codes and the checkpoint codes they become. */
const RENAMED: Record<string, string> = {
  NOTE_SIGNATURE_INVALID: 'CHECKPOINT_SIGNATURE_INVALID',
  NOTE_NO_VERIFIED_SIGNATURE: 'CHECKPOINT_NO_VERIFIED_SIGNATURE',
};

/**
 * Verifies a signed checkpoint and parses it.
 *
 * @param note - the signed checkpoint note, text or UTF-8 bytes.
 * @param verifiers - the log's key (named as the origin) and any cosigner keys to check.
 * @param options - `origin`: the expected origin line.
 * @returns the checkpoint, its verified signatures and the ignored unknown ones.
 * @throws MalformedError from `parseNote` and `parseCheckpoint`.
 * @throws VerificationError `CHECKPOINT_SIGNATURE_INVALID` (a known key's signature fails),
 *   `CHECKPOINT_NO_VERIFIED_SIGNATURE` (no known key signed), `CHECKPOINT_ORIGIN_MISMATCH`,
 *   `CHECKPOINT_LOG_SIGNATURE_MISSING` (no verified signature by a key named after the origin).
 * @throws UsageError as `openNote`.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: readonly Verifier[],
  options: OpenCheckpointOptions = {},
): OpenedCheckpoint {
  let opened: OpenedNote;
  try {
    opened = openNote(note, verifiers);
  } catch (e) {
    const code = isCeremonyError(e) ? RENAMED[e.code] : undefined;
    if (code === undefined || !isCeremonyError(e)) throw e;
    throw new VerificationError(code, e.message.replace(/^note/, 'checkpoint'), {
      field: 'checkpoint',
      cause: e,
    });
  }
  const checkpoint = parseCheckpoint(opened.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    throw new VerificationError(
      'CHECKPOINT_ORIGIN_MISMATCH',
      `checkpoint.origin: got ${JSON.stringify(shorten(checkpoint.origin))}, want ${JSON.stringify(options.origin)}`,
      { field: 'checkpoint.origin' },
    );
  }
  if (!opened.signatures.some((s) => s.name === checkpoint.origin)) {
    throw new VerificationError(
      'CHECKPOINT_LOG_SIGNATURE_MISSING',
      `checkpoint: no verified signature by a log key named ${JSON.stringify(shorten(checkpoint.origin))}`,
      { field: 'checkpoint.signatures' },
    );
  }
  return { ...opened, checkpoint };
}
