/**
 * C2SP tlog-tiles resource paths (c2sp.org/tlog-tiles, "Merkle Tree" and "Log entries"):
 * `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, relative to the log's prefix.
 *
 * `<L>` is decimal 0..63 without leading zeros; `<N>` is split into 3-digit groups, every group
 * but the last prefixed with `x` (1234067 → `x001/x234/067`); `.p/<W>` marks a partial tile of
 * width 1..255, decimal without leading zeros. Parsing is strict: a path is accepted only if
 * formatting the parsed value gives back exactly the same string (so `x000/005`, `tile/00/…`,
 * `.p/256` and `.p/007` are refused).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../errors.js';
import type { MerkleInputErrorCode } from './checks.js';
import type { Tile } from './tiles.js';
import { checkTile, MAX_TILE_LEVEL, TILE_WIDTH } from './tiles.js';

/** An entry bundle: `tile/entries/<n>[.p/<width>]`, the entries of level-0 tile n. */
export interface EntryBundle {
  /** Index of the bundle (a non-negative safe integer); it holds entries n·256 .. n·256+width-1. */
  readonly n: number;
  /** Number of entries, 1..256; 256 is a full bundle. */
  readonly width: number;
}

/** A parsed tile resource path: a Merkle tree tile or an entry bundle. */
export type TileResource = { kind: 'tile'; tile: Tile } | { kind: 'entries'; bundle: EntryBundle };

/** Longest path accepted by the parsers (far above the longest valid one). */
const MAX_PATH_LENGTH = 96;

function pad3(x: number): string {
  return String(x).padStart(3, '0');
}

/** `<N>` of a tile path: 3-digit groups, all but the last prefixed with `x`. Requires n a safe integer >= 0. */
function formatIndex(n: number): string {
  let s = pad3(n % 1000);
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    s = `x${pad3(rest % 1000)}/${s}`;
  }
  return s;
}

function suffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

/**
 * The path of `tile`, e.g. `tile/0/x001/x234/067` or `tile/1/005.p/17`.
 * @throws MalformedError `TILE_INVALID` for a malformed tile.
 */
export function formatTilePath(tile: Tile): string {
  checkTile(tile);
  return `tile/${tile.level}/${formatIndex(tile.n)}${suffix(tile.width)}`;
}

/**
 * The path of an entry bundle, e.g. `tile/entries/x001/234` or `tile/entries/000.p/3`.
 * @throws MalformedError `TILE_INVALID` for a malformed bundle.
 */
export function formatEntriesPath(bundle: EntryBundle): string {
  checkTile({ level: 0, n: bundle.n, width: bundle.width });
  return `tile/entries/${formatIndex(bundle.n)}${suffix(bundle.width)}`;
}

const INDEX = '((?:x[0-9]{3}/)*[0-9]{3})';
const WIDTH = '(?:\\.p/([1-9][0-9]{0,2}))?';
const TILE_RE = new RegExp(`^tile/(0|[1-9][0-9]?)/${INDEX}${WIDTH}$`);
const ENTRIES_RE = new RegExp(`^tile/entries/${INDEX}${WIDTH}$`);
const WANT =
  'want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]: L 0..63 and W 1..255 in decimal without leading zeros, ' +
  'N in 3-digit groups with all but the last prefixed by x';

function malformed(path: string, reason: string): MalformedError<MerkleInputErrorCode> {
  const shown = path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}…` : path;
  return new MalformedError<MerkleInputErrorCode>(
    'TILE_PATH_MALFORMED',
    `tile path ${JSON.stringify(shown)}: ${reason}`,
    {
      field: 'path',
    },
  );
}

function parseIndex(path: string, digits: string): number {
  let n = 0;
  for (const group of digits.split('/')) n = n * 1000 + Number(group.replace('x', ''));
  if (!Number.isSafeInteger(n)) throw malformed(path, 'got an index N beyond 2^53-1, want a safe integer');
  return n;
}

function parseWidth(path: string, w: string | undefined): number {
  if (w === undefined) return TILE_WIDTH;
  const width = Number(w);
  if (width >= TILE_WIDTH) throw malformed(path, `got partial width ${width}, want 1..${TILE_WIDTH - 1}`);
  return width;
}

/**
 * Parses a tile resource path (`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`), strictly.
 *
 * @throws MalformedError `TILE_PATH_MALFORMED` with the reason, for anything that is not the
 *   canonical path of a tile or entry bundle.
 */
export function parseTileResource(path: string): TileResource {
  if (typeof path !== 'string') throw malformed(String(path), `got ${typeof path}, want a string`);
  if (path.length > MAX_PATH_LENGTH)
    throw malformed(path, `got ${path.length} characters, want at most ${MAX_PATH_LENGTH}`);
  let result: TileResource;
  const e = ENTRIES_RE.exec(path);
  if (e !== null) {
    result = { kind: 'entries', bundle: { n: parseIndex(path, e[1]!), width: parseWidth(path, e[2]) } };
  } else {
    const t = TILE_RE.exec(path);
    if (t === null) throw malformed(path, WANT);
    const level = Number(t[1]);
    if (level > MAX_TILE_LEVEL) throw malformed(path, `got level ${level}, want 0..${MAX_TILE_LEVEL}`);
    result = { kind: 'tile', tile: { level, n: parseIndex(path, t[2]!), width: parseWidth(path, t[3]) } };
  }
  const again = result.kind === 'tile' ? formatTilePath(result.tile) : formatEntriesPath(result.bundle);
  if (again !== path)
    throw malformed(path, `not canonical: the index has a leading x000 group (want ${again})`);
  return result;
}

/**
 * Parses a Merkle tree tile path `tile/<L>/<N>[.p/<W>]`, strictly.
 * @throws MalformedError `TILE_PATH_MALFORMED` with the reason (also for an entry bundle path).
 */
export function parseTilePath(path: string): Tile {
  const r = parseTileResource(path);
  if (r.kind !== 'tile') throw malformed(path, 'got an entry bundle path, want a tile path');
  return r.tile;
}

/**
 * Parses an entry bundle path `tile/entries/<N>[.p/<W>]`, strictly.
 * @throws MalformedError `TILE_PATH_MALFORMED` with the reason (also for a tile path).
 */
export function parseEntriesPath(path: string): EntryBundle {
  const r = parseTileResource(path);
  if (r.kind !== 'entries') throw malformed(path, 'got a tile path, want an entry bundle path');
  return r.bundle;
}
