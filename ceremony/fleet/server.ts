/**
 * Starting a fleet server (docs/session-protocol.md, "fleet serve"): check that the HSM key is
 * the session key the validation bundle publishes, then answer handshakes and encrypted messages
 * on HTTP, on loopback unless told otherwise.
 */
import type { Hsm } from '../hsm/index.js';
import { MAX_SESSION_TTL_SECONDS } from '../bundle/session/index.js';
import { createFleetApp } from './app.js';
import type { AppContext, FleetServerStats } from './app.js';
import { setupError } from './errors.js';
import { parseListen } from './listen.js';
import type { ListenAddress } from './listen.js';
import type { KeyLogger } from './responder.js';
import { resolveServedKey } from './served-key.js';
import type { ServedKey } from './served-key.js';
import { SessionStore } from './sessions.js';

/** Options of {@link startFleetServer}. */
export interface FleetServerOptions {
  /** The open HSM holding the fleet session key (the caller closes it after the server). */
  hsm: Hsm;
  /** The validation bundle to send to clients (encoded, as `bundle verify` reads it). */
  bundle: Uint8Array;
  /** HSM label of the fleet session key; also its key id in the bundle's fleet key set. */
  sessionKeyLabel: string;
  /** Where to listen: `HOST:PORT`, `[IPv6]:PORT`, or an object; default 127.0.0.1, a free port. */
  listen?: string | Partial<ListenAddress>;
  /** Most sessions at once (default 1024). */
  maxSessions?: number;
  /** Lifetime of a session, seconds (default 300, at most 86400). */
  sessionTtlSeconds?: number;
  /** Messages per session (default 1000). */
  maxMessagesPerSession?: number;
  /** The server clock, ms (default Date.now). */
  now?: () => number;
  /** fastify's request log as JSON lines on stdout (default off). Logs carry no key material. */
  logger?: boolean;
  /** See {@link KeyLogger}: tests and debugging only. */
  keyLog?: KeyLogger;
}

/** A running fleet server. */
export interface FleetServer {
  /** Base URL, e.g. `http://127.0.0.1:9780`. */
  url: string;
  address: ListenAddress;
  /** The fleet session key served. */
  key: ServedKey;
  stats(): FleetServerStats;
  /** Stops listening and ends every session (the HSM stays open). */
  close(): Promise<void>;
}

function positive(v: number | undefined, fallback: number, max: number, field: string): number {
  const n = v ?? fallback;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    setupError('FLEET_OPTION_INVALID', field, `got ${String(v)}, want an integer in 1 … ${max}`);
  return n;
}

/**
 * Checks the key against the bundle and starts the server.
 *
 * @throws UsageError `FLEET_OPTION_INVALID`, `FLEET_BUNDLE_INVALID`, `FLEET_KEY_NOT_FOUND`,
 *   `FLEET_KEY_NOT_DERIVE`, `FLEET_KEY_NOT_IN_BUNDLE`, `FLEET_KEY_NOT_SESSION`,
 *   `FLEET_KEY_MISMATCH`, `FLEET_LISTEN_FAILED`.
 * @example
 * const server = await startFleetServer({ hsm, bundle, sessionKeyLabel: 'session-01' });
 * console.log(server.url); // http://127.0.0.1:40123
 */
export async function startFleetServer(o: FleetServerOptions): Promise<FleetServer> {
  if (!(o.bundle instanceof Uint8Array))
    setupError('FLEET_OPTION_INVALID', 'bundle', 'want the encoded validation bundle');
  const listen = parseListen(o.listen);
  const ttlSeconds = positive(o.sessionTtlSeconds, 300, MAX_SESSION_TTL_SECONDS, 'sessionTtlSeconds');
  const maxSessions = positive(o.maxSessions, 1024, 1_000_000, 'maxSessions');
  const maxMessages = positive(o.maxMessagesPerSession, 1000, 1_000_000, 'maxMessagesPerSession');
  const key = await resolveServedKey(o.hsm, o.bundle, o.sessionKeyLabel);
  const now = o.now ?? Date.now;
  const store = new SessionStore({ maxSessions, ttlMs: ttlSeconds * 1000, maxMessages }, now);
  const ctx: AppContext = {
    hsm: o.hsm,
    key,
    bundle: o.bundle.slice(),
    store,
    ttlSeconds,
    now,
    logger: o.logger === true,
    stats: { handshakes: 0, messages: 0, refused: 0 },
    ...(o.keyLog === undefined ? {} : { keyLog: o.keyLog }),
  };
  const app = await createFleetApp(ctx);
  try {
    await app.listen({ host: listen.host, port: listen.port });
  } catch (e) {
    await app.close();
    setupError(
      'FLEET_LISTEN_FAILED',
      'listen',
      `cannot listen on ${listen.host}:${listen.port}: ${(e as Error).message}`,
      e,
    );
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const sweeper = setInterval(() => store.sweep(), Math.min(ttlSeconds * 1000, 30_000));
  sweeper.unref();
  return {
    url: `http://${host}:${port}`,
    address: { host: listen.host, port },
    key,
    stats: () => ({ ...ctx.stats, sessions: store.size }),
    async close() {
      clearInterval(sweeper);
      await app.close();
      store.clear();
    },
  };
}
