/**
 * The Merkle tree of a {@link LogStorage}: argument checks against the stored size, then the
 * stored-hash algorithms of ceremony/tlog/merkle (treeHash, proveRecord, proveTree) reading the
 * store directly.
 */
import { MalformedError, UsageError } from '../../errors.js';
import { proveRecord, proveTree, treeHash } from '../../tlog/index.js';
import type { TreeInt } from '../../tlog/index.js';
import type { LogUsageErrorCode } from './codes.js';
import type { LogStorage } from './storage.js';

/** Largest size or index the store handles (as ceremony/tlog/merkle: 2^52). */
const MAX_POSITION = 2 ** 52;

/**
 * `value` as a number in 0..2^52.
 * @throws MalformedError `MERKLE_BAD_INTEGER` naming `field` otherwise.
 */
export function toPosition(value: TreeInt, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_POSITION) {
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'bigint' && value >= 0n && value <= BigInt(MAX_POSITION)) return Number(value);
  throw new MalformedError(
    'MERKLE_BAD_INTEGER',
    `${field}: got ${String(value)}, want an integer in 0..2^52`,
    {
      field,
    },
  );
}

/** Read access to the tree of a store, with the log's error codes. */
export interface LogTree {
  /** `size` checked to be at most the stored size; returned as a number. */
  size(size: TreeInt, field: string): number;
  /** `index` checked to be below `size`; returned as a number. */
  index(index: TreeInt, size: number): number;
  entry(index: TreeInt): Uint8Array;
  rootHash(size: TreeInt): Uint8Array;
  inclusionProof(index: TreeInt, size: TreeInt): Uint8Array[];
  consistencyProof(size1: TreeInt, size2: TreeInt): Uint8Array[];
}

/**
 * The tree view of `storage`. Sizes are read from the store on every call, so the view stays
 * right while entries are appended.
 */
export function logTree(storage: LogStorage): LogTree {
  const reader = (indexes: readonly number[]) => storage.readHashes(indexes);
  const size = (value: TreeInt, field: string): number => {
    const n = toPosition(value, field);
    const stored = storage.size();
    if (n > stored) {
      throw new UsageError<LogUsageErrorCode>(
        'LOG_SIZE_OUT_OF_RANGE',
        `${field}: got ${n}, want at most the log size ${stored}`,
        { field },
      );
    }
    return n;
  };
  const index = (value: TreeInt, treeSize: number): number => {
    const i = toPosition(value, 'index');
    if (i >= treeSize) {
      throw new UsageError<LogUsageErrorCode>(
        'LOG_INDEX_OUT_OF_RANGE',
        `index: got ${i}, want less than the tree size ${treeSize}`,
        { field: 'index' },
      );
    }
    return i;
  };
  return {
    size,
    index,
    entry(i) {
      const n = index(i, storage.size());
      return storage.readEntries(n, n + 1)[0]!;
    },
    rootHash: (s) => treeHash(size(s, 'size'), reader),
    inclusionProof(i, s) {
      const t = size(s, 'size');
      return proveRecord(t, index(i, t), reader);
    },
    consistencyProof(s1, s2) {
      const t = size(s2, 'size2');
      const m = toPosition(s1, 'size1');
      if (m === 0 || m > t) {
        throw new UsageError<LogUsageErrorCode>(
          'LOG_SIZE_OUT_OF_RANGE',
          `size1: got ${m}, want 0 < size1 <= size2 = ${t}`,
          { field: 'size1' },
        );
      }
      return proveTree(m, t, reader);
    },
  };
}
