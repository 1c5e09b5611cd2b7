/**
 * The audit log over HTTP (docs/witness.md, "Log"): C2SP tlog-tiles (`/checkpoint`,
 * `/tile/<L>/<N>[.p/<W>]`, `/tile/entries/<N>[.p/<W>]`), checkpoints by size, and RFC 9162
 * inclusion and consistency proofs (JSON, base64 hashes) plus C2SP tlog-proofs.
 */
import type { FastifyInstance } from 'fastify';
import { base64Encode } from '../../codec/index.js';
import { refuse } from '../codes.js';
import type { WitnessContext } from '../context.js';
import { CACHE, decimalParam, params, sendBody, sendJson } from './http.js';

const TEXT = 'text/plain; charset=utf-8';

function latestSize(ctx: WitnessContext): bigint {
  return ctx.log.latestCheckpoint()?.size ?? 0n;
}

/** Registers the log routes. */
export function registerLogRoutes(app: FastifyInstance, ctx: WitnessContext): void {
  app.get('/checkpoint', async (_req, reply) => {
    const cp = ctx.log.latestCheckpoint();
    return sendBody(reply, cp?.note ?? (await ctx.checkpoint()), TEXT, CACHE.short);
  });

  app.get('/tile/*', async (req, reply) => {
    const path = `tile/${params(req)['*'] ?? ''}`;
    const bytes = ctx.log.readResource(path);
    return sendBody(
      reply,
      bytes,
      'application/octet-stream',
      path.includes('.p/') ? CACHE.short : CACHE.immutable,
    );
  });

  app.get('/checkpoints/:size', async (req, reply) => {
    const size = decimalParam(params(req)['size'], 'size');
    const cp = size <= ctx.log.size() ? ctx.log.checkpointAt(size) : undefined;
    if (cp === undefined) refuse('RESOURCE_UNKNOWN', 'size', `no checkpoint was published for size ${size}`);
    return sendBody(reply, cp.note, TEXT, CACHE.immutable);
  });

  app.get('/proofs/inclusion/:index', async (req, reply) => {
    const index = decimalParam(params(req)['index'], 'index');
    const q = req.query as Record<string, string | undefined>;
    const size = q['size'] === undefined ? latestSize(ctx) : decimalParam(q['size'], 'size');
    const hashes = ctx.log.inclusionProof(index, size).map((h) => base64Encode(h));
    return sendJson(reply, { index: Number(index), size: Number(size), hashes }, CACHE.immutable);
  });

  app.get('/proofs/consistency/:from/:to', async (req, reply) => {
    const p = params(req);
    const from = decimalParam(p['from'], 'from');
    const to = decimalParam(p['to'], 'to');
    const hashes = ctx.log.consistencyProof(from, to).map((h) => base64Encode(h));
    return sendJson(reply, { from: Number(from), to: Number(to), hashes }, CACHE.immutable);
  });

  app.get('/proofs/tlog/:index', async (req, reply) => {
    const index = decimalParam(params(req)['index'], 'index');
    if (index >= ctx.log.size()) refuse('RESOURCE_UNKNOWN', 'index', `the log has ${ctx.log.size()} entries`);
    return sendBody(reply, await ctx.tlogProof(index), TEXT, CACHE.short);
  });
}
