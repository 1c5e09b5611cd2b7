/**
 * Where a log client reads a tiled log from (C2SP tlog-tiles): a {@link LogSource} maps a path
 * relative to the log prefix (`checkpoint`, `tile/...`) to its bytes. {@link httpLogSource} reads
 * an HTTP(S) prefix with the global `fetch`; ./client-dir.ts reads a directory of exported tiles.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../../errors.js';
import type { LogMalformedErrorCode, LogUsageErrorCode } from './codes.js';

/** Read access to a tiled log's resources. */
export interface LogSource {
  /** The URL or directory, for messages. */
  readonly location: string;
  /**
   * The bytes at `path` (relative to the log prefix), or undefined if there is no such resource
   * (HTTP 404, no such file).
   *
   * @throws MalformedError `LOG_RESOURCE_MALFORMED` if it is larger than `maxBytes`.
   * @throws UsageError `LOG_RESOURCE_MISSING` for any other failure (network, HTTP status, I/O).
   */
  read(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

/** Options of {@link httpLogSource}. */
export interface HttpLogSourceOptions {
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 30000). */
  timeoutMs?: number;
}

/** Reads a response body, refusing more than `maxBytes`. */
async function readBounded(res: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const tooLarge = (got: number) =>
    new MalformedError<LogMalformedErrorCode>(
      'LOG_RESOURCE_MALFORMED',
      `got more than ${maxBytes} bytes (${got} at least), want at most ${maxBytes}`,
      { file: where },
    );
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(declared);
  if (res.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A source reading `<baseUrl>/<path>` over HTTP(S).
 * @throws UsageError `LOG_LOCATION_INVALID` if `baseUrl` is not an http(s) URL.
 */
export function httpLogSource(baseUrl: string, options: HttpLogSourceOptions = {}): LogSource {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch (cause) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_LOCATION_INVALID',
      `--log: ${JSON.stringify(baseUrl)} is not a URL`,
      {
        field: 'log',
        cause,
      },
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_LOCATION_INVALID',
      `--log: want an http(s) URL, got ${base.protocol}`,
      {
        field: 'log',
      },
    );
  }
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    location: base.href,
    async read(path, maxBytes) {
      const url = new URL(path, base).href;
      let res: Response;
      try {
        res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      } catch (cause) {
        throw new UsageError<LogUsageErrorCode>(
          'LOG_RESOURCE_MISSING',
          `fetch failed: ${(cause as Error).message}`,
          {
            file: url,
            cause,
          },
        );
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new UsageError<LogUsageErrorCode>('LOG_RESOURCE_MISSING', `HTTP status ${res.status}`, {
          file: url,
        });
      }
      return readBounded(res, maxBytes, url);
    },
  };
}
