/**
 * The address a fleet server listens on: `HOST:PORT` or `[IPv6]:PORT` as the CLI's `--listen`
 * takes it, or an object. Default: loopback (127.0.0.1) on a free port — a fleet server is
 * reachable from elsewhere only when its operator says so.
 */
import { setupError } from './errors.js';

/** A host and a TCP port (0: any free port). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** The default address: loopback, a free port. */
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 0 };

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45})$/;

function checkPort(port: unknown, field: string): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    setupError('FLEET_OPTION_INVALID', field, `got ${String(port)}, want a TCP port 0 … 65535`);
  }
  return port;
}

/**
 * Parses a listen address.
 * @throws UsageError `FLEET_OPTION_INVALID` naming `listen`.
 * @example parseListen('0.0.0.0:9780'); parseListen('[::1]:0'); parseListen(undefined) // 127.0.0.1:0
 */
export function parseListen(v: string | Partial<ListenAddress> | undefined): ListenAddress {
  if (v === undefined) return { ...DEFAULT_LISTEN };
  if (typeof v !== 'string') {
    const host = v.host ?? DEFAULT_LISTEN.host;
    if (typeof host !== 'string' || !HOST.test(host))
      setupError(
        'FLEET_OPTION_INVALID',
        'listen.host',
        `got ${JSON.stringify(host)}, want a host name or IP address`,
      );
    return { host, port: checkPort(v.port ?? 0, 'listen.port') };
  }
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(v);
  if (m === null)
    setupError(
      'FLEET_OPTION_INVALID',
      'listen',
      `got ${JSON.stringify(v.slice(0, 100))}, want HOST:PORT or [IPv6]:PORT`,
    );
  const host = m[1] ?? m[2]!;
  if (!HOST.test(host))
    setupError(
      'FLEET_OPTION_INVALID',
      'listen',
      `got host ${JSON.stringify(host.slice(0, 100))}, want a host name or IP address`,
    );
  return { host, port: checkPort(Number(m[3]), 'listen') };
}
