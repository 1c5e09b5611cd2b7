/**
 * SqliteLogStorage at the SQL level: the schema itself forbids a second checkpoint for a size,
 * updates and deletes, and gaps; the file is WAL with synchronous FULL; a foreign or newer file
 * is refused; a second writer on the same file is detected instead of corrupting the tree.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, SqliteLogStorage } from '../../../../ceremony/witness/log/index.js';
import { entryBytes, logFixture } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
beforeEach(() => {
  fx = logFixture();
});
afterEach(() => fx.cleanup());

const h = (b: number) => new Uint8Array(32).fill(b);

/** A store with 3 entries and a checkpoint at size 2, written through WitnessLog. */
function populated(): void {
  const log = fx.open();
  log.appendSync([entryBytes(0), entryBytes(1)]);
  log.checkpoint();
  log.appendSync([entryBytes(2)]);
  log.close();
}

describe('SqliteLogStorage: schema', () => {
  it('is WAL with synchronous FULL, versioned, and marked as a log store', () => {
    const s = SqliteLogStorage.open(fx.dbPath);
    s.close();
    const db = new Database(fx.dbPath);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    // synchronous is per connection: check the store's own.
    const store = SqliteLogStorage.open(fx.dbPath);
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL' });
    store.close();
  });

  it('makes two checkpoints for one size impossible, even by hand', () => {
    populated();
    const db = new Database(fx.dbPath);
    const insert = db.prepare('INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)');
    expect(() => insert.run(2, h(1), 'forged\n', 'now')).toThrow(
      /UNIQUE constraint failed: checkpoints.size/,
    );
    expect(() => db.prepare('UPDATE checkpoints SET root = ? WHERE size = 2').run(h(1))).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM checkpoints').run()).toThrow(/append-only/);
    expect(() => insert.run(4, h(1), 'beyond\n', 'now')).toThrow(/exceeds the number of entries/);
    db.close();
  });

  it('keeps entries and stored hashes dense and append-only', () => {
    populated();
    const db = new Database(fx.dbPath);
    expect(() => db.prepare('INSERT INTO entries VALUES (5, ?, ?)').run(Uint8Array.of(1), h(0))).toThrow(
      /next index/,
    );
    expect(() => db.prepare('INSERT INTO hashes VALUES (99, ?)').run(h(0))).toThrow(/next index/);
    expect(() => db.prepare('INSERT INTO hashes VALUES (4, ?)').run(new Uint8Array(31))).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE entries SET data = ? WHERE idx = 0').run(Uint8Array.of(1))).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM hashes WHERE idx = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE meta SET value = 'x'").run()).toThrow(/append-only/);
    db.close();
  });

  it('refuses a SQLite file that is not a log store, and a newer schema', () => {
    const other = join(fx.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => SqliteLogStorage.open(other)).toThrow(
      expect.objectContaining({ code: 'LOG_SCHEMA_UNSUPPORTED' }),
    );
    SqliteLogStorage.open(fx.dbPath).close();
    const db2 = new Database(fx.dbPath);
    db2.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db2.close();
    expect(() => SqliteLogStorage.open(fx.dbPath)).toThrow(
      expect.objectContaining({ code: 'LOG_SCHEMA_UNSUPPORTED' }),
    );
    const junk = join(fx.dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just text that is long enough to be a header.'.repeat(20));
    expect(() => SqliteLogStorage.open(junk)).toThrow(
      expect.objectContaining({ code: 'LOG_STORE_UNREADABLE' }),
    );
    expect(() => SqliteLogStorage.open(join(fx.dir, 'no/such/dir/x.db'))).toThrow(
      expect.objectContaining({ code: 'LOG_STORE_UNREADABLE' }),
    );
  });

  it('detects a second writer and stores nothing for the loser', async () => {
    const a = fx.open();
    const b = fx.open();
    a.appendSync([entryBytes(0)]);
    // b computed nothing yet: it reads the size inside its own append, so it simply follows.
    expect(b.appendSync([entryBytes(1)]).firstIndex).toBe(1n);
    // A batch computed against a stale size is refused by the transaction's re-check.
    const store = SqliteLogStorage.open(fx.dbPath);
    expect(() =>
      store.append({
        firstIndex: 1,
        entries: [{ data: Uint8Array.of(1), leafHash: h(2) }],
        firstHashIndex: 1,
        hashes: [h(2)],
      }),
    ).toThrow(expect.objectContaining({ code: 'LOG_CONCURRENT_WRITER' }));
    expect(store.size()).toBe(2);
    store.close();
    a.close();
    b.close();
    const c = fx.open({ recovery: 'full' });
    expect(c.size()).toBe(2n);
    c.close();
  });

  it('storeCheckpoint keeps the first checkpoint of a size', () => {
    populated();
    const s = SqliteLogStorage.open(fx.dbPath);
    const first = s.checkpointAt(2)!;
    const kept = s.storeCheckpoint({ size: 2n, rootHash: h(9), note: 'other\n' });
    expect(kept.note).toBe(first.note);
    expect(s.checkpointAt(2)!.rootHash).toEqual(first.rootHash);
    expect(() => s.storeCheckpoint({ size: 4n, rootHash: h(9), note: 'x\n' })).toThrow(
      expect.objectContaining({ code: 'LOG_SIZE_OUT_OF_RANGE' }),
    );
    expect(() => s.readEntries(2, 4)).toThrow(expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }));
    expect(() => s.readHashes([100])).toThrow(expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }));
    s.close();
  });
});
