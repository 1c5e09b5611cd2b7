/**
 * Checkpoint rules (docs/witness-log.md, "Checkpoints"): a checkpoint is the C2SP signed note
 * `origin / size / base64(root)` signed by the log's key (named as the origin). At most one is ever
 * stored per size; asking again for a size already checkpointed returns the stored note, so the log
 * never hands out two different checkpoints for one size.
 */
import { UsageError } from '../../errors.js';
import { formatCheckpoint, signNote } from '../../tlog/index.js';
import type { Signer } from '../../tlog/index.js';
import type { LogUsageErrorCode } from './codes.js';
import type { LogTree } from './log-tree.js';
import type { LogStorage, StoredCheckpoint } from './storage.js';

/** The checkpoint note text (unsigned) for a tree. */
export function checkpointText(origin: string, size: number | bigint, rootHash: Uint8Array): string {
  return formatCheckpoint({ origin, size, rootHash });
}

/**
 * The checkpoint for the current size of `storage`: the stored one, or a new one signed with
 * `signer` and stored durably before it is returned.
 *
 * @throws what the store or the signer throws; nothing is returned unless it is stored.
 */
export function currentCheckpoint(
  storage: LogStorage,
  tree: LogTree,
  origin: string,
  signer: Signer,
): StoredCheckpoint {
  const size = storage.size();
  const existing = storage.checkpointAt(size);
  if (existing !== undefined) return existing;
  const rootHash = tree.rootHash(size);
  const note = signNote(checkpointText(origin, size, rootHash), signer);
  // storeCheckpoint keeps an existing row for this size (another writer's): return what it kept.
  return storage.storeCheckpoint({ size: BigInt(size), rootHash, note });
}

/**
 * The checkpoint a tlog-proof of entry `index` is made against: the one stored for `size` when
 * given, else the latest, else (when none covers the entry) a new one for the current size.
 * Requires index < storage.size().
 *
 * @throws UsageError `LOG_SIZE_OUT_OF_RANGE` if no checkpoint is stored for `size`, or it does not
 *   cover the entry.
 */
export function proofCheckpoint(
  storage: LogStorage,
  tree: LogTree,
  origin: string,
  signer: Signer,
  index: number,
  size?: number | bigint,
): StoredCheckpoint {
  if (size === undefined) {
    const latest = storage.latestCheckpoint();
    return latest !== undefined && latest.size > BigInt(index)
      ? latest
      : currentCheckpoint(storage, tree, origin, signer);
  }
  const cp = storage.checkpointAt(tree.size(size, 'size'));
  if (cp === undefined || cp.size <= BigInt(index)) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_SIZE_OUT_OF_RANGE',
      `size: ${cp === undefined ? 'no checkpoint was published for' : 'entry ' + index + ' is not in'} size ${String(size)}`,
      { field: 'size' },
    );
  }
  return cp;
}
