/**
 * The signing policy over real HTTP on loopback: each rule of the policy refused with its status
 * and reason code, each negative case changing one thing in a good request, and nothing signed or
 * logged by a refused request. (Authentication, size and encoding refusals: witness-requests.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateNamespace } from '../../ceremony/witness/config/namespaces.js';
import { postSigned } from '../unit/witness/fixtures.js';
import { NS, signPath, startPolicyWitness, submission } from '../unit/witness/policy-fixture.js';
import type { PolicyWitness } from '../unit/witness/policy-fixture.js';

describe('witness signing policy over HTTP', () => {
  let p: PolicyWitness;
  beforeAll(async () => {
    p = await startPolicyWitness();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('epoch skip: 409 EPOCH_SKIPPED', async () => {
    const f = await p.next({ epoch: 3n });
    await p.refused(() => postSigned(p.w.url, signPath(NS), submission(f), p.op), 409, 'EPOCH_SKIPPED');
  });

  it('replay of a signed epoch with another fleet key set: 409 EPOCH_ALREADY_SIGNED', async () => {
    const f = await p.next({ epoch: 1n, previousDigest: null });
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f), p.op),
      409,
      'EPOCH_ALREADY_SIGNED',
    );
  });

  it('the same fleet key set again (duplicate digest): 409 DIGEST_ALREADY_SIGNED', async () => {
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(p.epoch1), p.op),
      409,
      'DIGEST_ALREADY_SIGNED',
    );
  });

  it('previous digest not the one signed for epoch - 1: 409 PREVIOUS_DIGEST_MISMATCH', async () => {
    const f = await p.next({ previousDigest: new Uint8Array(32).fill(1) });
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f), p.op),
      409,
      'PREVIOUS_DIGEST_MISMATCH',
    );
  });

  it('unknown namespace in the path: 404 NAMESPACE_UNKNOWN', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath('no-such-ns'), submission(f), p.op),
      404,
      'NAMESPACE_UNKNOWN',
    );
  });

  it('fleet key set of another namespace: 400 FLEET_KEY_SET_NAMESPACE_MISMATCH', async () => {
    const f = await p.next({ namespace: 'fleet-other' });
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f), p.op),
      400,
      'FLEET_KEY_SET_NAMESPACE_MISMATCH',
    );
  });

  it('declared epoch differs from the one inside: 400 FLEET_KEY_SET_EPOCH_MISMATCH', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f, { epoch: 3n }), p.op),
      400,
      'FLEET_KEY_SET_EPOCH_MISMATCH',
    );
  });

  it('expired validity window: 422 VALIDITY_INVALID', async () => {
    const f = await p.next({
      change: (ks) => ({
        ...ks,
        validity: { notBefore: Date.now() - 10 * 86_400_000, notAfter: Date.now() - 86_400_000 },
      }),
    });
    await p.refused(() => postSigned(p.w.url, signPath(NS), submission(f), p.op), 422, 'VALIDITY_INVALID');
  });

  it('missing attestation: 400 ATTESTATION_MISSING', async () => {
    const f = await p.next();
    await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f, { attestations: f.attestations.slice(1) }), p.op),
      400,
      'ATTESTATION_MISSING',
    );
  });

  it("attestation that is not the key's (digest differs): 422 ATTESTATION_REFUSED", async () => {
    const f = await p.next();
    const swapped = [
      { ...f.attestations[0]!, keyId: f.attestations[1]!.keyId },
      { ...f.attestations[1]!, keyId: f.attestations[0]!.keyId },
    ];
    const r = await p.refused(
      () => postSigned(p.w.url, signPath(NS), submission(f, { attestations: swapped }), p.op),
      422,
      'ATTESTATION_REFUSED',
    );
    expect(r.json.failures!.map((x) => x.code)).toContain('ATTEST_DIGEST_MISMATCH');
  });

  it('emulated attestations under the production profile: 422 ATTESTATION_REFUSED (ATTEST_LEVEL_REFUSED)', async () => {
    const f = await p.next({ namespace: 'fleet-prod', epoch: 1n, previousDigest: null });
    const r = await p.refused(
      () => postSigned(p.w.url, signPath('fleet-prod'), submission(f), p.op),
      422,
      'ATTESTATION_REFUSED',
    );
    expect(r.json.failures!.map((x) => x.code)).toContain('ATTEST_LEVEL_REFUSED');
  });

  it('first epoch not the registered root: 409 ROOT_MISMATCH', async () => {
    const f = await p.next({
      namespace: 'fleet-rooted',
      epoch: 5n,
      previousDigest: new Uint8Array(32).fill(9),
    });
    await p.refused(
      () => postSigned(p.w.url, signPath('fleet-rooted'), submission(f), p.op),
      409,
      'ROOT_MISMATCH',
    );
  });

  it('offline namespace: 409 NAMESPACE_OFFLINE, and online again after `set`', async () => {
    const f = await p.next({ namespace: 'fleet-off', epoch: 1n, previousDigest: null });
    await p.refused(
      () => postSigned(p.w.url, signPath('fleet-off'), submission(f), p.op),
      409,
      'NAMESPACE_OFFLINE',
    );
    updateNamespace(p.dir, 'fleet-off', { online: true });
    const ok = await postSigned(p.w.url, signPath('fleet-off'), submission(f), p.op);
    expect(ok.status, ok.text).toBe(200);
  });

  it('the good request the negatives were made from is signed', async () => {
    const f = await p.next();
    const r = await postSigned(p.w.url, signPath(NS), submission(f), p.op);
    expect(r.status, r.text).toBe(200);
    expect(r.json['epoch']).toBe(2);
  });
});
