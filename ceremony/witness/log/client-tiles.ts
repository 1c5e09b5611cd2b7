/**
 * Client-side Merkle math over fetched tiles. The stored-hash algorithms of ceremony/tlog/merkle
 * (treeHash, proveRecord, proveTree) read hashes synchronously, so each computation runs twice:
 * first with a reader that only records which stored hashes it needs (their choice never depends
 * on the hash values), then, once the tiles holding them are fetched in parallel, for real over
 * `tileHashReader`. Nothing here is trusted until checked against a signed root (./client.ts).
 */
import { MalformedError, UsageError } from '../../errors.js';
import {
  HASH_SIZE,
  TILE_WIDTH,
  formatTilePath,
  tileAtSize,
  tileForIndex,
  tileHashReader,
} from '../../tlog/index.js';
import type { HashReader, Tile } from '../../tlog/index.js';
import type { LogSource } from './client-source.js';
import type { LogMalformedErrorCode, LogUsageErrorCode } from './codes.js';

const ZERO = new Uint8Array(HASH_SIZE);
/** Tiles kept per fetcher; a long-lived client starts over past this (2,048 tiles: 16 MB). */
const MAX_CACHED_TILES = 2048;
const key = (t: Tile): string => `${t.level}/${t.n}/${t.width}`;

/** Fetches and caches the tiles of one log. */
export class TileFetcher {
  readonly #source: LogSource;
  readonly #cache = new Map<string, Uint8Array>();

  constructor(source: LogSource) {
    this.#source = source;
  }

  /** Number of tiles fetched so far. */
  get fetched(): number {
    return this.#cache.size;
  }

  /**
   * Tile `tile` (exactly width·32 bytes). A partial tile that is gone is taken from the full tile
   * that replaced it (c2sp.org/tlog-tiles, "Partial Tiles").
   *
   * @throws UsageError `LOG_RESOURCE_MISSING` if neither exists; MalformedError
   *   `LOG_RESOURCE_MALFORMED` if the bytes are not the tile's length.
   */
  async tile(tile: Tile): Promise<Uint8Array> {
    const k = key(tile);
    const hit = this.#cache.get(k);
    if (hit !== undefined) return hit;
    const want = tile.width * HASH_SIZE;
    let data = await this.#source.read(formatTilePath(tile), want);
    if (data === undefined && tile.width < TILE_WIDTH) {
      const full = await this.#source.read(
        formatTilePath({ ...tile, width: TILE_WIDTH }),
        TILE_WIDTH * HASH_SIZE,
      );
      if (full !== undefined && full.length === TILE_WIDTH * HASH_SIZE) data = full.subarray(0, want);
    }
    if (data === undefined) {
      throw new UsageError<LogUsageErrorCode>('LOG_RESOURCE_MISSING', 'not found', {
        file: `${this.#source.location}${this.#source.location.endsWith('/') ? '' : '/'}${formatTilePath(tile)}`,
      });
    }
    if (data.length !== want) {
      throw new MalformedError<LogMalformedErrorCode>(
        'LOG_RESOURCE_MALFORMED',
        `tile: got ${data.length} bytes, want ${want}`,
        { file: formatTilePath(tile) },
      );
    }
    if (this.#cache.size >= MAX_CACHED_TILES) this.#cache.clear();
    this.#cache.set(k, data);
    return data;
  }

  /**
   * Runs `compute` over the hashes of the tree of `size` leaves as its tiles publish them.
   * `compute` must choose the hashes it reads independently of their values (as treeHash,
   * proveRecord and proveTree do); it is called twice.
   *
   * @throws what `compute` throws, and what {@link tile} throws.
   */
  async withHashes<T>(size: number, compute: (reader: HashReader) => T): Promise<T> {
    const needed = new Map<string, Tile>();
    compute((indexes) =>
      indexes.map((i) => {
        const at = tileForIndex(i);
        const tile = tileAtSize(at.level, at.n, size);
        needed.set(key(tile), tile);
        return ZERO;
      }),
    );
    await Promise.all([...needed.values()].map((t) => this.tile(t)));
    return compute(
      tileHashReader(size, (tile) => {
        const data = this.#cache.get(key(tile));
        if (data === undefined) throw new Error(`log client: tile ${key(tile)} was not prefetched`);
        return data;
      }),
    );
  }
}
