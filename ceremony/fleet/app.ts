/**
 * The fleet server's HTTP routes (fastify; docs/session-protocol.md, "HTTP"):
 *
 * - `POST /v1/handshake` — body: a handshake request (`application/cbor`, at most 256 bytes);
 *   answer: the handshake response (`application/cbor`).
 * - `POST /v1/session/{id}/message` — body: a frame (at most 65568 bytes); answer: a frame.
 *
 * Any other content type is 415, a larger body 413, any other route 404; refusals are JSON
 * `{ "error", "message" }` (./errors.ts). Every answer is `cache-control: no-store`.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  HANDSHAKE_PATH,
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_REQUEST_BYTES,
  SESSION_CONTENT_TYPE,
} from '../bundle/session/index.js';
import { refuse, sendError } from './errors.js';
import { answerMessage } from './messages.js';
import { respondToHandshake } from './responder.js';
import type { ResponderContext } from './responder.js';

/** Counters a running server keeps (no secrets, no client data). */
export interface FleetServerStats {
  /** Handshakes answered. */
  handshakes: number;
  /** Encrypted messages answered. */
  messages: number;
  /** Requests refused (any 4xx or 5xx). */
  refused: number;
  /** Sessions currently stored. */
  sessions: number;
}

/** What the routes need. */
export interface AppContext extends ResponderContext {
  now: () => number;
  stats: Omit<FleetServerStats, 'sessions'>;
  logger: boolean;
}

function body(req: FastifyRequest, field: string): Uint8Array {
  const b = req.body;
  if (!(b instanceof Uint8Array) || b.length === 0)
    refuse('SESSION_REQUEST_MALFORMED', field, 'empty body: want an application/cbor message');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Builds the app (not listening yet). */
export async function createFleetApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.logger,
    bodyLimit: MAX_FRAME_BYTES,
    routerOptions: { maxParamLength: 64 },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(SESSION_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, b, done) => done(null, b));
  app.setErrorHandler((e, req, reply) => {
    ctx.stats.refused++;
    return sendError(e, req, reply);
  });
  app.setNotFoundHandler((req, reply) => {
    ctx.stats.refused++;
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .type('application/json')
      .send(
        JSON.stringify({
          error: 'SESSION_ROUTE_UNKNOWN',
          message: `${req.method} ${req.url.slice(0, 200)}: no such resource`,
        }),
      );
  });

  app.post(HANDSHAKE_PATH, { bodyLimit: MAX_HANDSHAKE_REQUEST_BYTES }, async (req, reply) => {
    const { response, session } = await respondToHandshake(body(req, 'request'), ctx);
    ctx.stats.handshakes++;
    req.log.info({ keyId: session.key.keyId }, 'handshake');
    return reply.header('cache-control', 'no-store').type(SESSION_CONTENT_TYPE).send(Buffer.from(response));
  });

  app.post('/v1/session/:id/message', { bodyLimit: MAX_FRAME_BYTES }, async (req, reply) => {
    const id = (req.params as { id?: string }).id ?? '';
    const frame = await answerMessage(id, body(req, 'frame'), ctx.store, ctx.now);
    ctx.stats.messages++;
    return reply.header('cache-control', 'no-store').type(SESSION_CONTENT_TYPE).send(Buffer.from(frame));
  });

  await app.ready();
  return app;
}
