/**
 * One round of `log monitor` (docs/witness-log.md, "Monitor"): fetch the log's checkpoint, verify
 * it, and check it against the last checkpoint this monitor saw.
 *
 * - none seen before: the tiles must hash to the new root; the checkpoint is recorded;
 * - same size: the roots must be equal;
 * - larger: a consistency proof built from the tiles (which must hash to the new root) must show
 *   the old tree is a prefix of the new one;
 * - smaller: the log may be serving a stale checkpoint; if the tiles of the larger, older tree are
 *   still there and show the new checkpoint is its prefix, nothing is wrong, else it is a rollback.
 *
 * Two signed checkpoints that cannot both be true are a split view: {@link SplitViewError} carries
 * both notes as evidence. Portable: no `node:` imports.
 */
import { VerificationError, isCeremonyError } from '../../errors.js';
import { hashesEqual } from '../../tlog/index.js';
import type { LogClient, VerifiedCheckpoint } from './client.js';
import type { LogVerificationErrorCode } from './codes.js';

/** What one round found, when nothing was wrong. */
export type MonitorResult =
  /** No previous checkpoint: `current` is recorded. */
  | { readonly kind: 'first'; readonly current: VerifiedCheckpoint }
  /** Same size and root as before. */
  | {
      readonly kind: 'unchanged';
      readonly previous: VerifiedCheckpoint;
      readonly current: VerifiedCheckpoint;
    }
  /** The log grew consistently; `proof` is the consistency proof checked. */
  | {
      readonly kind: 'extended';
      readonly previous: VerifiedCheckpoint;
      readonly current: VerifiedCheckpoint;
      readonly proof: Uint8Array[];
    }
  /** The log served an older checkpoint that is a prefix of the one seen before (a stale cache). */
  | { readonly kind: 'stale'; readonly previous: VerifiedCheckpoint; readonly current: VerifiedCheckpoint };

/** Two signed checkpoints of one log that cannot both be true; both notes are the evidence. */
export class SplitViewError extends VerificationError<LogVerificationErrorCode> {
  /** The checkpoint seen before, signed note verbatim. */
  readonly previous: VerifiedCheckpoint;
  /** The checkpoint the log serves now. */
  readonly current: VerifiedCheckpoint;
  /** The consistency proof from the tiles, when one was built (it does not verify). */
  readonly proof: Uint8Array[] | undefined;

  constructor(
    code: 'LOG_SPLIT_VIEW' | 'LOG_ROLLBACK',
    reason: string,
    previous: VerifiedCheckpoint,
    current: VerifiedCheckpoint,
    proof?: Uint8Array[],
    cause?: unknown,
  ) {
    super(code, reason, { field: 'checkpoint', cause });
    this.previous = previous;
    this.current = current;
    this.proof = proof;
  }
}

const isTilesInvalid = (e: unknown) => isCeremonyError(e) && e.code === 'LOG_TILES_INVALID';

/**
 * Checks the log's current checkpoint against `previousNote` (the last one seen, if any).
 *
 * @throws SplitViewError `LOG_SPLIT_VIEW` (same size and different roots, or a larger tree that
 *   does not extend the smaller) or `LOG_ROLLBACK` (an older checkpoint that cannot be shown to be
 *   a prefix of the one seen).
 * @throws VerificationError `LOG_TILES_INVALID` if the log's tiles do not match its own signed
 *   checkpoint; as `openCheckpoint` for a bad signature; UsageError `LOG_RESOURCE_MISSING`.
 */
export async function monitorLog(client: LogClient, previousNote?: string): Promise<MonitorResult> {
  const current = await client.fetchCheckpoint();
  if (previousNote === undefined) {
    await client.rootHash(current.size, current); // the tiles must match what was signed
    return { kind: 'first', current };
  }
  const previous = client.verifyCheckpoint(previousNote);
  if (current.size === previous.size) {
    if (!hashesEqual(current.rootHash, previous.rootHash)) {
      throw new SplitViewError(
        'LOG_SPLIT_VIEW',
        `two checkpoints of size ${current.size} with different roots`,
        previous,
        current,
      );
    }
    return { kind: 'unchanged', previous, current };
  }
  if (current.size > previous.size) {
    if (previous.size === 0n) {
      await client.rootHash(0, current);
      return { kind: 'extended', previous, current, proof: [] };
    }
    // The tiles must hash to the new root (else LOG_TILES_INVALID: the log's own data is bad);
    // the old root they then imply is what the log committed to at the previous size.
    const result = await client.consistencyProof(previous.size, current);
    if (!hashesEqual(result.oldRoot, previous.rootHash)) {
      throw new SplitViewError(
        'LOG_SPLIT_VIEW',
        `the tree of size ${current.size} does not extend the checkpoint of size ${previous.size} seen before`,
        previous,
        current,
        result.proof,
      );
    }
    return { kind: 'extended', previous, current, proof: result.proof };
  }
  // A smaller checkpoint: is it a prefix of the larger one seen before?
  let prefixRoot: Uint8Array;
  try {
    prefixRoot = await client.rootHash(current.size, previous);
  } catch (e) {
    if (!isTilesInvalid(e) && !(isCeremonyError(e) && e.code === 'LOG_RESOURCE_MISSING')) throw e;
    throw new SplitViewError(
      'LOG_ROLLBACK',
      `the log serves a checkpoint of size ${current.size} after one of size ${previous.size}, and its tiles cannot show the smaller is a prefix of the larger`,
      previous,
      current,
      undefined,
      e,
    );
  }
  if (!hashesEqual(prefixRoot, current.rootHash)) {
    throw new SplitViewError(
      'LOG_SPLIT_VIEW',
      `the checkpoint of size ${current.size} is not a prefix of the checkpoint of size ${previous.size} seen before`,
      previous,
      current,
    );
  }
  return { kind: 'stale', previous, current };
}
