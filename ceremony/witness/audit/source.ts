/**
 * Where `audit-namespace --log URL|DIR` reads a witness from: a running witness (its HTTP read
 * API) or a static export (`witness export-tiles`, where a document whose path is also a
 * directory is `<path>/index.json`). The audit log's tiles are read through the log client's
 * own sources (ceremony/witness/log).
 */
import { open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MalformedError, UsageError } from '../../errors.js';
import { dirLogSource, httpLogSource } from '../log/index.js';
import type { LogSource } from '../log/index.js';

/** Read access to a witness's documents and log. */
export interface WitnessSource {
  readonly location: string;
  readonly log: LogSource;
  /**
   * The bytes at `path` (relative, segments percent-encoded as in URLs), or undefined if absent.
   * @throws MalformedError `WITNESS_REPLY_INVALID` when larger than `maxBytes`; UsageError
   *   `WITNESS_HTTP_FAILED` for another failure.
   */
  read(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

function dirSource(dir: string): WitnessSource {
  const root = resolve(dir);
  return {
    location: dir,
    log: dirLogSource(dir),
    async read(path, maxBytes) {
      const segs = path.split('/');
      if (segs.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes('\\'))) {
        throw new UsageError(
          'WITNESS_URL_INVALID',
          `path ${JSON.stringify(path.slice(0, 200))}: not a witness resource`,
        );
      }
      let file = join(root, ...segs);
      const st = await stat(file).catch(() => undefined);
      if (st === undefined) return undefined;
      if (st.isDirectory()) file = join(file, 'index.json');
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new UsageError('WITNESS_HTTP_FAILED', `cannot read: ${(e as Error).message}`, {
          file,
          cause: e,
        });
      }
      try {
        const { size } = await handle.stat();
        if (size > maxBytes)
          throw new MalformedError('WITNESS_REPLY_INVALID', `got ${size} bytes, want at most ${maxBytes}`, {
            file,
          });
        const buf = new Uint8Array(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await handle.read(buf, at, size - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return buf.subarray(0, at);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * The source for a `--log` argument: an http(s) URL, else an existing directory.
 * @throws UsageError `WITNESS_URL_INVALID`.
 */
export async function openWitnessSource(location: string): Promise<WitnessSource> {
  if (/^https?:\/\//i.test(location)) {
    const log = httpLogSource(location);
    return { location, log, read: (path, max) => log.read(path, max) };
  }
  const st = await stat(location).catch(() => undefined);
  if (st === undefined || !st.isDirectory()) {
    throw new UsageError(
      'WITNESS_URL_INVALID',
      'want an http(s) URL or a directory written by `witness export-tiles`',
      {
        field: 'log',
        file: location,
      },
    );
  }
  return dirSource(location);
}
