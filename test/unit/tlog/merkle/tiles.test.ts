import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tile } from '../../../../ceremony/tlog/merkle/index.js';
import {
  hashFromTile,
  MemoryTree,
  newTiles,
  proveRecord,
  proveTree,
  readTileData,
  storedHashIndex,
  tileAtSize,
  tileForIndex,
  tileHashReader,
  tileStoredHashIndexes,
  treeHash,
  verifyInclusion,
} from '../../../../ceremony/tlog/merkle/index.js';
import { runs } from './config.js';
import { leafData, mth, refLeafHash } from './reference.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

const sameHashes = (a: Uint8Array[], b: Uint8Array[]): boolean =>
  a.length === b.length && a.every((h, k) => h.length === b[k]!.length && h.every((x, m) => x === b[k]![m]));

const key = (t: Tile): string => `${t.level}/${t.n}/${t.width}`;

/** The tiles a tree of `size` leaves publishes, straight from the spec's partial-tile rule. */
function published(size: number): Tile[] {
  const out: Tile[] = [];
  for (let level = 0; Math.floor(size / 256 ** level) > 0; level++) {
    const count = Math.floor(size / 256 ** level);
    for (let n = 0; n < Math.floor(count / 256); n++) out.push({ level, n, width: 256 });
    if (count % 256 > 0) out.push({ level, n: Math.floor(count / 256), width: count % 256 });
  }
  return out;
}

describe('tiles of a tree size (C2SP tlog-tiles)', () => {
  it('matches the spec example of a 70,000-entry tree', () => {
    const tiles = newTiles(0, 70000);
    const full0 = tiles.filter((t) => t.level === 0 && t.width === 256);
    expect(full0.length).toBe(273);
    expect(tiles.filter((t) => t.level === 0 && t.width < 256)).toEqual([{ level: 0, n: 273, width: 112 }]);
    expect(tiles.filter((t) => t.level === 1)).toEqual([
      { level: 1, n: 0, width: 256 },
      { level: 1, n: 1, width: 17 },
    ]);
    expect(tiles.filter((t) => t.level === 2)).toEqual([{ level: 2, n: 0, width: 1 }]);
    expect(tiles.length).toBe(277);
    expect(newTiles(0, 256)).toEqual([
      { level: 0, n: 0, width: 256 },
      { level: 1, n: 0, width: 1 },
    ]);
    expect(newTiles(0, 0)).toEqual([]);
  });

  it('newTiles(old, new) lists exactly the tiles new publishes and old did not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 20 }), fc.integer({ min: 0, max: 1 << 12 }), (a, d) => {
        const [oldS, newS] = [a, a + (d % 3 === 0 ? d * 64 : d)];
        const before = new Set(published(oldS).map(key));
        expect(newTiles(oldS, newS).map(key)).toEqual(
          published(newS)
            .map(key)
            .filter((k) => !before.has(k)),
        );
        expect(newTiles(BigInt(oldS), BigInt(newS))).toEqual(newTiles(oldS, newS));
        const all = published(newS);
        expect(all.map((t) => key(tileAtSize(t.level, t.n, newS)))).toEqual(all.map(key));
      }),
      { numRuns: runs(150, 2000) },
    );
    expect(codeOf(() => newTiles(5, 4))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
  });

  it('refuses empty and malformed tiles', () => {
    expect(codeOf(() => tileAtSize(0, 1, 256))).toBe('TILE_BEYOND_TREE_SIZE');
    expect(codeOf(() => tileAtSize(1, 0, 255))).toBe('TILE_BEYOND_TREE_SIZE');
    expect(codeOf(() => tileAtSize(63, 0, 2 ** 52))).toBe('TILE_BEYOND_TREE_SIZE');
    for (const t of [
      { level: 64, n: 0, width: 1 },
      { level: -1, n: 0, width: 1 },
      { level: 0, n: -1, width: 1 },
      { level: 0, n: 0.5, width: 1 },
      { level: 0, n: 0, width: 0 },
      { level: 0, n: 0, width: 257 },
      { level: 0, n: 2 ** 53, width: 1 },
    ]) {
      expect(
        codeOf(() => tileStoredHashIndexes(t)),
        JSON.stringify(t),
      ).toBe('TILE_INVALID');
    }
  });
});

describe('tile contents', () => {
  const SIZE = 70000;
  const tree = new MemoryTree();
  const leaves: Uint8Array[] = [];
  beforeAll(() => {
    for (let i = 0; i < SIZE; i++) {
      const d = leafData(11, i);
      tree.append(d);
      leaves.push(refLeafHash(d));
    }
  });

  it('hash i of tile (l, n) is MTH(D[(n·256+i)·256^l : (n·256+i+1)·256^l]), as the spec defines', () => {
    for (const tile of newTiles(0, SIZE)) {
      const data = readTileData(tile, tree.readHashes);
      expect(data.length).toBe(tile.width * 32);
      const span = 256 ** tile.level;
      for (let i = 0; i < tile.width; i += tile.level === 0 ? 37 : 1) {
        const lo = (tile.n * 256 + i) * span;
        expect(data.subarray(i * 32, i * 32 + 32), `tile ${key(tile)} hash ${i}`).toEqual(
          mth(leaves, lo, lo + span),
        );
      }
    }
    expect(tileStoredHashIndexes({ level: 1, n: 0, width: 3 })).toEqual(
      [0, 1, 2].map((i) => storedHashIndex(8, i)),
    );
  });

  it('every stored hash can be read back from its tile', () => {
    const size = 1100;
    for (let j = 0; j < tree.storedHashCount && j < 2 * size; j++) {
      const tile = tileForIndex(j);
      const want = tree.readHashes([j])[0]!;
      expect(hashFromTile(tile, readTileData(tile, tree.readHashes), j), `stored hash ${j}`).toEqual(want);
      // ... and from the wider tile a larger tree publishes.
      const wide = tileAtSize(tile.level, tile.n, SIZE);
      expect(hashFromTile(wide, readTileData(wide, tree.readHashes), BigInt(j))).toEqual(want);
    }
  });

  it('refuses tile data of the wrong length and hashes from another tile', () => {
    const tile = tileForIndex(storedHashIndex(0, 300)); // level 0, n 1
    const data = readTileData(tile, tree.readHashes);
    expect(codeOf(() => hashFromTile(tile, data.subarray(32), storedHashIndex(0, 300)))).toBe(
      'TILE_DATA_LENGTH',
    );
    expect(codeOf(() => hashFromTile(tile, data, storedHashIndex(0, 10)))).toBe('TILE_INDEX_NOT_IN_TILE');
    expect(codeOf(() => hashFromTile(tile, data, storedHashIndex(0, 301 + tile.width)))).toBe(
      'TILE_INDEX_NOT_IN_TILE',
    );
    expect(codeOf(() => hashFromTile(tile, data, storedHashIndex(8, 1)))).toBe('TILE_INDEX_NOT_IN_TILE');
    expect(codeOf(() => hashFromTile({ ...tile, level: 64 }, data, 0))).toBe('TILE_INVALID');
  });

  it('a client rebuilds roots and proofs from tiles alone', () => {
    const fetched: string[] = [];
    const readTile = (t: Tile): Uint8Array => {
      fetched.push(key(t));
      return readTileData(t, tree.readHashes);
    };
    for (const size of [1, 2, 255, 256, 257, 511, 4096, 65535, 65536, 65537, SIZE]) {
      const thr = tileHashReader(size, readTile);
      const root = tree.root(size);
      fetched.length = 0;
      expect(treeHash(size, thr), `root ${size}`).toEqual(root);
      const available = new Set(published(size).map(key));
      expect(
        fetched.every((k) => available.has(k)),
        'only published tiles are fetched',
      ).toBe(true);
      for (const i of new Set([0, size - 1, size >> 1, (size * 7) >> 3])) {
        expect(proveRecord(size, i, thr)).toEqual(tree.proveInclusion(i, size));
      }
      for (const s1 of new Set([1, size, (size >> 1) + 1, size - 1].filter((s) => s >= 1))) {
        expect(proveTree(s1, size, thr)).toEqual(tree.proveConsistency(s1, size));
      }
      expect(codeOf(() => thr([storedHashIndex(0, size)]))).toBe('TILE_BEYOND_TREE_SIZE');
    }
  });

  it('a tampered tile makes exactly the proofs that use it fail', () => {
    const size = 1000;
    const root = tree.root(size);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (t, bit, r) => {
        const tiles = published(size);
        const bad = tiles[t % tiles.length]!;
        const byte = (bit >> 3) + 32 * (r % bad.width);
        const thr = tileHashReader(size, (tile) => {
          const data = readTileData(tile, tree.readHashes);
          if (key(tile) === key(bad)) data[byte]! ^= 1 << (bit & 7);
          return data;
        });
        let refused = 0;
        for (let i = r % 97; i < size; i += 97) {
          const leaf = thr([storedHashIndex(0, i)])[0]!;
          const proof = proveRecord(size, i, thr);
          const honest = sameHashes([leaf, ...proof], [leaves[i]!, ...tree.proveInclusion(i, size)]);
          expect(verifyInclusion(leaf, i, size, proof, root)).toBe(honest);
          if (!honest) refused++;
        }
        // Level-0 tiles cover every leaf, so a tampered one always spoils some of these proofs.
        if (bad.level === 0) expect(refused).toBeGreaterThan(0);
      }),
      { numRuns: runs(10, 100) },
    );
  });
});
