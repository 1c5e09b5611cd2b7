/**
 * C2SP tlog-witness (docs/witness.md, "Cosigning"), with the submission and monitoring prefixes
 * both at the server root: `POST /add-checkpoint` and `GET /<hex SHA-256 of origin>/checkpoint`.
 */
import type { FastifyInstance } from 'fastify';
import { hexEncode, utf8Encode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { refuse } from '../codes.js';
import type { WitnessContext } from '../context.js';
import { addCheckpoint } from '../cosign/add-checkpoint.js';
import { bodyBytes, CACHE, params, sendBody } from './http.js';

/** Registers the cosigning routes. */
export function registerCosignRoutes(app: FastifyInstance, ctx: WitnessContext): void {
  app.post('/add-checkpoint', async (req, reply) =>
    sendBody(reply, await addCheckpoint(ctx, bodyBytes(req)), 'text/plain; charset=utf-8', CACHE.none),
  );

  app.get('/:originHash/checkpoint', async (req, reply) => {
    const hash = params(req)['originHash'] ?? '';
    if (!/^[0-9a-f]{64}$/.test(hash))
      refuse('RESOURCE_UNKNOWN', 'origin', 'want the lowercase hex SHA-256 of a log origin');
    const log = ctx.config().cosigning.logs.find((l) => hexEncode(sha256(utf8Encode(l.origin))) === hash);
    const cp = log === undefined ? undefined : ctx.state.cosigned(log.origin);
    if (cp === undefined)
      refuse('RESOURCE_UNKNOWN', 'origin', 'this witness has not cosigned a checkpoint of that log');
    return sendBody(reply, cp.note, 'text/plain; charset=utf-8', CACHE.short);
  });
}
