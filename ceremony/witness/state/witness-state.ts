/**
 * The witness's signing state (`DIR/state.sqlite`): signed statements, request nonces and
 * cosigned checkpoints, each write one `BEGIN IMMEDIATE` transaction, durable on commit.
 *
 * {@link WitnessState.record} is the only way a statement enters the state: it runs the caller's
 * policy check and the insert in one transaction, so two writers (even two processes on one
 * directory) cannot both record the same epoch or digest.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import { bytes, openStateDb } from './db.js';
import { StatementTable } from './statements.js';
import type { StatementRecord } from './statements.js';

/** The latest checkpoint cosigned for one log origin. */
export interface CosignedCheckpoint {
  origin: string;
  size: bigint;
  rootHash: Uint8Array;
  /** The checkpoint note with the log's signature(s) and the witness's cosignature. */
  note: string;
}

/** The witness state database. */
export class WitnessState {
  readonly statements: StatementTable;
  readonly #db: Db;
  readonly #s: Record<'nonceGet' | 'nonceAdd' | 'noncePurge' | 'cosigned' | 'cosignPut', Statement>;

  private constructor(db: Db) {
    this.#db = db;
    this.statements = new StatementTable(db);
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      nonceGet: p('SELECT 1 FROM request_nonces WHERE id = ?'),
      nonceAdd: p('INSERT INTO request_nonces (id, expires) VALUES (?, ?)'),
      noncePurge: p('DELETE FROM request_nonces WHERE expires < ?'),
      cosigned: p('SELECT origin, size, root_hash, note FROM cosigned WHERE origin = ?'),
      cosignPut: p('INSERT OR REPLACE INTO cosigned (origin, size, root_hash, note) VALUES (?, ?, ?, ?)'),
    };
  }

  /**
   * Opens (creating if `create`) the state file.
   * @throws UsageError `WITNESS_STATE_UNREADABLE`.
   */
  static open(path: string, options: { create?: boolean; readonly?: boolean } = {}): WitnessState {
    return new WitnessState(openStateDb(path, options));
  }

  /**
   * Records a statement in one immediate transaction: `check` runs first, inside it, against the
   * current state (it throws to refuse); then the row is inserted with `logged = 0`. Durable on
   * return.
   */
  record(check: () => void, row: Omit<StatementRecord, 'logged' | 'countersignature'>): void {
    this.#db
      .transaction(() => {
        check();
        this.statements.insert(row);
      })
      .immediate();
  }

  /**
   * Uses a request nonce once: false if it was seen (a replay). Expired nonces are purged.
   * @param expires - ms after which the nonce may be forgotten (its timestamp can no longer pass).
   */
  useNonce(id: Uint8Array, expires: number, now: number): boolean {
    return this.#db
      .transaction(() => {
        this.#s.noncePurge.run(BigInt(now));
        if (this.#s.nonceGet.get(Buffer.from(id)) !== undefined) return false;
        this.#s.nonceAdd.run(Buffer.from(id), BigInt(expires));
        return true;
      })
      .immediate();
  }

  /** The latest cosigned checkpoint of `origin`. */
  cosigned(origin: string): CosignedCheckpoint | undefined {
    const r = this.#s.cosigned.get(origin) as
      { origin: string; size: bigint; root_hash: Buffer; note: string } | undefined;
    return r === undefined
      ? undefined
      : { origin: r.origin, size: r.size, rootHash: bytes(r.root_hash), note: r.note };
  }

  /**
   * Stores a newly cosigned checkpoint if the stored size is still `oldSize` (checked inside the
   * transaction, as tlog-witness requires); returns the stored size when it is not.
   */
  storeCosigned(oldSize: bigint, cp: CosignedCheckpoint): { ok: true } | { ok: false; size: bigint } {
    return this.#db
      .transaction(() => {
        const size = this.cosigned(cp.origin)?.size ?? 0n;
        if (size !== oldSize) return { ok: false as const, size };
        this.#s.cosignPut.run(cp.origin, cp.size, Buffer.from(cp.rootHash), cp.note);
        return { ok: true as const };
      })
      .immediate();
  }

  /** Runs `f` in one immediate transaction. */
  transaction<T>(f: () => T): T {
    return this.#db.transaction(f).immediate();
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
