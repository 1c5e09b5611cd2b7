/**
 * The witness's HTTP server (fastify): read API, audit log tiles and proofs, authenticated
 * submissions and counter-signatures, and tlog-witness cosigning (docs/witness.md, "HTTP API").
 *
 * Bodies are taken as raw bytes (the signature covers the exact bytes): `application/cbor` for
 * submissions and counter-signatures, anything for `add-checkpoint`. The body limit is
 * `limits.maxBodyBytes` when the server starts (413 above it).
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { WitnessContext } from '../context.js';
import { RateLimiter } from '../auth/rate-limit.js';
import { sendError } from './errors.js';
import { registerCosignRoutes } from './routes-cosign.js';
import { registerLogRoutes } from './routes-log.js';
import { registerReadRoutes } from './routes-read.js';
import { registerSubmitRoutes } from './routes-submit.js';

/** Options of {@link createWitnessServer}. */
export interface WitnessServerOptions {
  /** Log requests (fastify's pino logger, JSON lines on stdout); default off. */
  logger?: boolean;
}

/**
 * Builds the server (not listening yet: call `listen`).
 * @example const app = await createWitnessServer(witness); await app.listen({ host: '127.0.0.1', port: 0 });
 */
export async function createWitnessServer(
  ctx: WitnessContext,
  options: WitnessServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === true,
    bodyLimit: ctx.config().limits.maxBodyBytes,
    routerOptions: { maxParamLength: 1024 },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((e, req, reply) => sendError(e, req, reply));
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send(
        JSON.stringify({
          error: 'RESOURCE_UNKNOWN',
          message: `${req.method} ${req.url.slice(0, 200)}: no such resource`,
        }),
      ),
  );
  const limiter = new RateLimiter();
  registerReadRoutes(app, ctx);
  registerLogRoutes(app, ctx);
  registerSubmitRoutes(app, ctx, limiter);
  registerCosignRoutes(app, ctx);
  await app.ready();
  return app;
}
