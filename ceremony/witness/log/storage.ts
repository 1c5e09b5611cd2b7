/**
 * The storage behind a {@link WitnessLog}: a small, synchronous interface so the Merkle math in
 * ceremony/tlog/merkle (whose HashReader is synchronous) can read it directly. The default
 * implementation is {@link SqliteLogStorage}; anything else (append-only files with fsync, a
 * key-value store) must keep the same guarantees:
 *
 * - Append-only and dense: entry i and stored hash j exist only if every lower one does.
 * - `append` is one atomic, durable transaction: when it returns, the entries and their stored
 *   hashes survive a crash (kill -9, power loss); if it throws, none of them were stored.
 * - At most one checkpoint per tree size, never replaced.
 *
 * Positions are `number`s (a log of up to 2^52 entries, as in ceremony/tlog/merkle).
 */

/** A checkpoint the log published: the signed note and what it commits to. */
export interface StoredCheckpoint {
  /** Tree size the checkpoint is for. */
  readonly size: bigint;
  /** RFC 9162 root hash of the first `size` entries (32 bytes). */
  readonly rootHash: Uint8Array;
  /** The C2SP signed note, verbatim. */
  readonly note: string;
}

/** One entry to store: its bytes and its RFC 9162 leaf hash. */
export interface StoredEntry {
  readonly data: Uint8Array;
  readonly leafHash: Uint8Array;
}

/** What one {@link LogStorage.append} call writes. */
export interface AppendBatch {
  /** Index of the first entry; must equal the store's size at commit time. */
  readonly firstIndex: number;
  /** The entries, in order (at least one). */
  readonly entries: readonly StoredEntry[];
  /** Stored-hash index of the first new hash; must equal the store's stored-hash count. */
  readonly firstHashIndex: number;
  /** The new stored hashes, in order (32 bytes each). */
  readonly hashes: readonly Uint8Array[];
}

/** Storage of one log: entries, stored hashes (Go sumdb/tlog layout) and published checkpoints. */
export interface LogStorage {
  /** Number of entries stored. */
  size(): number;

  /** Number of stored hashes (storedHashCount(size()) for a consistent store). */
  hashCount(): number;

  /**
   * Stores a batch of entries and their stored hashes in one atomic, durable transaction.
   *
   * @throws UsageError `LOG_CONCURRENT_WRITER` if `firstIndex` or `firstHashIndex` is not the
   *   store's current size or hash count (another writer got there first); nothing is stored.
   */
  append(batch: AppendBatch): void;

  /**
   * Reads stored hashes by stored-hash index, in the order asked (a HashReader).
   * @throws UsageError `LOG_INDEX_OUT_OF_RANGE` for an index not stored.
   */
  readHashes(indexes: readonly number[]): Uint8Array[];

  /**
   * Entries [start, end), in order. Requires 0 <= start <= end <= size().
   * @throws UsageError `LOG_INDEX_OUT_OF_RANGE` otherwise.
   */
  readEntries(start: number, end: number): Uint8Array[];

  /**
   * Leaf hashes of entries [start, end) as stored with them. Requires 0 <= start <= end <= size().
   * @throws UsageError `LOG_INDEX_OUT_OF_RANGE` otherwise.
   */
  readLeafHashes(start: number, end: number): Uint8Array[];

  /** The checkpoint stored for `size`, if any. */
  checkpointAt(size: number): StoredCheckpoint | undefined;

  /** The checkpoint of the largest size, if any. */
  latestCheckpoint(): StoredCheckpoint | undefined;

  /** Sizes of every stored checkpoint, increasing. */
  checkpointSizes(): bigint[];

  /**
   * Stores `checkpoint` unless one is stored for its size already; durable on return. Returns
   * the checkpoint stored for that size: the given one, or the one that was already there (which
   * is never replaced).
   *
   * @throws UsageError `LOG_SIZE_OUT_OF_RANGE` if the size exceeds the number of entries.
   */
  storeCheckpoint(checkpoint: StoredCheckpoint): StoredCheckpoint;

  /** A metadata value (e.g. `origin`), if set. */
  getMeta(key: string): string | undefined;

  /** Sets a metadata value once; durable on return. Returns the stored value (the old one if set). */
  initMeta(key: string, value: string): string;

  /** Releases the store. Idempotent. */
  close(): void;
}
