/**
 * The witness the HTTP policy suites run against: namespace `fleet-a` (operator-a, epoch 1
 * signed), `fleet-b` (operator-b only), `fleet-prod` (production profile), `fleet-rooted`
 * (registered root 5/0707…), `fleet-off` (offline); a 64 KiB body limit. `refused` sends a
 * request and checks its status and code, and that the log did not grow.
 */
import { expect } from 'vitest';
import { addNamespace, parseOperatorSpec } from '../../../ceremony/witness/config/namespaces.js';
import type { NamespaceConfig } from '../../../ceremony/witness/config/types.js';
import { encodeSubmission } from '../../../ceremony/witness/policy/submission.js';
import type { Submission } from '../../../ceremony/witness/policy/submission.js';
import {
  buildFleetKeySet,
  createFleet,
  createWitnessDir,
  makeOperator,
  postSigned,
  startWitness,
  tempDir,
} from './fixtures.js';
import type { BuiltFleetKeySet, Fleet, RawReply, RunningWitness, TestOperator } from './fixtures.js';

/** The main namespace. */
export const NS = 'fleet-a';

/** The submission path of a namespace. */
export const signPath = (ns: string) => `/namespaces/${encodeURIComponent(ns)}/sign`;

/** The submission body of a built fleet key set, with fields overridden. */
export const submission = (f: BuiltFleetKeySet, over: Partial<Submission> = {}): Uint8Array =>
  encodeSubmission({
    epoch: f.ks.epoch,
    digest: f.digest,
    fleetKeySet: f.bytes,
    attestations: f.attestations,
    ...over,
  });

/** The running policy witness. */
export interface PolicyWitness {
  w: RunningWitness;
  fleet: Fleet;
  op: TestOperator;
  stranger: TestOperator;
  epoch1: BuiltFleetKeySet;
  dir: string;
  /** A good epoch-2 fleet key set for `fleet-a`, with options overridden. */
  next(over?: Partial<Parameters<typeof buildFleetKeySet>[1]>): Promise<BuiltFleetKeySet>;
  refused(send: () => Promise<RawReply>, status: number, code: string): Promise<RawReply>;
  close(): Promise<void>;
}

/** Starts the policy witness and signs epoch 1 of `fleet-a`. */
export async function startPolicyWitness(): Promise<PolicyWitness> {
  const tmp = tempDir();
  const dir = `${tmp.dir}/witness`;
  const op = makeOperator('operator-a');
  const stranger = makeOperator('operator-b');
  const fleet = await createFleet(tmp.dir);
  await createWitnessDir(dir, {
    namespace: NS,
    operator: op,
    vendorRoot: fleet.vendorRoot,
    limits: { maxBodyBytes: 64 * 1024, burst: 1000 },
  });
  const ns = (name: string, o: Partial<NamespaceConfig>, who = op) =>
    addNamespace(dir, {
      name,
      root: 'genesis',
      profile: 'rehearsal',
      online: true,
      vendorRoots: [fleet.vendorRoot],
      ...o,
      operators: [parseOperatorSpec(who.verifierKey)],
    });
  ns('fleet-b', {}, stranger);
  ns('fleet-prod', { profile: 'production' });
  ns('fleet-rooted', { root: { epoch: 5n, digest: new Uint8Array(32).fill(7) } });
  ns('fleet-off', { online: false });
  const w = await startWitness(dir);
  const epoch1 = await buildFleetKeySet(fleet, { namespace: NS, epoch: 1n, previousDigest: null });
  const r = await postSigned(w.url, signPath(NS), submission(epoch1), op);
  expect(r.status, r.text).toBe(200);
  return {
    w,
    fleet,
    op,
    stranger,
    epoch1,
    dir,
    next: (over = {}) =>
      buildFleetKeySet(fleet, { namespace: NS, epoch: 2n, previousDigest: epoch1.digest, ...over }),
    async refused(send, status, code) {
      const before = w.witness.log.size();
      const reply = await send();
      expect({ status: reply.status, error: reply.json.error }, reply.text).toEqual({ status, error: code });
      expect(w.witness.log.size()).toBe(before);
      return reply;
    },
    async close() {
      await w.close();
      await fleet.hsm.close();
      tmp.cleanup();
    },
  };
}
