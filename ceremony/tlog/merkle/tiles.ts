/**
 * C2SP tlog-tiles tile math (c2sp.org/tlog-tiles, "Merkle Tree"), modelled on Go's sumdb/tlog
 * (`TileForIndex`, `HashFromTile`, `NewTiles`, `ReadTileData`) with the tile height fixed at 8.
 *
 * Tile (level L, index N) holds up to 256 consecutive hashes of tree level 8·L: the stored hashes
 * (8·L, N·256 + i). Its full form has 256 hashes; the rightmost tile of each level is partial for
 * most tree sizes, of width floor(size / 256^L) mod 256. Hashes of the seven tree levels between
 * two tile levels are not stored in tiles: they are recomputed from the tile below.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../../errors.js';
import type { MerkleInputErrorCode, MerkleUsageErrorCode } from './checks.js';
import { checkBytes } from './checks.js';
import { HASH_SIZE, hashChildren } from './hash.js';
import type { TreeInt } from './integers.js';
import { toTreeNumber } from './integers.js';
import type { HashReader } from './stored.js';
import { readHashesChecked, splitStoredHashIndex, storedHashIndex } from './stored.js';

/** Tree levels per tile level. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile: 2^TILE_HEIGHT. */
export const TILE_WIDTH = 256;
/** The highest tile level the path syntax allows. */
export const MAX_TILE_LEVEL = 63;

/** A tile of the Merkle tree: `tile/<level>/<n>[.p/<width>]`. */
export interface Tile {
  /** Tile level, 0..63; tile level L holds hashes of tree level 8·L. */
  readonly level: number;
  /** Index of the tile within its level (a non-negative safe integer). */
  readonly n: number;
  /** Number of hashes, 1..256; 256 is a full tile, anything less a partial one. */
  readonly width: number;
}

/**
 * Checks that `tile` is a well-formed tile.
 * @throws MalformedError `TILE_INVALID` naming the bad field.
 */
export function checkTile(tile: Tile): void {
  const bad = (field: string, want: string, got: unknown): never => {
    throw new MalformedError<MerkleInputErrorCode>(
      'TILE_INVALID',
      `tile.${field}: got ${String(got)}, want ${want}`,
      {
        field: `tile.${field}`,
      },
    );
  };
  if (!Number.isSafeInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL) {
    bad('level', `an integer in 0..${MAX_TILE_LEVEL}`, tile.level);
  }
  if (!Number.isSafeInteger(tile.n) || tile.n < 0) bad('n', 'a non-negative safe integer', tile.n);
  if (!Number.isSafeInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) {
    bad('width', `an integer in 1..${TILE_WIDTH}`, tile.width);
  }
}

/** Where a stored hash lives: its tile (of the smallest width holding it) and the hash range. */
interface TileLocation {
  tile: Tile;
  /** First and last+1 position, within the tile, of the tile hashes the stored hash covers. */
  start: number;
  end: number;
}

function locate(storedIndex: TreeInt): TileLocation {
  const [level, n] = splitStoredHashIndex(storedIndex);
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const span = 2 ** (level - tileLevel * TILE_HEIGHT); // tile hashes under this stored hash
  const first = n * span; // position at tree level 8·tileLevel
  const tileN = Math.floor(first / TILE_WIDTH);
  const start = first - tileN * TILE_WIDTH;
  return { tile: { level: tileLevel, n: tileN, width: start + span }, start, end: start + span };
}

/**
 * The tile holding the stored hash at `storedIndex`, with the smallest width that contains it (or
 * the hashes it is computed from). Go: TileForIndex.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if storedIndex is out of range.
 */
export function tileForIndex(storedIndex: TreeInt): Tile {
  return locate(storedIndex).tile;
}

/** The hash of a perfect subtree whose level-0 hashes are `data` (a power of two of them). */
function tileHash(data: Uint8Array): Uint8Array {
  if (data.length === HASH_SIZE) return data.slice();
  const half = data.length / 2;
  return hashChildren(tileHash(data.subarray(0, half)), tileHash(data.subarray(half)));
}

/**
 * The stored hash at `storedIndex`, taken or recomputed from the bytes `data` of `tile`.
 * Go: HashFromTile.
 *
 * @throws MalformedError `TILE_INVALID` for a malformed tile; `TILE_DATA_LENGTH` if data is not
 *   exactly width·32 bytes; `MERKLE_BAD_INTEGER` if storedIndex is out of range.
 * @throws UsageError `TILE_INDEX_NOT_IN_TILE` if the stored hash is not in this tile.
 */
export function hashFromTile(tile: Tile, data: Uint8Array, storedIndex: TreeInt): Uint8Array {
  checkTile(tile);
  checkBytes(data, 'data');
  if (data.length !== tile.width * HASH_SIZE) {
    throw new MalformedError<MerkleInputErrorCode>(
      'TILE_DATA_LENGTH',
      `tile data: got ${data.length} bytes, want ${tile.width * HASH_SIZE} for width ${tile.width}`,
      { field: 'data' },
    );
  }
  const at = locate(storedIndex);
  if (at.tile.level !== tile.level || at.tile.n !== tile.n || at.tile.width > tile.width) {
    throw new UsageError<MerkleUsageErrorCode>(
      'TILE_INDEX_NOT_IN_TILE',
      `stored hash ${String(storedIndex)} is in tile level ${at.tile.level} n ${at.tile.n} width >= ${at.tile.width}, not in level ${tile.level} n ${tile.n} width ${tile.width}`,
      { field: 'storedIndex' },
    );
  }
  return tileHash(data.subarray(at.start * HASH_SIZE, at.end * HASH_SIZE));
}

/**
 * The stored-hash indexes of the hashes of `tile`, in order: (8·level, n·256 + i) for i < width.
 *
 * @throws MalformedError `TILE_INVALID` for a malformed tile; `MERKLE_BAD_INTEGER` if the tile
 *   lies beyond the storage limit (2^52 leaves).
 */
export function tileStoredHashIndexes(tile: Tile): number[] {
  checkTile(tile);
  const out = new Array<number>(tile.width);
  for (let i = 0; i < tile.width; i++)
    out[i] = storedHashIndex(tile.level * TILE_HEIGHT, tile.n * TILE_WIDTH + i);
  return out;
}

/**
 * The bytes of `tile` (width·32 bytes), read from stored hashes. Go: ReadTileData.
 *
 * @throws as {@link tileStoredHashIndexes}, and MalformedError `MERKLE_READER_MISMATCH` if the
 *   reader breaks its contract.
 */
export function readTileData(tile: Tile, reader: HashReader): Uint8Array {
  const hashes = readHashesChecked(reader, tileStoredHashIndexes(tile));
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

/**
 * Tile (`level`, `n`) as published for a tree of `size` leaves: full, or the partial tile of width
 * floor(size / 256^level) mod 256 at the right edge.
 *
 * @throws MalformedError `TILE_INVALID` / `MERKLE_BAD_INTEGER` for bad arguments.
 * @throws UsageError `TILE_BEYOND_TREE_SIZE` if the tree has no hash in that tile (empty tiles are
 *   never served).
 */
export function tileAtSize(level: number, n: number, size: TreeInt): Tile {
  checkTile({ level, n, width: 1 });
  const s = toTreeNumber(size, 'size');
  const hashesAtLevel = Math.floor(s / TILE_WIDTH ** level);
  const width = Math.min(TILE_WIDTH, hashesAtLevel - n * TILE_WIDTH);
  if (width <= 0) {
    throw new UsageError<MerkleUsageErrorCode>(
      'TILE_BEYOND_TREE_SIZE',
      `tile level ${level} n ${n} is empty in a tree of ${s} leaves`,
      { field: 'n' },
    );
  }
  return { level, n, width };
}

/**
 * The tiles that a tree of `newSize` leaves publishes and one of `oldSize` leaves did not (full
 * tiles completed since, and the new partial tiles), level by level. `newTiles(0, size)` lists
 * every tile of the tree. Requires oldSize <= newSize. Go: NewTiles.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` for sizes out of range.
 * @throws UsageError `MERKLE_SIZE_OUT_OF_RANGE` if oldSize > newSize.
 */
export function newTiles(oldSize: TreeInt, newSize: TreeInt): Tile[] {
  const oldS = toTreeNumber(oldSize, 'oldSize');
  const newS = toTreeNumber(newSize, 'newSize');
  if (oldS > newS) {
    throw new UsageError<MerkleUsageErrorCode>(
      'MERKLE_SIZE_OUT_OF_RANGE',
      `oldSize: got ${oldS}, want at most newSize = ${newS}`,
      { field: 'oldSize' },
    );
  }
  const tiles: Tile[] = [];
  for (let level = 0; Math.floor(newS / TILE_WIDTH ** level) > 0; level++) {
    const oldN = Math.floor(oldS / TILE_WIDTH ** level); // hashes at tree level 8·level
    const newN = Math.floor(newS / TILE_WIDTH ** level);
    if (oldN === newN) continue;
    const lastFull = Math.floor(newN / TILE_WIDTH);
    for (let n = Math.floor(oldN / TILE_WIDTH); n < lastFull; n++)
      tiles.push({ level, n, width: TILE_WIDTH });
    const width = newN - lastFull * TILE_WIDTH;
    if (width > 0) tiles.push({ level, n: lastFull, width });
  }
  return tiles;
}

/**
 * A {@link HashReader} over the tiles of a tree of `size` leaves: each stored hash is taken or
 * recomputed from the tile that holds it, as published at that size, fetched through `readTile`
 * (called once per tile per read). The tiles are not authenticated here: a client checks what it
 * builds from them against a signed root (treeHash(size, reader) equals the checkpoint's root, or
 * a proof built with proveRecord passes verifyInclusion), which is what makes them trustworthy.
 *
 * The reader throws UsageError `TILE_BEYOND_TREE_SIZE` for a hash not in the tree of `size`
 * leaves, MalformedError `TILE_DATA_LENGTH` for tile bytes of the wrong length, and whatever
 * `readTile` throws.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if size is out of range.
 */
export function tileHashReader(size: TreeInt, readTile: (tile: Tile) => Uint8Array): HashReader {
  const s = toTreeNumber(size, 'size');
  return (indexes) => {
    const cache = new Map<string, [Tile, Uint8Array]>();
    return indexes.map((index) => {
      const at = locate(index);
      const published = tileAtSize(at.tile.level, at.tile.n, s);
      if (published.width < at.tile.width) {
        throw new UsageError<MerkleUsageErrorCode>(
          'TILE_BEYOND_TREE_SIZE',
          `stored hash ${index} is not part of the tree of ${s} leaves`,
          { field: 'index' },
        );
      }
      const key = `${published.level}/${published.n}`;
      let entry = cache.get(key);
      if (entry === undefined) {
        entry = [published, readTile(published)];
        cache.set(key, entry);
      }
      return hashFromTile(entry[0], entry[1], index);
    });
  };
}
