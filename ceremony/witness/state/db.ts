/**
 * Opening `DIR/state.sqlite`: WAL journal, `synchronous = FULL` (a commit is fsync'ed before it
 * returns), integers read as bigint, schema created on first use and checked afterwards.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { UsageError } from '../../errors.js';
import { STATE_APPLICATION_ID, STATE_SCHEMA_V1, STATE_SCHEMA_VERSION } from './schema.js';

/** A Buffer from SQLite as a plain Uint8Array (a copy: rows outlive their statement). */
export const bytes = (b: Buffer): Uint8Array => new Uint8Array(b);

/**
 * Opens (creating if `create`) a witness state database.
 * @throws UsageError `WITNESS_STATE_UNREADABLE` (missing, not SQLite, another schema).
 */
export function openStateDb(path: string, options: { create?: boolean; readonly?: boolean } = {}): Db {
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: options.create !== true, readonly: options.readonly === true });
  } catch (e) {
    throw new UsageError(
      'WITNESS_STATE_UNREADABLE',
      `cannot open the witness state: ${(e as Error).message}`,
      {
        file: path,
        cause: e,
      },
    );
  }
  try {
    db.defaultSafeIntegers(true);
    db.pragma('busy_timeout = 10000');
    if (options.readonly !== true) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    const appId = Number(db.pragma('application_id', { simple: true }));
    const version = Number(db.pragma('user_version', { simple: true }));
    if (appId === 0 && version === 0 && options.readonly !== true) {
      const tables = Number(
        db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get(),
      );
      if (tables !== 0) throw new Error('it holds tables but is not a witness state file');
      db.transaction(() => {
        db.exec(STATE_SCHEMA_V1);
        db.pragma(`application_id = ${STATE_APPLICATION_ID}`);
        db.pragma(`user_version = ${STATE_SCHEMA_VERSION}`);
      }).immediate();
    } else if (appId !== STATE_APPLICATION_ID || version !== STATE_SCHEMA_VERSION) {
      throw new Error(
        `application_id ${appId}, schema version ${version}: not a witness state file this code reads`,
      );
    }
    return db;
  } catch (e) {
    db.close();
    throw new UsageError('WITNESS_STATE_UNREADABLE', (e as Error).message, { file: path, cause: e });
  }
}
