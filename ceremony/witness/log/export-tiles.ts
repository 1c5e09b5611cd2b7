/**
 * Exporting a log as C2SP tlog-tiles static files (docs/witness-log.md, "Tiles"): any web server
 * or CDN can then serve `DIR` as the log's prefix.
 *
 * Order makes a crash harmless: tiles and entry bundles first (each created exclusively and
 * fsync'ed, then their directories fsync'ed), the `checkpoint` file last (atomic rename). A reader
 * never sees a checkpoint whose tiles are missing. Re-exporting is incremental: the tiles of the
 * size in the existing `checkpoint` file are skipped, files already present must be identical.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../../errors.js';
import {
  formatEntriesPath,
  formatTilePath,
  hashesEqual,
  newTiles,
  parseCheckpoint,
  parseNote,
} from '../../tlog/index.js';
import type { LogUsageErrorCode } from './codes.js';
import { fsyncDir, readIfExists, writeFileAtomic, writeFileOnce } from '../../io/index.js';
import type { OutputErrors } from '../../io/index.js';
import { CHECKPOINT_PATH, readEntriesTile, readTile } from './log-tiles.js';
import type { LogStorage, StoredCheckpoint } from './storage.js';

/** What {@link exportTiles} did. */
export interface ExportTilesResult {
  /** Tree size of the exported checkpoint. */
  readonly size: bigint;
  /** Files written (tiles and entry bundles), not counting the checkpoint. */
  readonly written: number;
  /** Files that were already there, identical. */
  readonly unchanged: number;
}

/** A file already exported with other bytes (`writeFileOnce`). */
export const EXPORT_CONFLICT: OutputErrors = {
  exists: 'LOG_EXPORT_CONFLICT' satisfies LogUsageErrorCode,
  existsMessage: 'exists with other content; outputs are never overwritten (is this directory another log?)',
};

/** Exported files are world-readable; fs errors are thrown as they are (`writeFileAtomic`). */
export const EXPORT_FILE_MODE = 0o644;
export const EXPORT_WRITES: OutputErrors = { unwritable: null };

function conflict(file: string, reason: string): UsageError {
  return new UsageError<LogUsageErrorCode>('LOG_EXPORT_CONFLICT', reason, { file });
}

/** The size already exported to `dir`, checked to be one of this log's checkpoints. */
function exportedSize(storage: LogStorage, dir: string, cp: StoredCheckpoint): number {
  const file = join(dir, CHECKPOINT_PATH);
  const bytes = readIfExists(file);
  if (bytes === undefined) return 0;
  let old;
  try {
    old = parseCheckpoint(parseNote(bytes).text);
  } catch (e) {
    throw conflict(file, `is not a checkpoint (${(e as Error).message})`);
  }
  const ours = old.size <= cp.size ? storage.checkpointAt(Number(old.size)) : undefined;
  if (
    ours === undefined ||
    old.origin !== parseCheckpoint(parseNote(cp.note).text).origin ||
    !hashesEqual(ours.rootHash, old.rootHash)
  ) {
    throw conflict(
      file,
      `holds a checkpoint of size ${old.size} that this log did not publish (another log, or a fork)`,
    );
  }
  return Number(old.size);
}

/**
 * Writes the tiles, entry bundles and checkpoint of `cp` (a checkpoint stored in `storage`) under
 * `dir`, creating it if needed.
 *
 * @throws UsageError `LOG_EXPORT_CONFLICT` if `dir` holds another log's checkpoint or a file whose
 *   bytes differ from the log's; fs errors.
 */
export function exportTiles(storage: LogStorage, cp: StoredCheckpoint, dir: string): ExportTilesResult {
  mkdirSync(dir, { recursive: true });
  const size = Number(cp.size);
  const from = exportedSize(storage, dir, cp);
  const dirs = new Set<string>();
  let written = 0;
  let unchanged = 0;
  const put = (path: string, data: Uint8Array): void => {
    const file = join(dir, ...path.split('/'));
    if (writeFileOnce(file, data, EXPORT_FILE_MODE, EXPORT_CONFLICT)) {
      written++;
      for (let d = dirname(file); d.length >= dir.length && !dirs.has(d); d = dirname(d)) dirs.add(d);
    } else {
      unchanged++;
    }
  };
  for (const tile of newTiles(from, size)) {
    put(formatTilePath(tile), readTile(storage, tile));
    if (tile.level === 0) {
      const bundle = { n: tile.n, width: tile.width };
      put(formatEntriesPath(bundle), readEntriesTile(storage, bundle));
    }
  }
  // Deepest first, so each new directory's own entry is durable before its parent's.
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncDir(d);
  writeFileAtomic(join(dir, CHECKPOINT_PATH), cp.note, EXPORT_FILE_MODE, EXPORT_WRITES);
  return { size: cp.size, written, unchanged };
}
