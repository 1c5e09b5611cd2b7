/**
 * Step kinds at work: HSMs opened on demand for a step; a ceremony continued from its transcript
 * (the engine half of `resume`), where unfinished steps run again and see what their earlier
 * attempt recorded, finished steps and sign-offs are not redone, another script is refused; and
 * kinds return only the outputs they declare.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulatedVendor, enrollEmulatedDevice, openEmulatedHsm } from '../../../ceremony/hsm/index.js';
import { unattendedCollector } from '../../../ceremony/runner/collectors.js';
import { continueCeremony, runCeremony } from '../../../ceremony/runner/engine.js';
import { createStepRegistry } from '../../../ceremony/runner/registry.js';
import type { StepKind } from '../../../ceremony/runner/step-kind.js';
import { builtinStepKinds } from '../../../ceremony/runner/steps/index.js';
import { TranscriptWriter } from '../../../ceremony/runner/transcript/writer.js';
import { verifyTranscript } from '../../../ceremony/transcript/verify.js';
import { options, pinned, recordsOf, transcriptOf } from './engine-fixture.js';
import { ceremonyDir } from './fixture.js';

describe('HSMs from a step', () => {
  it('opens the script’s HSM once, with the PIN from its variable, and closes it', async () => {
    const c = ceremonyDir();
    const vendorDir = join(c.dir, 'vendor');
    await createEmulatedVendor(vendorDir);
    const pin = 'hsm-pin-for-test';
    await enrollEmulatedDevice({
      vendorDir,
      serial: 'EMU-TEST-1',
      dir: join(c.dir, 'hsms/hsm-1'),
      pin,
      kdf: { log2N: 10, r: 8, p: 1 },
    });
    const seen: string[] = [];
    const probe: StepKind = {
      kind: 'read-aloud',
      summary: 'reads the serial of hsm-1 twice',
      describe: () => [],
      async run(ctx) {
        const a = await ctx.hsm('hsm-1');
        const b = await ctx.hsm('hsm-1');
        expect(a).toBe(b);
        seen.push((await a.info()).serial);
      },
    };
    const registry = createStepRegistry([...builtinStepKinds.filter((k) => k.kind !== 'read-aloud'), probe]);
    await runCeremony(options(c, { registry, environment: { FLEET_TEST_HSM1_PIN: pin } }));
    expect(seen).toEqual(['EMU-TEST-1']);
    // Closed by the engine: the device's lock is free again.
    const again = await openEmulatedHsm({ dir: join(c.dir, 'hsms/hsm-1'), pin });
    await again.close();
    const d = ceremonyDir();
    await expect(runCeremony(options(d, { registry, environment: {} }))).rejects.toMatchObject({
      code: 'RUNNER_PIN_REQUIRED',
      message: expect.stringContaining('FLEET_TEST_HSM1_PIN'),
    });
  });
});

describe('continueCeremony', () => {
  it('continues an interrupted ceremony: unfinished steps run again, finished ones do not', async () => {
    const runs: number[] = [];
    const flaky: StepKind = {
      kind: 'read-aloud',
      summary: 'fails on its first attempt',
      outputs: ['digest'],
      describe: () => [],
      async run(ctx) {
        runs.push(ctx.attempt);
        ctx.record('note', { text: `attempt ${ctx.attempt}, earlier records ${ctx.earlier.length}` });
        if (ctx.attempt === 1) throw new Error('power cut');
        return { digest: 'e582' };
      },
    };
    const registry = createStepRegistry([...builtinStepKinds.filter((k) => k.kind !== 'read-aloud'), flaky]);
    const c = ceremonyDir();
    await expect(runCeremony(options(c, { registry }))).rejects.toThrow('power cut');
    const { writer, found } = TranscriptWriter.reopen(join(c.dir, 'work', 'transcript.jsonl'));
    expect(found.steps.map((s) => s.status)).toEqual(['done', 'running', 'pending', 'pending']);
    const r = await continueCeremony({ ...options(c, { registry }), writer, found });
    expect(r.sealed).toBe(true);
    expect(runs).toEqual([1, 2]);
    const notes = recordsOf(c)
      .filter((x) => x.kind === 'note')
      .map((x) => x.data['text']);
    expect(notes).toEqual(['attempt 1, earlier records 0', 'attempt 2, earlier records 2']);
    const v = verifyTranscript(transcriptOf(c), { participants: pinned(c) });
    expect(v.resumes).toBe(1);
    expect(v.steps.map((s) => s.attempts)).toEqual([1, 2, 1, 1]);
    expect(recordsOf(c).filter((x) => x.kind === 'environment')).toHaveLength(1);
  });

  it('refuses to continue with another script', async () => {
    const c = ceremonyDir({
      steps:
        '  - id: stop\n    kind: signoff\n    title: Stop\n    signoffs:\n      - role: administrator\n  - id: seal\n    kind: seal\n    title: Seal\n    signoffs:\n      - role: administrator\n',
    });
    await expect(
      runCeremony(options(c, { collector: unattendedCollector({ signers: [] }) })),
    ).rejects.toMatchObject({ code: 'SIGNOFF_QUORUM_NOT_MET' });
    const { writer, found } = TranscriptWriter.reopen(join(c.dir, 'work', 'transcript.jsonl'));
    const other = ceremonyDir();
    await expect(
      continueCeremony({ ...options(other), workdir: join(c.dir, 'work'), writer, found }),
    ).rejects.toMatchObject({
      code: 'TRANSCRIPT_SCRIPT_MISMATCH',
    });
  });

  it('refuses outputs a kind did not declare', async () => {
    const liar: StepKind = {
      kind: 'read-aloud',
      summary: 'x',
      outputs: ['a'],
      describe: () => [],
      run: () => Promise.resolve({ b: 'x' }),
    };
    const registry = createStepRegistry([...builtinStepKinds.filter((k) => k.kind !== 'read-aloud'), liar]);
    await expect(runCeremony(options(ceremonyDir(), { registry }))).rejects.toMatchObject({
      code: 'RUNNER_STEP_OUTPUT',
    });
  });
});
