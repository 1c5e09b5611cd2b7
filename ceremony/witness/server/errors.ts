/**
 * One mapping from anything a handler throws to an HTTP reply (docs/witness.md, "Errors"):
 * a {@link WitnessError} carries its status; fastify's own refusals become the matching codes
 * (413 `BODY_TOO_LARGE`, 415 `CONTENT_TYPE_UNSUPPORTED`, 400 `REQUEST_MALFORMED`); a malformed
 * input elsewhere is 400, a missing log resource 404. Anything else is a 500 whose body says
 * nothing about the cause (it is logged on the server). Bodies are JSON:
 * `{ "error": CODE, "message": "...", "field"?: "...", "failures"?: [...] }`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isCeremonyError, MalformedError, UsageError } from '../../errors.js';
import { WitnessError } from '../codes.js';

const NOT_FOUND_CODES = new Set([
  'LOG_INDEX_OUT_OF_RANGE',
  'LOG_SIZE_OUT_OF_RANGE',
  'LOG_RESOURCE_MISSING',
  'TILE_BEYOND_TREE_SIZE',
]);

function fastifyRefusal(e: FastifyError): WitnessError | undefined {
  switch (e.statusCode) {
    case 413:
      return new WitnessError(
        'BODY_TOO_LARGE',
        'body: larger than the witness accepts (limits.maxBodyBytes)',
      );
    case 415:
      return new WitnessError('CONTENT_TYPE_UNSUPPORTED', 'content-type: not accepted here');
    case 400:
      return new WitnessError('REQUEST_MALFORMED', `request: ${e.message}`);
    default:
      return undefined;
  }
}

/** The WitnessError a thrown value answers as, or undefined for an internal error. */
export function asRefusal(e: unknown): WitnessError | undefined {
  if (e instanceof WitnessError) return e;
  if (isCeremonyError(e)) {
    if (NOT_FOUND_CODES.has(e.code))
      return new WitnessError('RESOURCE_UNKNOWN', `${e.message} [${e.code}]`, { field: e.field });
    if (e instanceof MalformedError || e instanceof UsageError) {
      return new WitnessError('REQUEST_MALFORMED', `${e.message} [${e.code}]`, { field: e.field });
    }
    return undefined;
  }
  if (typeof e === 'object' && e !== null && 'statusCode' in e && 'code' in e)
    return fastifyRefusal(e as FastifyError);
  return undefined;
}

/** Sends the reply for a thrown value. */
export function sendError(e: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const r = asRefusal(e);
  if (r === undefined) {
    req.log.error({ err: e }, 'internal error');
    return reply
      .code(500)
      .type('application/json')
      .send(JSON.stringify({ error: 'INTERNAL', message: 'internal error' }));
  }
  reply.code(r.status).headers(r.headers);
  if (r.body !== undefined) return reply.type(r.body.contentType).send(r.body.text);
  const body = {
    error: r.code,
    message: r.message,
    ...(r.field === undefined ? {} : { field: r.field }),
    ...(r.failures.length === 0 ? {} : { failures: r.failures }),
  };
  return reply.type('application/json').send(JSON.stringify(body));
}
