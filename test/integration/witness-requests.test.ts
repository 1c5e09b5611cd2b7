/**
 * Refusals of submissions before the policy runs, over real HTTP on loopback: authentication
 * (401), authorisation (403), body size (413), encoding (400, 415) and the per-operator rate limit
 * (429); each changes one thing in a good request, and nothing is signed or logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetKeySetDigest } from '../../ceremony/bundle/index.js';
import { encodeCbor } from '../../ceremony/codec/index.js';
import { encodeSubmission } from '../../ceremony/witness/policy/submission.js';
import {
  buildFleetKeySet,
  createFleet,
  createWitnessDir,
  makeOperator,
  postRaw,
  postSigned,
  startWitness,
  tempDir,
} from '../unit/witness/fixtures.js';
import type { Fleet, RunningWitness } from '../unit/witness/fixtures.js';
import { NS, signPath, startPolicyWitness, submission } from '../unit/witness/policy-fixture.js';
import type { PolicyWitness } from '../unit/witness/policy-fixture.js';

describe('witness request refusals over HTTP', () => {
  let p: PolicyWitness;
  beforeAll(async () => {
    p = await startPolicyWitness();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('unauthenticated (no signature headers): 401 AUTH_MISSING', async () => {
    const f = await p.next();
    await p.refused(
      () => postRaw(p.w.url, signPath(NS), submission(f), { 'content-type': 'application/cbor' }),
      401,
      'AUTH_MISSING',
    );
  });

  it('bad signature (body changed after signing): 401 AUTH_SIGNATURE_INVALID', async () => {
    const f = await p.next();
    const body = submission(f);
    const other = body.slice();
    other[other.length - 1]! ^= 1;
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), body, p.op, { signedBody: other }),
      401,
      'AUTH_SIGNATURE_INVALID',
    );
  });

  it('signature for another path: 401 AUTH_SIGNATURE_INVALID', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f), p.op, { signedPath: signPath('fleet-b') }),
      401,
      'AUTH_SIGNATURE_INVALID',
    );
  });

  it('unknown operator: 401 AUTH_UNKNOWN_OPERATOR', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f), makeOperator('operator-z')),
      401,
      'AUTH_UNKNOWN_OPERATOR',
    );
  });

  it('stale timestamp: 401 AUTH_TIMESTAMP_SKEW', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f), p.op, { now: Date.now() - 600_000 }),
      401,
      'AUTH_TIMESTAMP_SKEW',
    );
  });

  it('a replayed request (same signed headers): 401 AUTH_REPLAY', async () => {
    const f = await p.next({ epoch: 3n });
    const saved: Record<string, string> = {};
    const first = await postSigned(p.w.url, signPath(NS), submission(f), p.op, {
      tweak: (h) => Object.assign(saved, h),
    });
    expect(first.json.error).toBe('EPOCH_SKIPPED');
    await p.refused(() => postRaw(p.w.url, signPath(NS), submission(f), saved), 401, 'AUTH_REPLAY');
  });

  it('operator not registered for the namespace: 403 OPERATOR_NOT_AUTHORIZED', async () => {
    const f = await p.next({ namespace: 'fleet-b', epoch: 1n, previousDigest: null });
    await p.refused(
      () => postSigned(p.w.url, signPath('fleet-b'), submission(f), p.op),
      403,
      'OPERATOR_NOT_AUTHORIZED',
    );
  });

  it('oversized body: 413 BODY_TOO_LARGE', async () => {
    const f = await p.next();
    const big = encodeSubmission({
      epoch: 2n,
      digest: f.digest,
      fleetKeySet: new Uint8Array(70 * 1024),
      attestations: [],
    });
    await p.refused(() => postSigned(p.w.url, signPath(NS), big, p.op), 413, 'BODY_TOO_LARGE');
  });

  it('malformed body (not CBOR): 400 SUBMISSION_MALFORMED', async () => {
    const r = await p.refused(
      () => postSigned(p.w.url, signPath(NS), new TextEncoder().encode('{"epoch":2}'), p.op),
      400,
      'SUBMISSION_MALFORMED',
    );
    expect(r.json.message).toMatch(/CBOR/);
  });

  it('malformed submission (unknown field): 400 SUBMISSION_MALFORMED naming it', async () => {
    const f = await p.next();
    const body = encodeCbor({
      version: 1,
      epoch: 2n,
      digest: f.digest,
      fleetKeySet: f.bytes,
      attestations: [],
      extra: 1,
    });
    const r = await p.refused(
      () => postSigned(p.w.url, signPath(NS), body, p.op),
      400,
      'SUBMISSION_MALFORMED',
    );
    expect(r.json.field).toBe('submission.extra');
  });

  it('digest not 32 bytes: 400 DIGEST_INVALID', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f, { digest: f.digest.slice(0, 31) }), p.op),
      400,
      'DIGEST_INVALID',
    );
  });

  it('digest not of the submitted fleet key set: 400 DIGEST_MISMATCH', async () => {
    const f = await p.next();
    const d = f.digest.slice();
    d[0]! ^= 1;
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f, { digest: d }), p.op),
      400,
      'DIGEST_MISMATCH',
    );
  });

  it('fleet key set that does not parse: 400 FLEET_KEY_SET_MALFORMED', async () => {
    const f = await p.next();
    const bytes = encodeCbor({ not: 'a fleet key set' });
    await p.refused(
      () =>
        postSigned(
          p.w.url,
          signPath(NS),
          submission(f, { fleetKeySet: bytes, digest: fleetKeySetDigest(bytes) }),
          p.op,
        ),
      400,
      'FLEET_KEY_SET_MALFORMED',
    );
  });

  it('wrong content type: 415 CONTENT_TYPE_UNSUPPORTED', async () => {
    const f = await p.next();
    await p.refused(
      () =>
        postSigned(p.w.url, signPath(NS), submission(f), p.op, {
          tweak: (h) => (h['content-type'] = 'application/json'),
        }),
      415,
      'CONTENT_TYPE_UNSUPPORTED',
    );
  });
});

describe('witness rate limit', () => {
  const tmp = tempDir();
  const op = makeOperator('operator-a');
  let fleet: Fleet;
  let w: RunningWitness;

  beforeAll(async () => {
    fleet = await createFleet(tmp.dir);
    await createWitnessDir(`${tmp.dir}/witness`, {
      namespace: NS,
      operator: op,
      vendorRoot: fleet.vendorRoot,
      limits: { burst: 3, requestsPerMinute: 1 },
    });
    w = await startWitness(`${tmp.dir}/witness`);
  });
  afterAll(async () => {
    await w?.close();
    await fleet?.hsm.close();
    tmp.cleanup();
  });

  it('refuses the request over the burst with 429 RATE_LIMITED and Retry-After', async () => {
    const f = await buildFleetKeySet(fleet, { namespace: NS, epoch: 7n, previousDigest: null });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await postSigned(w.url, signPath(NS), submission(f), op)).json.error);
    expect(codes).toEqual(['EPOCH_SKIPPED', 'EPOCH_SKIPPED', 'EPOCH_SKIPPED']);
    const r = await postSigned(w.url, signPath(NS), submission(f), op);
    expect(r.status).toBe(429);
    expect(r.json.error).toBe('RATE_LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
