/**
 * Small helpers of the witness routes: cache headers, JSON and byte replies, path parameters.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseDecimal } from '../../codec/index.js';
import { refuse } from '../codes.js';

/** Cache-Control values (docs/witness.md, "Caching"). */
export const CACHE = {
  /** Never changes once it exists: a signed epoch, its artifacts, a full tile, a checkpoint by size. */
  immutable: 'public, max-age=31536000, immutable',
  /** Changes as the log grows: the latest checkpoint, partial tiles, proofs against the latest. */
  short: 'public, max-age=5',
  /** Changes on configuration: /info, namespaces. */
  config: 'public, max-age=60',
  /** Replies to writes. */
  none: 'no-store',
} as const;

/** Sends `value` as JSON. */
export function sendJson(reply: FastifyReply, value: unknown, cache: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', cache)
    .type('application/json')
    .send(JSON.stringify(value));
}

/** Sends bytes or text with a content type. */
export function sendBody(
  reply: FastifyReply,
  body: Uint8Array | string,
  type: string,
  cache: string,
): FastifyReply {
  return reply
    .header('cache-control', cache)
    .type(type)
    .send(typeof body === 'string' ? body : Buffer.from(body));
}

/** The request body as bytes (empty when there is none). */
export function bodyBytes(req: FastifyRequest): Uint8Array {
  const b = req.body;
  return b instanceof Uint8Array ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(0);
}

/**
 * A decimal path parameter in 0..2^63−1 (canonical: no sign, no leading zero).
 * @throws WitnessError `REQUEST_MALFORMED`.
 */
export function decimalParam(value: string | undefined, name: string): bigint {
  try {
    return parseDecimal(value ?? '', name);
  } catch {
    refuse(
      'REQUEST_MALFORMED',
      name,
      `got ${JSON.stringify(String(value).slice(0, 40))}, want a canonical decimal`,
    );
  }
}

/** Route parameters as a string record. */
export function params(req: FastifyRequest): Record<string, string | undefined> {
  return req.params as Record<string, string | undefined>;
}
