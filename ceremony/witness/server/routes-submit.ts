/**
 * Authenticated writes (docs/witness.md, "Submitting"): `POST /namespaces/{ns}/sign` and
 * `POST /namespaces/{ns}/audits/{epoch}/countersignature`. Order of checks: body size (413, by
 * fastify), content type (415), request signature (401), rate limit per operator (429), then the
 * namespace and signing policy.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { verifyRequest } from '../auth/verify-request.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import { refuse } from '../codes.js';
import type { WitnessContext } from '../context.js';
import { storeCountersignature } from '../policy/countersignature.js';
import { signSubmission } from '../policy/sign.js';
import { bodyBytes, CACHE, decimalParam, params, sendJson } from './http.js';
import { auditJson, signReplyJson } from './views.js';

/** Content type of submissions and counter-signatures. */
export const CBOR_CONTENT_TYPE = 'application/cbor';

function authenticate(
  ctx: WitnessContext,
  limiter: RateLimiter,
  req: FastifyRequest,
  body: Uint8Array,
): string {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== CBOR_CONTENT_TYPE)
    refuse(
      'CONTENT_TYPE_UNSUPPORTED',
      'content-type',
      `got ${JSON.stringify(type.slice(0, 64))}, want ${CBOR_CONTENT_TYPE}`,
    );
  const config = ctx.config();
  const now = ctx.now();
  const op = verifyRequest(
    { method: req.method, path: req.url, headers: req.headers, body },
    {
      operators: config.operators,
      now,
      clockSkewSeconds: config.limits.clockSkewSeconds,
      useNonce: (id, expires) => ctx.state.useNonce(id, expires, now),
    },
  );
  limiter.take(op.name, now, config.limits.requestsPerMinute, config.limits.burst);
  return op.name;
}

/** Registers the authenticated routes. */
export function registerSubmitRoutes(app: FastifyInstance, ctx: WitnessContext, limiter: RateLimiter): void {
  app.post('/namespaces/:ns/sign', async (req, reply) => {
    const body = bodyBytes(req);
    const operator = authenticate(ctx, limiter, req, body);
    const { record, tlogProof } = await signSubmission(ctx, operator, params(req)['ns'] ?? '', body);
    req.log.info(
      {
        namespace: record.namespace,
        epoch: String(record.epoch),
        operator,
        logIndex: String(record.logIndex),
      },
      'signed',
    );
    return sendJson(reply, signReplyJson(record, tlogProof), CACHE.none);
  });

  app.post('/namespaces/:ns/audits/:epoch/countersignature', async (req, reply) => {
    const body = bodyBytes(req);
    const operator = authenticate(ctx, limiter, req, body);
    const p = params(req);
    const record = storeCountersignature(
      ctx,
      operator,
      p['ns'] ?? '',
      decimalParam(p['epoch'], 'epoch'),
      body,
    );
    return sendJson(reply, auditJson(record), CACHE.none);
  });
}
