/**
 * The previous epoch of a rotation is checked by `generate-keys` before its first key, recorded,
 * and reused: a refused `previous` makes no key; a later attempt reuses the recorded check instead
 * of checking again; `assemble-key-set` chains to the digest `generate-keys` returned, keeps a
 * saved set only if it chains to it, and checks the previous epoch itself only when no
 * `generate-keys` step gave it one. On emulated HSMs, the script made a rotation by hand (a
 * package that verifies is made in test/integration/runner-rotation.test.ts).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFleetKeySet } from '../../../../ceremony/bundle/index.js';
import { hexEncode } from '../../../../ceremony/codec/index.js';
import { ARTIFACTS, generateKeys } from '../../../../ceremony/runner/steps/ceremony/index.js';
import { notes, stepsFixture } from './fixture.js';
import type { StepsFixture } from './fixture.js';

let fx: StepsFixture;
beforeEach(async () => {
  fx = await stepsFixture();
  await fx.run('verify-hsms');
});
afterEach(() => fx.close());

const RECORDED = 'cd'.repeat(32);

/** Makes the fixture's script an epoch-2 rotation whose `previous` names an empty directory: it never verifies. */
function rotationWithBadPrevious(): void {
  mkdirSync(join(fx.dir, 'not-a-package'));
  const s = fx.loaded.script;
  s.ceremony.epoch = 2;
  s.previous = { evidence: 'not-a-package' };
}

/** Every key pair in the fixture's HSMs, as `hsm/label/public key`. */
async function hsmKeys(): Promise<string[]> {
  const all: string[] = [];
  for (const h of fx.loaded.script.hsms)
    for (const k of await (await fx.hsm(h.id)).listKeys())
      all.push(`${h.id}/${k.label}/${hexEncode(k.publicKey)}`);
  return all.sort();
}

/** A `previous-epoch` note of the generate step, as an earlier attempt would have recorded it. */
function recordEarlierCheck(keySetSha256: string): void {
  fx.records.push({
    seq: fx.records.length,
    time: new Date().toISOString(),
    kind: 'note',
    step: 'generate',
    data: { event: 'previous-epoch', evidence: 'not-a-package', epoch: 1, keySetSha256 },
    prev: '',
    line: fx.records.length + 1,
    hash: 'ee'.repeat(32),
  });
}

const fleetKeySet = () => decodeFleetKeySet(readFileSync(join(fx.workdir, ARTIFACTS.fleetKeySet)));

describe('generate-keys in a rotation', () => {
  it('refuses a previous epoch that does not verify before it makes any key', async () => {
    rotationWithBadPrevious();
    const before = await hsmKeys();
    expect(before.map((k) => k.split('/').slice(0, 2).join('/'))).toEqual(['hsm-1/operator-countersign']);
    await expect(fx.run('generate')).rejects.toMatchObject({
      code: 'CEREMONY_PREVIOUS_EVIDENCE_INVALID',
      field: 'previous.evidence',
    });
    expect(await hsmKeys()).toEqual(before);
    expect(notes(fx, 'key-generating')).toEqual([]);
    expect(notes(fx, 'previous-epoch')).toEqual([]);
  });

  it("reuses an earlier attempt's recorded check and returns it as previousDigest", async () => {
    rotationWithBadPrevious();
    recordEarlierCheck(RECORDED);
    // The package would not verify: the step succeeds only because it does not check it again.
    const out = await fx.run('generate', { attempt: 2 });
    expect(out).toEqual({ keys: 4, generated: 3, found: 1, previousDigest: RECORDED });
    expect(notes(fx, 'previous-epoch')).toHaveLength(1);
  });

  it('returns no previousDigest outside a rotation, and says so in its plan only for a rotation', async () => {
    const step = fx.loaded.script.steps.find((s) => s.id === 'generate')!;
    expect(generateKeys.describe(step, fx.loaded.script).join('\n')).not.toContain('previous epoch');
    expect(await fx.run('generate')).toEqual({ keys: 4, generated: 3, found: 1 });
    rotationWithBadPrevious();
    expect(generateKeys.describe(step, fx.loaded.script)[0]).toContain(
      "Before any key: verify the previous epoch's evidence (not-a-package)",
    );
  });
});

describe('assemble-key-set in a rotation', () => {
  it('chains to the digest generate-keys recorded, without checking again; a saved set chained elsewhere is stale', async () => {
    rotationWithBadPrevious();
    recordEarlierCheck(RECORDED);
    await fx.run('generate', { attempt: 2 });
    await fx.run('attest');
    await fx.run('assemble');
    expect(hexEncode(fleetKeySet().previousDigest!)).toBe(RECORDED);
    expect(notes(fx, 'fleet-key-set')[0]).toMatchObject({ previousDigest: RECORDED, reused: false });
    expect(fx.records.filter((r) => r.step === 'assemble' && r.data['event'] === 'previous-epoch')).toEqual(
      [],
    );
    // Another previous digest in force than the one the saved set chains to.
    fx.outputs.get('generate')!['previousDigest'] = 'ab'.repeat(32);
    await expect(fx.run('assemble', { attempt: 2 })).rejects.toMatchObject({
      code: 'CEREMONY_KEY_SET_STALE',
    });
  });

  it('checks the previous epoch itself when no generate-keys step returned a digest', async () => {
    await fx.run('generate');
    await fx.run('attest');
    rotationWithBadPrevious();
    await expect(fx.run('assemble')).rejects.toMatchObject({
      code: 'CEREMONY_PREVIOUS_EVIDENCE_INVALID',
    });
  });
});
