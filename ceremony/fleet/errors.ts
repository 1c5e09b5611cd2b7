/**
 * The fleet server's refusals (docs/session-protocol.md, "HTTP"): each reason code with its HTTP
 * status, and the one mapping from anything a handler throws to a reply. Bodies are JSON,
 * `{ "error": CODE, "message": "..." }`; a 500 says nothing about its cause (the cause is logged
 * when logging is on, and never carries key material or a PIN).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCeremonyError, UsageError } from '../errors.js';

/** HTTP status of each refusal code the server sends. */
export const REFUSAL_STATUS = {
  SESSION_REQUEST_MALFORMED: 400,
  SESSION_VERSION_UNSUPPORTED: 400,
  SESSION_SHARE_INVALID: 400,
  SESSION_FRAME_MALFORMED: 400,
  SESSION_DECRYPT_FAILED: 400,
  SESSION_UNKNOWN: 404,
  SESSION_ROUTE_UNKNOWN: 404,
  SESSION_KEY_UNAVAILABLE: 409,
  SESSION_ALGORITHM_UNSUPPORTED: 409,
  SESSION_COUNTER_MISMATCH: 409,
  SESSION_EXHAUSTED: 410,
  SESSION_BODY_TOO_LARGE: 413,
  SESSION_CONTENT_TYPE_UNSUPPORTED: 415,
  SESSION_CAPACITY: 503,
  INTERNAL: 500,
} as const;

/** A refusal code of the fleet server. */
export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** The codes of the server's own setup errors (`startFleetServer`, the CLI). */
export type FleetSetupErrorCode =
  | 'FLEET_OPTION_INVALID'
  | 'FLEET_BUNDLE_INVALID'
  | 'FLEET_KEY_NOT_FOUND'
  | 'FLEET_KEY_NOT_DERIVE'
  | 'FLEET_KEY_NOT_IN_BUNDLE'
  | 'FLEET_KEY_NOT_SESSION'
  | 'FLEET_KEY_MISMATCH'
  | 'FLEET_LISTEN_FAILED';

/** A refusal the server answers with: a code of {@link REFUSAL_STATUS} and a message. */
export class Refusal extends UsageError<RefusalCode> {
  /** The HTTP status of `code`. */
  get status(): number {
    return REFUSAL_STATUS[this.code];
  }
}

/** Throws a {@link Refusal}. */
export function refuse(code: RefusalCode, field: string, reason: string, cause?: unknown): never {
  throw new Refusal(code, `${field}: ${reason}`, { field, cause });
}

/** Throws a setup error (UsageError). */
export function setupError(code: FleetSetupErrorCode, field: string, reason: string, cause?: unknown): never {
  throw new UsageError<FleetSetupErrorCode>(code, `${field}: ${reason}`, { field, cause });
}

function fastifyRefusal(e: unknown): Refusal | undefined {
  if (typeof e !== 'object' || e === null || !('statusCode' in e)) return undefined;
  switch ((e as { statusCode?: unknown }).statusCode) {
    case 413:
      return new Refusal('SESSION_BODY_TOO_LARGE', 'body: larger than this endpoint accepts', {
        field: 'body',
      });
    case 415:
      return new Refusal('SESSION_CONTENT_TYPE_UNSUPPORTED', 'content-type: want application/cbor', {
        field: 'content-type',
      });
    case 400:
      return new Refusal('SESSION_REQUEST_MALFORMED', 'request: not a well-formed HTTP request', {
        field: 'request',
      });
    default:
      return undefined;
  }
}

/** The refusal a thrown value answers as, or undefined for an internal error. */
export function asRefusal(e: unknown): Refusal | undefined {
  if (e instanceof Refusal) return e;
  if (isCeremonyError(e) && e.code in REFUSAL_STATUS && e.code !== 'INTERNAL') {
    return new Refusal(e.code as RefusalCode, e.message, { field: e.field, cause: e });
  }
  return fastifyRefusal(e);
}

/** Sends the JSON reply for a thrown value. */
export function sendError(e: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const r = asRefusal(e);
  reply.header('cache-control', 'no-store').type('application/json');
  if (r === undefined) {
    req.log.error(
      { err: isCeremonyError(e) ? { code: e.code, message: e.message } : { message: String(e) } },
      'internal error',
    );
    return reply.code(500).send(JSON.stringify({ error: 'INTERNAL', message: 'internal error' }));
  }
  if (r.code === 'SESSION_CAPACITY') reply.header('retry-after', '5');
  return reply.code(r.status).send(JSON.stringify({ error: r.code, message: r.message }));
}
