/**
 * A good submission over real HTTP on loopback: the witness checks the fleet key set and its
 * emulated attestations, signs, logs, and its reply verifies (statement signature under /info's
 * key, tlog-proof under the log key); the epoch is then readable through the read API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexEncode } from '../../ceremony/codec/index.js';
import { parseVerifierKey, verifyTlogProof } from '../../ceremony/tlog/index.js';
import { witnessLogLeaf } from '../../ceremony/bundle/index.js';
import { getJson } from '../../ceremony/witness/client/http-client.js';
import { parseAuditJson, parseInfoJson } from '../../ceremony/witness/client/reply.js';
import { submitFleetKeySet } from '../../ceremony/witness/client/submit.js';
import {
  buildFleetKeySet,
  createFleet,
  createWitnessDir,
  makeOperator,
  startWitness,
  tempDir,
} from '../unit/witness/fixtures.js';
import type { Fleet, RunningWitness } from '../unit/witness/fixtures.js';

describe('witness: a good submission', () => {
  const tmp = tempDir();
  let fleet: Fleet;
  let w: RunningWitness;
  const op = makeOperator('operator-a');
  const ns = 'example.com/fleet';

  beforeAll(async () => {
    fleet = await createFleet(tmp.dir);
    await createWitnessDir(`${tmp.dir}/witness`, {
      namespace: ns,
      operator: op,
      vendorRoot: fleet.vendorRoot,
    });
    w = await startWitness(`${tmp.dir}/witness`);
  });
  afterAll(async () => {
    await w?.close();
    await fleet?.hsm.close();
    tmp.cleanup();
  });

  it('signs epoch 1, and the reply verifies', async () => {
    const f = await buildFleetKeySet(fleet, { namespace: ns, epoch: 1n, previousDigest: null });
    const r = await submitFleetKeySet({
      url: w.url,
      fleetKeySet: f.bytes,
      attestations: f.attestations,
      operator: op.signer,
    });
    expect(r.reply.epoch).toBe(1n);
    expect(r.reply.namespace).toBe(ns);
    expect(hexEncode(r.reply.digest)).toBe(hexEncode(f.digest));
    expect(r.reply.logIndex).toBe(0n);
    expect(r.proof.checkpoint.size).toBe(1n);
    // Independently: the proof verifies with the log key from /info for the logged entry.
    const info = parseInfoJson(await getJson(w.url, '/info'));
    const entry = witnessLogLeaf({
      statement: r.reply.statement,
      signature: r.reply.signature,
      keyId: r.reply.keyId,
    });
    const v = verifyTlogProof(r.reply.tlogProof!, { entry }, [parseVerifierKey(info.logVerifierKey)]);
    expect(v.index).toBe(0n);
    // The audit record reads back identically.
    const audit = parseAuditJson(await getJson(w.url, `/namespaces/${encodeURIComponent(ns)}/audits/1`));
    expect(hexEncode(audit.signature)).toBe(hexEncode(r.reply.signature));
  });

  it('signs epoch 2 chained to epoch 1', async () => {
    const prev = parseAuditJson(await getJson(w.url, `/namespaces/${encodeURIComponent(ns)}/audits/1`));
    const f = await buildFleetKeySet(fleet, { namespace: ns, epoch: 2n, previousDigest: prev.digest });
    const r = await submitFleetKeySet({
      url: w.url,
      fleetKeySet: f.bytes,
      attestations: f.attestations,
      operator: op.signer,
    });
    expect(r.reply.logIndex).toBe(1n);
    expect(r.proof.checkpoint.size).toBe(2n);
  });
});
