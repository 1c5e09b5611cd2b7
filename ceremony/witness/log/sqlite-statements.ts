/**
 * The prepared statements of {@link SqliteLogStorage} (./sqlite-storage.ts), over the schema of
 * ./sqlite-schema.ts. `SELECT MAX(idx)` is answered from the end of the primary-key b-tree.
 */
import type { Database as Db, Statement } from 'better-sqlite3';

/** Statement names. */
type Name =
  | 'size'
  | 'hashCount'
  | 'hashRange'
  | 'entries'
  | 'leafHashes'
  | 'insertEntry'
  | 'insertHash'
  | 'checkpoint'
  | 'latest'
  | 'sizes'
  | 'insertCheckpoint'
  | 'meta'
  | 'insertMeta';

/** The prepared statements of one connection. */
export type Statements = Record<Name, Statement>;

/** Prepares every statement the storage uses on `db` (whose schema must exist). */
export function prepareStatements(db: Db): Statements {
  const p = (sql: string) => db.prepare(sql);
  return {
    size: p('SELECT MAX(idx) FROM entries').pluck(),
    hashCount: p('SELECT MAX(idx) FROM hashes').pluck(),
    hashRange: p('SELECT idx, hash FROM hashes WHERE idx >= ? AND idx <= ?').raw(),
    entries: p('SELECT data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck(),
    leafHashes: p('SELECT leaf_hash FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck(),
    insertEntry: p('INSERT INTO entries (idx, data, leaf_hash) VALUES (?, ?, ?)'),
    insertHash: p('INSERT INTO hashes (idx, hash) VALUES (?, ?)'),
    checkpoint: p('SELECT size, root, note FROM checkpoints WHERE size = ?'),
    latest: p('SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 1'),
    sizes: p('SELECT size FROM checkpoints ORDER BY size').pluck(),
    insertCheckpoint: p('INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)'),
    meta: p('SELECT value FROM meta WHERE key = ?').pluck(),
    insertMeta: p('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
  };
}
