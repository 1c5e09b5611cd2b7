/**
 * The witness's audit log: every statement the witness signs is a leaf of an RFC 9162 Merkle tree,
 * published as C2SP checkpoints (signed notes whose origin is the log's name) and C2SP tlog-tiles.
 * See docs/witness-log.md.
 *
 * Guarantees: an append is durable when its promise resolves (or appendSync returns); appends are
 * serialised and concurrent callers share transactions (group commit); at most one checkpoint is
 * ever signed and stored per tree size; on open, the stored tree is checked against the last
 * stored checkpoint and the log refuses to run if they disagree.
 */
import { UsageError } from '../../errors.js';
import { formatTlogProof } from '../../tlog/index.js';
import type { EntryBundle, Signer, Tile, TreeInt } from '../../tlog/index.js';
import { GroupCommitQueue } from './append-queue.js';
import { appendEntries, checkEntries } from './append.js';
import { currentCheckpoint, proofCheckpoint } from './checkpoints.js';
import type { LogUsageErrorCode } from './codes.js';
import { exportTiles } from './export-tiles.js';
import type { ExportTilesResult } from './export-tiles.js';
import { readEntriesTile, readTile, readTileResource } from './log-tiles.js';
import { logTree } from './log-tree.js';
import type { LogTree } from './log-tree.js';
import { recoverLog } from './recover.js';
import { SqliteLogStorage } from './sqlite-storage.js';
import type { LogStorage, StoredCheckpoint } from './storage.js';
import { MAX_APPEND_BATCH } from './witness-log-options.js';
import type { AppendResult, WitnessLogOptions } from './witness-log-options.js';

/** An open witness audit log. Not safe to share one store between two writing processes. */
export class WitnessLog {
  readonly #storage: LogStorage;
  readonly #origin: string;
  readonly #signer: Signer;
  readonly #tree: LogTree;
  readonly #queue: GroupCommitQueue<Uint8Array>;
  #closed = false;

  private constructor(storage: LogStorage, origin: string, signer: Signer, maxGroup: number) {
    this.#storage = storage;
    this.#origin = origin;
    this.#signer = signer;
    this.#tree = logTree(storage);
    this.#queue = new GroupCommitQueue((entries) => appendEntries(storage, entries), maxGroup);
  }

  /**
   * Opens (or creates) a log and recovers it: checks the origin and signer against the store and
   * the stored tree against the last stored checkpoint.
   *
   * @throws UsageError `LOG_ORIGIN_MISMATCH`, `LOG_SIGNER_NAME_MISMATCH`, `LOG_SIGNER_KEY_MISMATCH`
   *   (also for a `verifier` that is not the signer's key),
   *   `LOG_STORE_UNREADABLE`, `LOG_SCHEMA_UNSUPPORTED`.
   * @throws VerificationError `LOG_STORE_ROOT_MISMATCH`, `LOG_STORE_CORRUPT`,
   *   `LOG_STORE_CHECKPOINT_INVALID` if the store disagrees with what it published.
   */
  static open(options: WitnessLogOptions): WitnessLog {
    const { origin, signer } = options;
    if (options.storage === undefined && options.storagePath === undefined) {
      throw new UsageError<LogUsageErrorCode>('LOG_STORE_UNREADABLE', 'storagePath: missing', {
        field: 'storagePath',
      });
    }
    const storage = options.storage ?? SqliteLogStorage.open(options.storagePath!);
    try {
      recoverLog(storage, { origin, signer, verifier: options.verifier }, options.recovery ?? 'quick');
    } catch (e) {
      storage.close();
      throw e;
    }
    return new WitnessLog(storage, origin, signer, options.maxGroupEntries ?? 4096);
  }

  /** The log's name (checkpoint origin). */
  get origin(): string {
    return this.#origin;
  }

  /**
   * Appends entries; resolves once they are durable. Concurrent calls are queued and committed
   * together, in call order. Entries are 0..65535 bytes (the tlog-tiles entry bundle limit).
   *
   * @throws (as a rejected promise) UsageError `LOG_BATCH_EMPTY`, `LOG_BATCH_TOO_LARGE`,
   *   `LOG_ENTRY_INVALID`, `LOG_CLOSED`, `LOG_CONCURRENT_WRITER`; the store's errors.
   */
  append(entries: readonly Uint8Array[]): Promise<AppendResult> {
    try {
      this.#open();
      checkEntries(entries, MAX_APPEND_BATCH);
    } catch (e) {
      return Promise.reject(e);
    }
    const copy = entries.map((e) => e.slice()); // the caller may reuse its buffers
    return this.#queue.submit(copy).then((first) => ({ firstIndex: BigInt(first) }));
  }

  /**
   * Appends entries in one transaction, durable on return; bypasses the queue (entries queued by
   * {@link append} and not yet committed get later indexes).
   * @throws as {@link append}, synchronously.
   */
  appendSync(entries: readonly Uint8Array[]): AppendResult {
    this.#open();
    checkEntries(entries, MAX_APPEND_BATCH);
    return { firstIndex: BigInt(appendEntries(this.#storage, entries)) };
  }

  /** Number of entries. */
  size(): bigint {
    this.#open();
    return BigInt(this.#storage.size());
  }

  /**
   * Entry `index`. @throws UsageError `LOG_INDEX_OUT_OF_RANGE` if index >= size.
   */
  entry(index: TreeInt): Uint8Array {
    this.#open();
    return this.#tree.entry(index);
  }

  /**
   * Root hash of the first `size` entries (default: all).
   * @throws UsageError `LOG_SIZE_OUT_OF_RANGE` if size > size().
   */
  rootHash(size?: TreeInt): Uint8Array {
    this.#open();
    return this.#tree.rootHash(size ?? this.#storage.size());
  }

  /**
   * The signed checkpoint for the current size: the stored one if this size was checkpointed
   * before (never a second one with another root), else a new one, signed and stored durably
   * before it is returned.
   */
  checkpoint(): string {
    this.#open();
    return currentCheckpoint(this.#storage, this.#tree, this.#origin, this.#signer).note;
  }

  /** The checkpoint of the largest size published so far, if any. */
  latestCheckpoint(): StoredCheckpoint | undefined {
    this.#open();
    return this.#storage.latestCheckpoint();
  }

  /** The checkpoint published for `size`, if any. */
  checkpointAt(size: TreeInt): StoredCheckpoint | undefined {
    this.#open();
    return this.#storage.checkpointAt(this.#tree.size(size, 'size'));
  }

  /** Sizes of every checkpoint published, increasing. */
  checkpointSizes(): bigint[] {
    this.#open();
    return this.#storage.checkpointSizes();
  }

  /**
   * RFC 9162 inclusion proof of entry `index` in the tree of `size` entries.
   * @throws UsageError `LOG_INDEX_OUT_OF_RANGE` / `LOG_SIZE_OUT_OF_RANGE` unless index < size <= size().
   */
  inclusionProof(index: TreeInt, size: TreeInt): Uint8Array[] {
    this.#open();
    return this.#tree.inclusionProof(index, size);
  }

  /**
   * RFC 9162 consistency proof from the tree of `size1` entries to that of `size2`.
   * @throws UsageError `LOG_SIZE_OUT_OF_RANGE` unless 0 < size1 <= size2 <= size().
   */
  consistencyProof(size1: TreeInt, size2: TreeInt): Uint8Array[] {
    this.#open();
    return this.#tree.consistencyProof(size1, size2);
  }

  /**
   * A C2SP tlog-proof of entry `index` against the latest checkpoint (or the one stored for
   * `options.size`). If no checkpoint covers the entry yet, one is made for the current size.
   *
   * @throws UsageError `LOG_INDEX_OUT_OF_RANGE`; `LOG_SIZE_OUT_OF_RANGE` if no checkpoint is
   *   stored for `options.size`.
   */
  tlogProof(index: TreeInt, options: { size?: TreeInt; extra?: Uint8Array } = {}): string {
    this.#open();
    const i = this.#tree.index(index, this.#storage.size());
    const cp = proofCheckpoint(this.#storage, this.#tree, this.#origin, this.#signer, i, options.size);
    const proof = this.#tree.inclusionProof(i, cp.size);
    const extra = options.extra === undefined ? {} : { extra: options.extra };
    return formatTlogProof({ index: i, proof, checkpoint: cp.note, ...extra });
  }

  /**
   * The bytes of a C2SP tlog-tiles Merkle tile (width·32 bytes).
   * @throws UsageError `TILE_BEYOND_TREE_SIZE` if the tree does not hold that tile at that width.
   */
  readTile(tile: Tile): Uint8Array {
    this.#open();
    return readTile(this.#storage, tile);
  }

  /**
   * The bytes of a C2SP tlog-tiles entry bundle.
   * @throws UsageError `TILE_BEYOND_TREE_SIZE` if the log does not hold those entries.
   */
  readEntriesTile(bundle: EntryBundle): Uint8Array {
    this.#open();
    return readEntriesTile(this.#storage, bundle);
  }

  /**
   * A tlog-tiles resource by path, as a static server serves it: `checkpoint` (the latest
   * checkpoint note, UTF-8), `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`.
   *
   * @throws MalformedError `TILE_PATH_MALFORMED` for a path that is none of these (HTTP 400).
   * @throws UsageError `LOG_RESOURCE_MISSING` (no checkpoint yet) or `TILE_BEYOND_TREE_SIZE` (HTTP 404).
   */
  readResource(path: string): Uint8Array {
    this.#open();
    return readTileResource(this.#storage, path);
  }

  /**
   * Publishes the log as static files under `dir` (see {@link exportTiles}): checkpoints the
   * current size, writes every tile and entry bundle of that tree not yet there (exclusively,
   * atomically), then replaces `dir/checkpoint` atomically.
   *
   * @throws UsageError `LOG_EXPORT_CONFLICT` if a file in `dir` differs from what the log holds.
   */
  exportTiles(dir: string): ExportTilesResult {
    this.#open();
    const cp = currentCheckpoint(this.#storage, this.#tree, this.#origin, this.#signer);
    return exportTiles(this.#storage, cp, dir);
  }

  /** Closes the store; queued appends are rejected with `LOG_CLOSED`. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.rejectAll(new UsageError<LogUsageErrorCode>('LOG_CLOSED', 'the log was closed'));
    this.#storage.close();
  }

  #open(): void {
    if (this.#closed) throw new UsageError<LogUsageErrorCode>('LOG_CLOSED', 'the log was closed');
  }
}
