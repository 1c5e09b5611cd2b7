/**
 * `witness serve`: opens the witness and serves it until stopped. Loopback by default; the
 * listen address is `HOST:PORT` (`[::1]:8080` for IPv6, port 0 for any free port).
 */
import type { FastifyInstance } from 'fastify';
import { UsageError } from '../errors.js';
import { createWitnessServer } from './server/app.js';
import { Witness } from './witness.js';

/** The default listen address: loopback only. */
export const DEFAULT_LISTEN = '127.0.0.1:8080';

/**
 * Parses `HOST:PORT`.
 * @throws UsageError `WITNESS_LISTEN_INVALID`.
 */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(text);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535)
    throw new UsageError('WITNESS_LISTEN_INVALID', `listen: got ${JSON.stringify(text)}, want HOST:PORT`, {
      field: 'listen',
    });
  return { host: m[1] ?? m[2]!, port };
}

/** A serving witness. */
export interface ServingWitness {
  url: string;
  witness: Witness;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Opens the witness in `dir` and listens.
 * @throws whatever {@link Witness.open} throws; UsageError `WITNESS_LISTEN_INVALID`.
 */
export async function serveWitness(o: {
  dir: string;
  listen?: string;
  logger?: boolean;
}): Promise<ServingWitness> {
  const { host, port } = parseListen(o.listen ?? DEFAULT_LISTEN);
  const witness = await Witness.open({ dir: o.dir });
  try {
    const app = await createWitnessServer(witness, { logger: o.logger === true });
    await app.listen({ host, port });
    const addr = app.server.address();
    const actual = typeof addr === 'object' && addr !== null ? addr.port : port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
    return {
      url,
      witness,
      app,
      async close() {
        await app.close();
        await witness.close();
      },
    };
  } catch (e) {
    await witness.close();
    throw e;
  }
}
