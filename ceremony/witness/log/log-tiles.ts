/**
 * C2SP tlog-tiles resources read from a store: Merkle tiles (`tile/<L>/<N>[.p/<W>]`), entry
 * bundles (`tile/entries/<N>[.p/<W>]`) and the `checkpoint`. A tile is served at any width the
 * current tree holds, so the partial tiles of every published checkpoint stay available.
 */
import { UsageError } from '../../errors.js';
import {
  TILE_WIDTH,
  checkTile,
  encodeEntryBundle,
  parseTileResource,
  readTileData,
  tileAtSize,
} from '../../tlog/index.js';
import type { EntryBundle, MerkleUsageErrorCode, Tile } from '../../tlog/index.js';
import type { LogUsageErrorCode } from './codes.js';
import type { LogStorage } from './storage.js';

/** Path of the checkpoint resource, relative to the log's prefix. */
export const CHECKPOINT_PATH = 'checkpoint';

function checkWithin(tile: Tile, size: number, what: string): void {
  const published = tileAtSize(tile.level, tile.n, size); // throws TILE_BEYOND_TREE_SIZE if empty
  if (tile.width > published.width) {
    throw new UsageError<MerkleUsageErrorCode>(
      'TILE_BEYOND_TREE_SIZE',
      `${what} level ${tile.level} n ${tile.n} width ${tile.width}: the log of ${size} entries holds only width ${published.width}`,
      { field: 'width' },
    );
  }
}

/**
 * The bytes of Merkle tile `tile` (width·32 bytes).
 * @throws MalformedError `TILE_INVALID`; UsageError `TILE_BEYOND_TREE_SIZE` if the log does not
 *   hold that tile at that width.
 */
export function readTile(storage: LogStorage, tile: Tile): Uint8Array {
  checkTile(tile);
  checkWithin(tile, storage.size(), 'tile');
  return readTileData(tile, (indexes) => storage.readHashes(indexes));
}

/**
 * The bytes of entry bundle `bundle`.
 * @throws MalformedError `TILE_INVALID`; UsageError `TILE_BEYOND_TREE_SIZE` if the log does not
 *   hold those entries.
 */
export function readEntriesTile(storage: LogStorage, bundle: EntryBundle): Uint8Array {
  const tile = { level: 0, n: bundle.n, width: bundle.width };
  checkTile(tile);
  checkWithin(tile, storage.size(), 'entry bundle');
  const start = bundle.n * TILE_WIDTH;
  return encodeEntryBundle(storage.readEntries(start, start + bundle.width));
}

/**
 * A resource by its path relative to the log prefix: `checkpoint` (the latest checkpoint, UTF-8),
 * a Merkle tile or an entry bundle.
 *
 * @throws MalformedError `TILE_PATH_MALFORMED` for any other path.
 * @throws UsageError `LOG_RESOURCE_MISSING` (no checkpoint yet), `TILE_BEYOND_TREE_SIZE`.
 */
export function readTileResource(storage: LogStorage, path: string): Uint8Array {
  if (path === CHECKPOINT_PATH) {
    const cp = storage.latestCheckpoint();
    if (cp === undefined) {
      throw new UsageError<LogUsageErrorCode>('LOG_RESOURCE_MISSING', 'checkpoint: none published yet', {
        field: 'path',
      });
    }
    return new TextEncoder().encode(cp.note);
  }
  const r = parseTileResource(path);
  return r.kind === 'tile' ? readTile(storage, r.tile) : readEntriesTile(storage, r.bundle);
}
