/**
 * The kinds that put the ceremony's outputs together, run in order on real pieces (emulated HSMs,
 * the demo's local witness over loopback HTTP, the trust file): the fleet key set names the
 * transcript head at assembly and is kept by a later attempt; the witness's answer is saved, and
 * read back from the witness when an interruption lost it; the validation bundle verifies against
 * the trust file or the ceremony stops; the evidence plan refuses an existing output and later
 * changes to its inputs.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFleetKeySet } from '../../../../ceremony/bundle/index.js';
import { hexEncode } from '../../../../ceremony/codec/index.js';
import { ed25519 } from '../../../../ceremony/crypto/index.js';
import { ARTIFACTS, readPlan } from '../../../../ceremony/runner/steps/ceremony/index.js';
import { checkPlanInputs } from '../../../../ceremony/runner/steps/ceremony/evidence-plan.js';
import { validityOf } from '../../../../ceremony/runner/steps/ceremony/validity.js';
import { notes, stepsFixture } from './fixture.js';
import type { StepsFixture } from './fixture.js';

let fx: StepsFixture;
beforeAll(async () => {
  fx = await stepsFixture();
  for (const id of ['verify-hsms', 'generate', 'attest']) await fx.run(id);
});
afterAll(() => fx.close());

const artifact = (rel: string) => join(fx.workdir, ...rel.split('/'));

describe('from the keys to the evidence plan', () => {
  it('assemble-key-set: the set names the head at assembly; a later attempt keeps the saved set', async () => {
    const out = await fx.run('assemble');
    const ks = decodeFleetKeySet(readFileSync(artifact(ARTIFACTS.fleetKeySet)));
    const start = fx.records.filter((r) => r.step === 'assemble' && r.kind === 'step-start')[0]!;
    expect(hexEncode(ks.transcriptDigest)).toBe(start.hash);
    expect(ks.keys.map((k) => k.keyId)).toEqual(['fleet-session-1', 'fleet-session-2', 'fleet-session-3']);
    expect(ks.hsms.map((h) => [h.serial, h.attestationLevel])).toEqual([
      ['EMU-0001', 'emulated'],
      ['EMU-0002', 'emulated'],
      ['EMU-0003', 'emulated'],
    ]);
    expect(ks.quorum).toEqual({ threshold: 2, total: 3 });
    expect(ks.previousDigest).toBeNull();
    expect(ks.validity.notAfter - ks.validity.notBefore).toBe(365 * 86_400_000);
    expect(out).toMatchObject({ keys: 3, hsms: 3, epoch: 1 });
    expect(await fx.run('assemble', { attempt: 2 })).toEqual(out);
    expect(notes(fx, 'fleet-key-set').map((n) => n['reused'])).toEqual([false, true]);
  });

  it('assemble-key-set: a saved set that names no record of this step is refused as stale', async () => {
    const saved = fx.records.splice(0, fx.records.length);
    try {
      await expect(fx.run('assemble', { attempt: 3 })).rejects.toMatchObject({
        code: 'CEREMONY_KEY_SET_STALE',
      });
    } finally {
      fx.records.splice(0, fx.records.length, ...saved);
    }
  });

  it('witness-submit: signed by the local witness; kept on a later attempt; read back when the answer was lost', async () => {
    const out = await fx.run('witness-submit');
    expect(out).toMatchObject({ logIndex: 0 });
    expect(out['statementSha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(notes(fx, 'witness-statement')[0]).toMatchObject({ source: 'signed', logIndex: 0 });
    expect(await fx.run('witness-submit', { attempt: 2 })).toEqual(out);
    expect(notes(fx, 'witness-statement')[1]).toMatchObject({ source: 'saved' });
    rmSync(artifact(ARTIFACTS.witnessKey));
    expect(await fx.run('witness-submit', { attempt: 3 })).toEqual(out);
    expect(notes(fx, 'witness-statement')[2]).toMatchObject({ source: 'read-back' });
  });

  it('countersign and build-validation-bundle: the bundle verifies against trust.json', async () => {
    const cs = await fx.run('countersign');
    expect(cs['operatorKey']).toMatch(/^[0-9a-f]{64}$/);
    const b = await fx.run('bundle');
    expect(b['bytes']).toBeGreaterThan(500);
    expect(b['bytes']).toBeLessThan(8192);
    expect(await fx.run('bundle', { attempt: 2 })).toEqual(b);
  });

  it('build-validation-bundle: a trust file that does not pin the operator key stops the ceremony', async () => {
    const trust = JSON.parse(readFileSync(join(fx.dir, 'trust.json'), 'utf8')) as {
      operator_keys: { public_key: string }[];
    };
    trust.operator_keys[0]!.public_key = hexEncode(ed25519.generateKeyPair().publicKey);
    writeFileSync(join(fx.dir, 'other-trust.json'), JSON.stringify(trust));
    const step = fx.loaded.script.steps.find((s) => s.id === 'bundle')!;
    step.with = { trust: 'other-trust.json' };
    try {
      await expect(fx.run('bundle', { attempt: 3 })).rejects.toMatchObject({
        code: 'BUNDLE_OPERATOR_KEY_UNKNOWN',
      });
    } finally {
      delete step.with;
    }
  });

  it('build-evidence: records the plan of every input; refuses an existing output; the writer refuses changed inputs', async () => {
    const out = await fx.run('evidence');
    expect(out['dir']).toBe('evidence');
    const plan = readPlan(fx.workdir);
    expect(Object.keys(plan.inputs).sort()).toEqual(
      [
        'attestations/fleet-session-1.json',
        'attestations/fleet-session-2.json',
        'attestations/fleet-session-3.json',
        'bundle.cbor',
        'fleet-key-set.cbor',
        'identity/hsm-1.pem',
        'identity/hsm-2.pem',
        'identity/hsm-3.pem',
        'witness/tlog-proof',
      ].sort(),
    );
    expect(plan.nonce).toBe(fx.outputs.get('attest')!['nonce']);
    expect(notes(fx, 'evidence-plan')[0]).toMatchObject({ sha256: out['planSha256'], dir: 'evidence' });
    checkPlanInputs(fx.workdir, plan);

    mkdirSync(join(fx.dir, 'evidence'));
    writeFileSync(join(fx.dir, 'evidence', 'old.txt'), 'an earlier package');
    await expect(fx.run('evidence', { attempt: 2 })).rejects.toMatchObject({
      code: 'CEREMONY_EVIDENCE_EXISTS',
    });
    rmSync(join(fx.dir, 'evidence'), { recursive: true });

    const proof = artifact(ARTIFACTS.tlogProof);
    const text = readFileSync(proof, 'utf8');
    rmSync(proof);
    writeFileSync(proof, text.replace(/\n$/, '\n\n'));
    expect(() => checkPlanInputs(fx.workdir, plan)).toThrow(
      expect.objectContaining({ code: 'CEREMONY_EVIDENCE_INPUT_CHANGED' }) as Error,
    );
  });
});

describe('validity window', () => {
  const now = new Date('2026-03-01T12:34:56.789Z');
  it('days count from the clock, in whole seconds', () => {
    expect(validityOf({ days: 2 }, now)).toEqual({
      notBefore: Date.parse('2026-03-01T12:34:56Z'),
      notAfter: Date.parse('2026-03-03T12:34:56Z'),
    });
  });
  it('fixed dates are taken as given; an empty window is refused', () => {
    expect(validityOf({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z' }, now)).toEqual({
      notBefore: Date.parse('2026-01-01T00:00:00Z'),
      notAfter: Date.parse('2027-01-01T00:00:00Z'),
    });
    expect(() =>
      validityOf({ notBefore: '2026-01-01T00:00:00Z', notAfter: '2026-01-01T00:00:00Z' }, now),
    ).toThrow(expect.objectContaining({ code: 'CEREMONY_VALIDITY_INVALID' }) as Error);
    expect(() => validityOf({ notAfter: 'tomorrow' }, now)).toThrow(
      expect.objectContaining({
        code: 'CEREMONY_VALIDITY_INVALID',
        field: 'ceremony.validity.notAfter',
      }) as Error,
    );
  });
});
