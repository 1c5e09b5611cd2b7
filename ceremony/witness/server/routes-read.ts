/**
 * The read API (plain GET, cacheable; docs/witness.md, "HTTP API"): `/info`, `/namespaces`,
 * `/namespaces/{ns}`, `/namespaces/{ns}/audits`, `/namespaces/{ns}/audits/{epoch}` and its
 * fleet key set, attestations, current tlog-proof and operator counter-signature.
 */
import type { FastifyInstance } from 'fastify';
import { hexEncode } from '../../codec/index.js';
import { refuse } from '../codes.js';
import type { WitnessContext } from '../context.js';
import type { StatementRecord } from '../state/statements.js';
import { decodeStoredCountersignature } from '../policy/countersignature.js';
import { CACHE, decimalParam, params, sendBody, sendJson } from './http.js';
import { auditJson, infoJson, namespaceJson } from './views.js';

function namespaceOf(ctx: WitnessContext, name: string | undefined) {
  const ns = ctx.config().namespaces.find((n) => n.name === name);
  if (ns === undefined)
    refuse(
      'NAMESPACE_UNKNOWN',
      'namespace',
      `no namespace ${JSON.stringify(String(name).slice(0, 200))} is registered`,
    );
  return ns;
}

function audit(ctx: WitnessContext, p: Record<string, string | undefined>): StatementRecord {
  const ns = namespaceOf(ctx, p['ns']);
  const epoch = decimalParam(p['epoch'], 'epoch');
  const r = ctx.state.statements.byEpoch(ns.name, epoch);
  if (r === undefined || !r.logged)
    refuse('EPOCH_UNKNOWN', 'epoch', `epoch ${epoch} of namespace ${ns.name} is not signed`);
  return r;
}

/** Registers the read routes. */
export function registerReadRoutes(app: FastifyInstance, ctx: WitnessContext): void {
  app.get('/info', async (_req, reply) => sendJson(reply, infoJson(ctx.config()), CACHE.config));

  app.get('/namespaces', async (_req, reply) => {
    const c = ctx.config();
    const list = c.namespaces.map((ns) => namespaceJson(ns, ctx.state.statements.last(ns.name), c.operators));
    return sendJson(reply, { namespaces: list }, CACHE.config);
  });

  app.get('/namespaces/:ns', async (req, reply) => {
    const ns = namespaceOf(ctx, params(req)['ns']);
    return sendJson(
      reply,
      namespaceJson(ns, ctx.state.statements.last(ns.name), ctx.config().operators),
      CACHE.config,
    );
  });

  app.get('/namespaces/:ns/audits', async (req, reply) => {
    const ns = namespaceOf(ctx, params(req)['ns']);
    const epochs = ctx.state.statements.epochs(ns.name).map(Number);
    return sendJson(reply, { namespace: ns.name, epochs }, CACHE.short);
  });

  app.get('/namespaces/:ns/audits/:epoch', async (req, reply) =>
    sendJson(reply, auditJson(audit(ctx, params(req))), CACHE.immutable),
  );

  app.get('/namespaces/:ns/audits/:epoch/fleet-key-set', async (req, reply) =>
    sendBody(reply, audit(ctx, params(req)).fleetKeySet, 'application/cbor', CACHE.immutable),
  );

  app.get('/namespaces/:ns/audits/:epoch/attestations', async (req, reply) =>
    sendBody(reply, audit(ctx, params(req)).attestations, 'application/cbor', CACHE.immutable),
  );

  app.get('/namespaces/:ns/audits/:epoch/proof', async (req, reply) => {
    const r = audit(ctx, params(req));
    return sendBody(reply, await ctx.tlogProof(r.logIndex), 'text/plain; charset=utf-8', CACHE.short);
  });

  app.get('/namespaces/:ns/audits/:epoch/countersignature', async (req, reply) => {
    const r = audit(ctx, params(req));
    if (r.countersignature === undefined) {
      refuse(
        'RESOURCE_UNKNOWN',
        'countersignature',
        `the operator has not sent a counter-signature for ${r.namespace}/${r.epoch}`,
      );
    }
    const c = decodeStoredCountersignature(r.countersignature);
    return sendJson(
      reply,
      {
        algorithm: c.algorithm,
        public_key: hexEncode(c.publicKey),
        key_id: c.keyId,
        signature: hexEncode(c.signature),
      },
      CACHE.immutable,
    );
  });
}
