/**
 * A {@link LogSource} over a directory of exported tiles (what `WitnessLog.exportTiles` writes),
 * and {@link openLogSource}, which picks HTTP or directory from a `--log URL|DIR` argument.
 */
import { open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MalformedError, UsageError } from '../../errors.js';
import { parseTileResource } from '../../tlog/index.js';
import { httpLogSource } from './client-source.js';
import type { HttpLogSourceOptions, LogSource } from './client-source.js';
import type { LogMalformedErrorCode, LogUsageErrorCode } from './codes.js';
import { CHECKPOINT_PATH } from './log-tiles.js';

/**
 * A source reading `<dir>/<path>`. Only `checkpoint` and canonical tile paths are read, so a path
 * can never leave the directory.
 */
export function dirLogSource(dir: string): LogSource {
  const root = resolve(dir);
  return {
    location: dir,
    async read(path, maxBytes) {
      if (path !== CHECKPOINT_PATH) parseTileResource(path); // throws TILE_PATH_MALFORMED
      const file = join(root, ...path.split('/'));
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw new UsageError<LogUsageErrorCode>(
          'LOG_RESOURCE_MISSING',
          `cannot read: ${(e as Error).message}`,
          {
            file,
            cause: e,
          },
        );
      }
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) {
          throw new MalformedError<LogMalformedErrorCode>(
            'LOG_RESOURCE_MALFORMED',
            `got ${size} bytes, want at most ${maxBytes}`,
            { file },
          );
        }
        const buf = new Uint8Array(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await handle.read(buf, at, size - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return at === size ? buf : buf.subarray(0, at);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * The source for a `--log` argument: an `http://` or `https://` URL, else a directory that must
 * exist.
 *
 * @throws UsageError `LOG_LOCATION_INVALID` for a bad URL or a missing directory.
 */
export async function openLogSource(
  location: string,
  options: HttpLogSourceOptions = {},
): Promise<LogSource> {
  if (/^https?:\/\//i.test(location)) return httpLogSource(location, options);
  const st = await stat(location).catch(() => undefined);
  if (st === undefined || !st.isDirectory()) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_LOCATION_INVALID',
      'want an http(s) URL or an existing directory of exported tiles',
      { field: 'log', file: location },
    );
  }
  return dirLogSource(location);
}
