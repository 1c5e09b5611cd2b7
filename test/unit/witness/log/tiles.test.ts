/**
 * tlog-tiles from the log: tiles and entry bundles equal what MemoryTree's stored hashes give,
 * resources by path, and exportTiles: every file equals the served resource, exports are
 * incremental, keep older partial tiles, and refuse a directory of another log.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  encodeEntryBundle,
  newTiles,
  parseTileResource,
  readTileData,
} from '../../../../ceremony/tlog/index.js';
import type { WitnessLog } from '../../../../ceremony/witness/log/index.js';
import { entryBytes, logFixture } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
let log: WitnessLog;
let ref: MemoryTree;
beforeEach(() => {
  fx = logFixture();
  log = fx.open();
  ref = new MemoryTree();
});
afterEach(() => {
  log.close();
  fx.cleanup();
});

function grow(to: number): void {
  const from = Number(log.size());
  for (let i = from; i < to; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, to - i) }, (_, k) => entryBytes(i + k));
    log.appendSync(batch);
    batch.forEach((e) => ref.append(e));
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => relative(dir, join(dir, p)).split('\\').join('/'))
    .sort();
}

describe('tiles from the log', () => {
  it('serves every tile and entry bundle of a 70,000-entry tree as MemoryTree computes them', () => {
    grow(70_000);
    const tiles = newTiles(0, 70_000);
    // The example of c2sp.org/tlog-tiles: 273 full + 1 partial level-0, 1 full + 1 partial level-1, 1 level-2.
    expect(tiles.filter((t) => t.level === 0)).toHaveLength(274);
    expect(tiles.find((t) => t.level === 1 && t.width < 256)?.width).toBe(17);
    for (const t of tiles.filter((_, k) => k % 17 === 0 || k > 270)) {
      expect(log.readTile(t)).toEqual(readTileData(t, ref.readHashes));
    }
    expect(log.readEntriesTile({ n: 273, width: 112 })).toEqual(
      encodeEntryBundle(Array.from({ length: 112 }, (_, k) => entryBytes(273 * 256 + k))),
    );
  }, 30_000);

  it('resolves resource paths and refuses what the tree does not hold', () => {
    grow(300);
    expect(() => log.readResource('checkpoint')).toThrow(
      expect.objectContaining({ code: 'LOG_RESOURCE_MISSING' }),
    );
    const cp = log.checkpoint();
    expect(new TextDecoder().decode(log.readResource('checkpoint'))).toBe(cp);
    expect(log.readResource('tile/0/000')).toEqual(
      readTileData({ level: 0, n: 0, width: 256 }, ref.readHashes),
    );
    expect(log.readResource('tile/0/001.p/44')).toHaveLength(44 * 32);
    expect(log.readResource('tile/0/001.p/2')).toHaveLength(2 * 32); // an older partial width
    expect(log.readResource('tile/1/000.p/1')).toHaveLength(32);
    const code = (p: string) => {
      try {
        log.readResource(p);
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'served';
    };
    expect(code('tile/0/001.p/45')).toBe('TILE_BEYOND_TREE_SIZE');
    expect(code('tile/0/001')).toBe('TILE_BEYOND_TREE_SIZE');
    expect(code('tile/0/002.p/1')).toBe('TILE_BEYOND_TREE_SIZE');
    expect(code('tile/entries/001.p/45')).toBe('TILE_BEYOND_TREE_SIZE');
    expect(code('tile/0/x000/001')).toBe('TILE_PATH_MALFORMED');
    expect(code('../etc/passwd')).toBe('TILE_PATH_MALFORMED');
  });
});

describe('exportTiles', () => {
  it('writes exactly the tiles, bundles and checkpoint of the tree, byte-equal to the served ones', () => {
    grow(600);
    const out = join(fx.dir, 'tiles');
    const r = log.exportTiles(out);
    expect(r.size).toBe(600n);
    const written = files(out);
    expect(written).toContain('checkpoint');
    expect(written.length).toBe(1 + r.written);
    for (const p of written) expect(new Uint8Array(readFileSync(join(out, p)))).toEqual(log.readResource(p));
    // Every tile of size 600 and its bundle, nothing else.
    const want = newTiles(0, 600).length + newTiles(0, 600).filter((t) => t.level === 0).length;
    expect(r.written).toBe(want);
    for (const p of written.filter((x) => x !== 'checkpoint')) parseTileResource(p);
    expect(readFileSync(join(out, 'checkpoint'), 'utf8')).toBe(log.latestCheckpoint()!.note);
    expect(written.filter((p) => p.includes('.tmp-'))).toEqual([]);
  });

  it('exports incrementally and keeps the partial tiles of earlier checkpoints', () => {
    grow(300);
    const out = join(fx.dir, 'tiles');
    log.exportTiles(out);
    grow(700);
    const r = log.exportTiles(out);
    expect(r.unchanged).toBe(0); // only the new tiles were looked at
    expect(existsSync(join(out, 'tile/0/001.p/44'))).toBe(true);
    expect(existsSync(join(out, 'tile/0/001'))).toBe(true);
    expect(existsSync(join(out, 'tile/0/002.p/188'))).toBe(true);
    // Nothing new: re-export writes nothing.
    expect(log.exportTiles(out)).toMatchObject({ size: 700n, written: 0 });
  });

  it('completes an export that crashed before its checkpoint file, and refuses a changed tile', () => {
    grow(300);
    const out = join(fx.dir, 'tiles');
    log.exportTiles(out);
    grow(520);
    log.checkpoint();
    // Simulate the crash: one new tile is there, the checkpoint still says 300.
    const cpBefore = readFileSync(join(out, 'checkpoint'));
    writeFileSync(join(out, 'tile/0/001'), log.readResource('tile/0/001'));
    expect(readFileSync(join(out, 'checkpoint'))).toEqual(cpBefore);
    const r = log.exportTiles(out);
    expect(r.unchanged).toBe(1);
    writeFileSync(join(out, 'tile/0/001'), new Uint8Array(8192));
    grow(530);
    writeFileSync(join(out, 'checkpoint'), cpBefore); // force a re-check of tile/0/001
    expect(() => log.exportTiles(out)).toThrow(expect.objectContaining({ code: 'LOG_EXPORT_CONFLICT' }));
  });

  it("refuses a directory holding another log's checkpoint", () => {
    grow(10);
    const out = join(fx.dir, 'tiles');
    const other = logFixture();
    try {
      const o = other.open();
      o.appendSync([Uint8Array.of(1)]);
      o.exportTiles(out);
      o.close();
    } finally {
      other.cleanup();
    }
    expect(() => log.exportTiles(out)).toThrow(expect.objectContaining({ code: 'LOG_EXPORT_CONFLICT' }));
  });
});
