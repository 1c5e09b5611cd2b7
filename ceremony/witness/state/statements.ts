/**
 * The `statements` table: what the witness signed, per namespace and epoch. Rows are inserted
 * only inside the signing transaction (./witness-state.ts) and change afterwards only to record
 * that the statement reached the log, or to attach the operator's counter-signature once.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import { bytes } from './db.js';

/** One signed statement and what was checked to sign it. */
export interface StatementRecord {
  namespace: string;
  epoch: bigint;
  digest: Uint8Array;
  /** Statement timestamp, ms. */
  timestamp: bigint;
  keyId: number;
  /** The statement key that signed. */
  publicKey: Uint8Array;
  /** The encoded `SignatureMessage`, as signed. */
  statement: Uint8Array;
  signature: Uint8Array;
  /** The fleet key set bytes (their SHA-256 is `digest`). */
  fleetKeySet: Uint8Array;
  /** The submitted attestations, deterministic CBOR (./policy/submission.ts). */
  attestations: Uint8Array;
  operator: string;
  logIndex: bigint;
  /** False only between recording and appending (a crash there is finished by recovery). */
  logged: boolean;
  countersignature?: Uint8Array;
}

interface Row {
  namespace: string;
  epoch: bigint;
  digest: Buffer;
  timestamp: bigint;
  key_id: bigint;
  public_key: Buffer;
  statement: Buffer;
  signature: Buffer;
  fleet_key_set: Buffer;
  attestations: Buffer;
  operator: string;
  log_index: bigint;
  logged: bigint;
  countersignature: Buffer | null;
}

const toRecord = (r: Row): StatementRecord => ({
  namespace: r.namespace,
  epoch: r.epoch,
  digest: bytes(r.digest),
  timestamp: r.timestamp,
  keyId: Number(r.key_id),
  publicKey: bytes(r.public_key),
  statement: bytes(r.statement),
  signature: bytes(r.signature),
  fleetKeySet: bytes(r.fleet_key_set),
  attestations: bytes(r.attestations),
  operator: r.operator,
  logIndex: r.log_index,
  logged: r.logged === 1n,
  ...(r.countersignature === null ? {} : { countersignature: bytes(r.countersignature) }),
});

/** Prepared queries over `statements`. */
export class StatementTable {
  readonly #s: Record<string, Statement>;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      last: p('SELECT * FROM statements WHERE namespace = ? ORDER BY epoch DESC LIMIT 1'),
      byEpoch: p('SELECT * FROM statements WHERE namespace = ? AND epoch = ?'),
      byDigest: p('SELECT * FROM statements WHERE digest = ?'),
      pending: p('SELECT * FROM statements WHERE logged = 0 ORDER BY log_index'),
      count: p('SELECT count(*) AS n, max(log_index) AS m FROM statements'),
      epochs: p('SELECT epoch FROM statements WHERE namespace = ? ORDER BY epoch'),
      insert: p(`INSERT INTO statements VALUES (@namespace, @epoch, @digest, @timestamp, @key_id, @public_key,
        @statement, @signature, @fleet_key_set, @attestations, @operator, @log_index, 0, NULL)`),
      logged: p('UPDATE statements SET logged = 1 WHERE namespace = ? AND epoch = ?'),
      countersign: p(
        'UPDATE statements SET countersignature = ? WHERE namespace = ? AND epoch = ? AND countersignature IS NULL',
      ),
    };
  }

  #one(name: string, ...args: unknown[]): StatementRecord | undefined {
    const r = this.#s[name]!.get(...args) as Row | undefined;
    return r === undefined ? undefined : toRecord(r);
  }

  /** The highest signed epoch of `namespace`. */
  last(namespace: string): StatementRecord | undefined {
    return this.#one('last', namespace);
  }

  /** The statement of `namespace` at `epoch`. */
  byEpoch(namespace: string, epoch: bigint): StatementRecord | undefined {
    return this.#one('byEpoch', namespace, epoch);
  }

  /** The statement signed over `digest`, in any namespace. */
  byDigest(digest: Uint8Array): StatementRecord | undefined {
    return this.#one('byDigest', Buffer.from(digest));
  }

  /** Rows recorded but not yet appended to the log, by log index. */
  pending(): StatementRecord[] {
    return (this.#s['pending']!.all() as Row[]).map(toRecord);
  }

  /** Number of rows and the largest log index (-1 when empty). */
  count(): { rows: bigint; maxLogIndex: bigint } {
    const r = this.#s['count']!.get() as { n: bigint; m: bigint | null };
    return { rows: r.n, maxLogIndex: r.m ?? -1n };
  }

  /** Signed epochs of `namespace`, increasing. */
  epochs(namespace: string): bigint[] {
    return this.#s['epochs']!.pluck().all(namespace) as bigint[];
  }

  /** Inserts a row with `logged = 0` (call inside a transaction). */
  insert(r: Omit<StatementRecord, 'logged' | 'countersignature'>): void {
    const b = (x: Uint8Array) => Buffer.from(x);
    this.#s['insert']!.run({
      namespace: r.namespace,
      epoch: r.epoch,
      digest: b(r.digest),
      timestamp: r.timestamp,
      key_id: BigInt(r.keyId),
      public_key: b(r.publicKey),
      statement: b(r.statement),
      signature: b(r.signature),
      fleet_key_set: b(r.fleetKeySet),
      attestations: b(r.attestations),
      operator: r.operator,
      log_index: r.logIndex,
    });
  }

  /** Records that the statement is in the log. */
  markLogged(namespace: string, epoch: bigint): void {
    this.#s['logged']!.run(namespace, epoch);
  }

  /** Attaches a counter-signature; false if the row has one already (it is never replaced). */
  setCountersignature(namespace: string, epoch: bigint, sig: Uint8Array): boolean {
    return this.#s['countersign']!.run(Buffer.from(sig), namespace, epoch).changes === 1;
  }
}
