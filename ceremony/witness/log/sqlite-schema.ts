/**
 * The SQLite schema of a witness log store (docs/witness-log.md, "Storage"). Version 1.
 *
 * The file is marked with `PRAGMA application_id` (ASCII "FLOG") and `PRAGMA user_version` (the
 * schema version). Triggers make the tables append-only and dense at the SQL level: an entry or
 * stored hash can only be inserted at the next index, nothing can be updated or deleted, and
 * `checkpoints.size` is the primary key (UNIQUE), so a second checkpoint for a size is impossible.
 */

import type { Database as Db } from 'better-sqlite3';
import { UsageError } from '../../errors.js';
import type { LogUsageErrorCode } from './codes.js';

/** `PRAGMA application_id` of a log store: "FLOG" in ASCII. */
export const APPLICATION_ID = 0x464c4f47;

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = 1;

function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows are never updated'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
  BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows are never deleted'); END;`;
}

function dense(table: string): string {
  // (SELECT MAX(idx) ...) is answered from the end of the primary key b-tree: O(log n).
  return `
CREATE TRIGGER ${table}_dense BEFORE INSERT ON ${table}
  WHEN NEW.idx IS NOT COALESCE((SELECT MAX(idx) FROM ${table}) + 1, 0)
  BEGIN SELECT RAISE(ABORT, '${table}.idx must be the next index'); END;`;
}

/** DDL of schema version 1, run in one transaction when the store is created. */
export const SCHEMA_V1 = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE entries (
  idx       INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
  data      BLOB NOT NULL CHECK (length(data) <= 65535),
  leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
) STRICT;

CREATE TABLE hashes (
  idx  INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
  hash BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TABLE checkpoints (
  size       INTEGER PRIMARY KEY NOT NULL CHECK (size >= 0),
  root       BLOB NOT NULL CHECK (length(root) = 32),
  note       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
${dense('entries')}
${dense('hashes')}
${appendOnly('entries')}
${appendOnly('hashes')}
${appendOnly('checkpoints')}
${appendOnly('meta')}

CREATE TRIGGER checkpoints_within_log BEFORE INSERT ON checkpoints
  WHEN NEW.size > COALESCE((SELECT MAX(idx) FROM entries) + 1, 0)
  BEGIN SELECT RAISE(ABORT, 'checkpoints.size exceeds the number of entries'); END;
`;

function unsupported(message: string, file: string): UsageError {
  return new UsageError<LogUsageErrorCode>('LOG_SCHEMA_UNSUPPORTED', message, { file });
}

/**
 * Sets the connection's PRAGMAs (busy timeout, WAL, synchronous FULL) and checks the schema of a
 * store, creating it in one transaction when the file is new.
 *
 * @throws UsageError `LOG_SCHEMA_UNSUPPORTED` for another SQLite file or another schema version.
 */
export function prepareDb(db: Db, path: string): void {
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId === 0 && version === 0) {
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get();
    if (tables !== 0) {
      throw unsupported('holds tables but is not a witness log store', path);
    }
    db.transaction(() => {
      db.exec(SCHEMA_V1);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } else if (appId !== APPLICATION_ID) {
    throw unsupported(`application_id ${appId} is not a witness log store`, path);
  } else if (version !== SCHEMA_VERSION) {
    throw unsupported(`schema version ${version}, this code reads ${SCHEMA_VERSION}`, path);
  }
}
