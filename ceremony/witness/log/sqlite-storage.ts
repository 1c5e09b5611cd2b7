/**
 * {@link LogStorage} in one SQLite file (better-sqlite3): WAL journal, `synchronous = FULL` (every
 * commit fsyncs the WAL before it returns), schema version 1 of ./sqlite-schema.ts. Every write is
 * one `BEGIN IMMEDIATE` transaction that re-checks the size inside it, so a second writer on the
 * same file is detected and refused instead of corrupting the tree.
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { UsageError, VerificationError } from '../../errors.js';
import type { LogUsageErrorCode, LogVerificationErrorCode } from './codes.js';
import { prepareDb } from './sqlite-schema.js';
import { prepareStatements } from './sqlite-statements.js';
import type { Statements } from './sqlite-statements.js';
import type { AppendBatch, LogStorage, StoredCheckpoint } from './storage.js';

/** Most indexes in one `IN (...)` query. */
const MAX_IN = 64;

/** A Buffer from SQLite as a plain Uint8Array view (no copy). */
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

function usage(code: LogUsageErrorCode, message: string, file?: string, cause?: unknown): UsageError {
  return new UsageError<LogUsageErrorCode>(code, message, { file, cause });
}

interface CheckpointRow {
  size: number;
  root: Buffer;
  note: string;
}

const toCheckpoint = (r: CheckpointRow): StoredCheckpoint => ({
  size: BigInt(r.size),
  rootHash: bytes(r.root),
  note: r.note,
});

/** The default {@link LogStorage}: one SQLite file. */
export class SqliteLogStorage implements LogStorage {
  readonly path: string;
  readonly #db: Db;
  readonly #inCache = new Map<number, Statement>();
  readonly #s: Statements;

  private constructor(db: Db, path: string) {
    this.#db = db;
    this.path = path;
    this.#s = prepareStatements(db);
  }

  /**
   * Opens or creates the store at `path` (its directory must exist).
   * @throws UsageError `LOG_STORE_UNREADABLE` (cannot open, not SQLite), `LOG_SCHEMA_UNSUPPORTED`.
   */
  static open(path: string): SqliteLogStorage {
    let db: Db;
    try {
      db = new Database(path);
    } catch (e) {
      throw usage('LOG_STORE_UNREADABLE', `cannot open: ${(e as Error).message}`, path, e);
    }
    try {
      prepareDb(db, path);
      return new SqliteLogStorage(db, path);
    } catch (e) {
      db.close();
      if (e instanceof UsageError) throw e;
      throw usage('LOG_STORE_UNREADABLE', `not a usable SQLite store: ${(e as Error).message}`, path, e);
    }
  }

  /** The durability settings in force on this connection (for diagnostics and tests). */
  settings(): { journalMode: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' } {
    const sync = this.#db.pragma('synchronous', { simple: true }) as number;
    return {
      journalMode: this.#db.pragma('journal_mode', { simple: true }) as string,
      synchronous: (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[sync] ?? 'OFF',
    };
  }

  size(): number {
    const max = this.#s.size.get() as number | null;
    return max === null ? 0 : max + 1;
  }

  hashCount(): number {
    const max = this.#s.hashCount.get() as number | null;
    return max === null ? 0 : max + 1;
  }

  append(batch: AppendBatch): void {
    const { firstIndex, entries, firstHashIndex, hashes } = batch;
    this.#db
      .transaction(() => {
        const size = this.size();
        const count = this.hashCount();
        if (size !== firstIndex || count !== firstHashIndex) {
          throw usage(
            'LOG_CONCURRENT_WRITER',
            `append at entry ${firstIndex} / stored hash ${firstHashIndex}, but the store holds ${size} / ${count}: another process writes to this log`,
            this.path,
          );
        }
        entries.forEach((e, k) => this.#s.insertEntry.run(firstIndex + k, e.data, e.leafHash));
        hashes.forEach((h, k) => this.#s.insertHash.run(firstHashIndex + k, h));
      })
      .immediate();
  }

  readHashes(indexes: readonly number[]): Uint8Array[] {
    if (indexes.length === 0) return [];
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of indexes) {
      if (!Number.isSafeInteger(i) || i < 0) this.#missingHash(i);
      if (i < lo) lo = i;
      if (i > hi) hi = i;
    }
    // Fewest round trips into SQLite: one range scan when the indexes are dense enough (a tile),
    // else IN lists of at most MAX_IN indexes (a proof's scattered hashes).
    const found = new Map<number, Buffer>();
    if (hi - lo < 4 * indexes.length + 16) {
      for (const [i, h] of this.#s.hashRange.all(lo, hi) as [number, Buffer][]) found.set(i, h);
    } else {
      for (let at = 0; at < indexes.length; at += MAX_IN) {
        const chunk = indexes.slice(at, at + MAX_IN);
        for (const [i, h] of this.#inStatement(chunk.length).all(...chunk) as [number, Buffer][])
          found.set(i, h);
      }
    }
    return indexes.map((i) => {
      const h = found.get(i);
      if (h === undefined) this.#missingHash(i);
      return bytes(h);
    });
  }

  readEntries(start: number, end: number): Uint8Array[] {
    return this.#range(this.#s.entries, start, end, 'entries');
  }

  readLeafHashes(start: number, end: number): Uint8Array[] {
    return this.#range(this.#s.leafHashes, start, end, 'leaf hashes');
  }

  checkpointAt(size: number): StoredCheckpoint | undefined {
    const r = this.#s.checkpoint.get(size) as CheckpointRow | undefined;
    return r === undefined ? undefined : toCheckpoint(r);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    const r = this.#s.latest.get() as CheckpointRow | undefined;
    return r === undefined ? undefined : toCheckpoint(r);
  }

  checkpointSizes(): bigint[] {
    return (this.#s.sizes.all() as number[]).map((s) => BigInt(s));
  }

  storeCheckpoint(checkpoint: StoredCheckpoint): StoredCheckpoint {
    const size = Number(checkpoint.size);
    return this.#db
      .transaction(() => {
        const existing = this.checkpointAt(size);
        if (existing !== undefined) return existing;
        if (size > this.size()) {
          throw usage(
            'LOG_SIZE_OUT_OF_RANGE',
            `checkpoint size ${size} exceeds the log size ${this.size()}`,
            this.path,
          );
        }
        this.#s.insertCheckpoint.run(size, checkpoint.rootHash, checkpoint.note, new Date().toISOString());
        return checkpoint;
      })
      .immediate();
  }

  getMeta(key: string): string | undefined {
    return (this.#s.meta.get(key) as string | undefined) ?? undefined;
  }

  initMeta(key: string, value: string): string {
    return this.#db
      .transaction(() => {
        this.#s.insertMeta.run(key, value);
        return this.getMeta(key)!;
      })
      .immediate();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #missingHash(i: number): never {
    throw usage('LOG_INDEX_OUT_OF_RANGE', `stored hash ${String(i)}: not in the store`, this.path);
  }

  #inStatement(count: number): Statement {
    let stmt = this.#inCache.get(count);
    if (stmt === undefined) {
      stmt = this.#db
        .prepare(`SELECT idx, hash FROM hashes WHERE idx IN (${Array(count).fill('?').join(', ')})`)
        .raw();
      this.#inCache.set(count, stmt);
    }
    return stmt;
  }

  #range(stmt: Statement, start: number, end: number, what: string): Uint8Array[] {
    const size = this.size();
    if (!(
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(end) &&
      0 <= start &&
      start <= end &&
      end <= size
    )) {
      throw usage(
        'LOG_INDEX_OUT_OF_RANGE',
        `${what} [${start}, ${end}): want 0 <= start <= end <= ${size}`,
        this.path,
      );
    }
    const rows = stmt.all(start, end) as Buffer[];
    if (rows.length !== end - start) {
      throw new VerificationError<LogVerificationErrorCode>(
        'LOG_STORE_CORRUPT',
        `${what} [${start}, ${end}): got ${rows.length} rows, want ${end - start}`,
        { file: this.path },
      );
    }
    return rows.map(bytes);
  }
}
