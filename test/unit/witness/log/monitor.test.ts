/**
 * monitorLog over exported tiles: every outcome (first, unchanged, extended, stale) and every
 * failure (split view at one size, a larger tree that forks, a rollback, tiles that do not match
 * the log's own checkpoint), with two logs forked under one key.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  WitnessLog,
  LogClient,
  SplitViewError,
  dirLogSource,
  monitorLog,
} from '../../../../ceremony/witness/log/index.js';
import { entryBytes, logFixture, ORIGIN } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
let a: WitnessLog;
let b: WitnessLog;
beforeEach(() => {
  fx = logFixture();
  a = fx.open();
  // The fork: a second store under the same origin and key, with the same first 100 entries.
  b = WitnessLog.open({ storagePath: join(fx.dir, 'fork.db'), origin: ORIGIN, signer: fx.signer() });
  const common = Array.from({ length: 100 }, (_, i) => entryBytes(i));
  a.appendSync(common);
  b.appendSync(common);
});
afterEach(() => {
  a.close();
  b.close();
  fx.cleanup();
});

const client = (dir: string) => new LogClient(dirLogSource(dir), fx.verifier);
const exported = (log: WitnessLog, name: string) => {
  const dir = join(fx.dir, name);
  log.exportTiles(dir);
  return dir;
};

describe('monitorLog', () => {
  it('records, sees no change, then accepts a consistent extension', async () => {
    const dir = exported(a, 'a');
    const first = await monitorLog(client(dir));
    expect(first.kind).toBe('first');
    expect((await monitorLog(client(dir), first.current.note)).kind).toBe('unchanged');
    a.appendSync([entryBytes(100), entryBytes(101)]);
    a.exportTiles(dir);
    const r = await monitorLog(client(dir), first.current.note);
    expect(r).toMatchObject({ kind: 'extended', current: { size: 102n } });
  });

  it('reports two checkpoints of one size with different roots as a split view', async () => {
    a.appendSync([entryBytes(100, 'A')]);
    b.appendSync([entryBytes(100, 'B')]);
    const seen = await monitorLog(client(exported(a, 'a')));
    const err = await monitorLog(client(exported(b, 'b')), seen.current.note).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SplitViewError);
    expect(err).toMatchObject({ code: 'LOG_SPLIT_VIEW', exitCode: 1 });
    const sv = err as SplitViewError;
    expect(sv.previous.note).toBe(a.checkpoint());
    expect(sv.current.note).toBe(b.checkpoint());
  });

  it('reports a larger tree that does not extend the one seen as a split view, with the proof', async () => {
    a.appendSync([entryBytes(100, 'A')]);
    b.appendSync(Array.from({ length: 50 }, (_, i) => entryBytes(100 + i, 'B')));
    const seen = await monitorLog(client(exported(a, 'a')));
    const err = (await monitorLog(client(exported(b, 'b')), seen.current.note).catch(
      (e: unknown) => e,
    )) as SplitViewError;
    expect(err).toBeInstanceOf(SplitViewError);
    expect(err.code).toBe('LOG_SPLIT_VIEW');
    expect(err.previous.size).toBe(101n);
    expect(err.current.size).toBe(150n);
    expect(err.proof?.length).toBeGreaterThan(0);
  });

  it('accepts a stale checkpoint that is a prefix; refuses a smaller fork and a rollback without tiles', async () => {
    const dir = exported(a, 'a');
    const old = await monitorLog(client(dir));
    const staleDir = mkdtempSync(join(fx.dir, 'stale-'));
    cpSync(dir, staleDir, { recursive: true });
    a.appendSync([entryBytes(100), entryBytes(101)]);
    a.exportTiles(dir);
    const newer = await monitorLog(client(dir), old.current.note);
    // A CDN serving the old checkpoint next to the new tiles: a prefix, fine.
    writeFileSync(join(dir, 'checkpoint'), old.current.note);
    expect((await monitorLog(client(dir), newer.current.note)).kind).toBe('stale');
    // The old directory alone cannot show the larger tree: a rollback.
    await expect(monitorLog(client(staleDir), newer.current.note)).rejects.toMatchObject({
      code: 'LOG_ROLLBACK',
    });
    // A smaller fork: b at 100 entries + 1 other, after a's 102.
    b.appendSync([entryBytes(100, 'B')]);
    const forkDir = exported(b, 'b');
    cpSync(join(dir, 'tile'), join(forkDir, 'tile'), { recursive: true, force: false, errorOnExist: false });
    await expect(monitorLog(client(forkDir), newer.current.note)).rejects.toMatchObject({
      code: 'LOG_SPLIT_VIEW',
    });
    rmSync(staleDir, { recursive: true });
  });

  it("reports tiles that do not hash to the log's own checkpoint, not a split view", async () => {
    const dir = exported(a, 'a');
    const seen = await monitorLog(client(dir));
    a.appendSync([entryBytes(100)]);
    a.exportTiles(dir);
    writeFileSync(join(dir, 'tile/0/000.p/101'), new Uint8Array(101 * 32));
    await expect(monitorLog(client(dir), seen.current.note)).rejects.toMatchObject({
      code: 'LOG_TILES_INVALID',
    });
    await expect(monitorLog(client(dir))).rejects.toMatchObject({ code: 'LOG_TILES_INVALID' });
  });
});
