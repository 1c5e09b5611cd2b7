/**
 * The step engine in-process: built-in kinds end to end, sign-off gates, typed confirmations with
 * scripted answers, and refusals before anything is written, with interruptions recorded.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexDecode } from '../../../ceremony/codec/index.js';
import { interactiveCollector, unattendedCollector } from '../../../ceremony/runner/collectors.js';
import { runCeremony } from '../../../ceremony/runner/engine.js';
import { pgpWords } from '../../../ceremony/transcript/pgp-words.js';
import { verifyTranscript } from '../../../ceremony/transcript/verify.js';
import { options, pinned, recordsOf, scripted, transcriptOf } from './engine-fixture.js';
import { ceremonyDir } from './fixture.js';

describe('runCeremony', () => {
  it('runs the built-in kinds unattended and seals a transcript that verifies', async () => {
    const c = ceremonyDir();
    const r = await runCeremony(options(c));
    expect(r).toMatchObject({ sealed: true, workdir: join(c.dir, 'work') });
    expect(r.steps.map((s) => [s.id, s.status, s.signers])).toEqual([
      ['environment', 'done', ['admin', 'int-witness']],
      ['read-script', 'done', []],
      ['approve', 'done', ['co-1', 'co-2']],
      ['seal', 'done', ['admin', 'co-1', 'co-2']],
    ]);
    const v = verifyTranscript(transcriptOf(c), {
      participants: pinned(c),
      scriptSha256: options(c).loaded.sha256,
    });
    expect(v).toMatchObject({ sealed: true, head: r.head, participantsSource: 'pinned' });
    const kinds = recordsOf(c).map((x) => x.kind);
    expect(kinds.filter((k) => k === 'confirmation')).toHaveLength(3);
    expect(recordsOf(c).find((x) => x.kind === 'confirmation')!.data).toEqual({
      about: 'Digest of the tool',
      method: 'assumed',
    });
    expect(kinds.at(-1)).toBe('seal');
    expect(readdirSync(join(c.dir, 'work')).sort()).toEqual(['run.json', 'script.yaml', 'transcript.jsonl']);
    expect(readFileSync(join(c.dir, 'work', 'script.yaml'))).toEqual(readFileSync(c.script));
  });

  it('records the environment and the tool digest as outputs', async () => {
    const c = ceremonyDir();
    await runCeremony(options(c));
    const env = recordsOf(c).find((x) => x.kind === 'environment')!;
    expect(env.step).toBe('environment');
    expect(env.data).toMatchObject({
      node: process.version,
      unattended: true,
      tool: { name: 'fleet-ceremony' },
    });
    expect((env.data['toolDigest'] as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has the operator type the words back when interactive, and records that', async () => {
    const c = ceremonyDir();
    const o = options(c);
    const sha = o.loaded.sha256;
    const words = (hex: string, n: number) => pgpWords(hexDecode(hex)).slice(0, n).join(' ');
    // The tool digest is only known once the step ran: the prompt answers it from the transcript.
    const prompts = scripted([]);
    prompts.text = (q: string) => {
      prompts.asked.push(q);
      const rec = recordsOf(c)
        .filter((x) => x.kind === 'read-aloud')
        .at(-1)!;
      const n = q.includes('Script digest') ? 3 : 4;
      expect(rec.data['hex']).toBe(q.includes('Script digest') ? sha : rec.data['hex']);
      return Promise.resolve(words(rec.data['hex'] as string, n).toUpperCase());
    };
    await runCeremony({ ...o, prompts, flags: { ...o.flags, yes: false } });
    const confirmations = recordsOf(c)
      .filter((x) => x.kind === 'confirmation')
      .map((x) => x.data);
    expect(confirmations).toEqual([
      { about: 'Digest of the tool', method: 'typed', words: 4 },
      { about: 'Script digest', method: 'typed', words: 3 },
      { about: 'Transcript head', method: 'typed', words: 4 },
    ]);
  });

  it('stops after three wrong typed confirmations, and records the interruption', async () => {
    const c = ceremonyDir();
    const o = options(c);
    await expect(
      runCeremony({
        ...o,
        prompts: scripted(['wrong words', 'still wrong', 'no']),
        flags: { ...o.flags, yes: false },
      }),
    ).rejects.toMatchObject({
      code: 'RUNNER_CONFIRMATION_FAILED',
    });
    const last = recordsOf(c).at(-1)!;
    expect(last).toMatchObject({ kind: 'interruption', data: { reason: 'error' } });
    expect(String(last.data['detail'])).toMatch(/^RUNNER_CONFIRMATION_FAILED: /);
    expect(verifyTranscript(transcriptOf(c), { allowUnsealed: true }).interruptions).toHaveLength(1);
  });

  it('refuses a quorum it cannot meet: 2 of 3 required, 1 signer available', async () => {
    const c = ceremonyDir({ officers: 3, threshold: 2 });
    const collector = unattendedCollector({ signers: ['admin', 'int-witness', 'co-1'] });
    await expect(runCeremony(options(c, { collector }))).rejects.toMatchObject({
      code: 'SIGNOFF_QUORUM_NOT_MET',
    });
    const v = verifyTranscript(transcriptOf(c), { allowUnsealed: true });
    expect(v.steps.find((s) => s.id === 'approve')).toMatchObject({ status: 'ended', signers: ['co-1'] });
    expect(v.interruptions).toEqual([expect.objectContaining({ reason: 'error' })]);
  });

  it('refuses a sign-off with the wrong key when the person cannot retry', async () => {
    const c = ceremonyDir();
    const keyFiles = new Map([['co-1', c.keys.get('co-2')!.path]]);
    await expect(
      runCeremony(options(c, { collector: unattendedCollector({ keyFiles }) })),
    ).rejects.toMatchObject({ code: 'SIGNOFF_UNKNOWN_KEY' });
  });

  it('asks who signs when interactive, and lets a refused signer try again', async () => {
    const c = ceremonyDir({
      steps: '  - id: seal\n    kind: seal\n    title: Seal\n    signoffs:\n      - role: crypto-officer\n',
    });
    const prompts = scripted([
      'co-1',
      c.keys.get('co-3')!.path,
      'co-1',
      c.keys.get('co-1')!.path,
      'co-2',
      c.keys.get('co-2')!.path,
    ]);
    const r = await runCeremony({
      ...options(c),
      prompts,
      collector: interactiveCollector({ prompts, openToken: () => Promise.reject(new Error('no token')) }),
    });
    expect(r.steps[0]!.signers).toEqual(['co-1', 'co-2']);
    expect(prompts.asked[0]).toMatch(/Seal.*2 more sign-off\(s\) by a crypto-officer/);
    expect(
      recordsOf(c)
        .filter((x) => x.kind === 'signoff')
        .map((x) => x.data['participant']),
    ).toEqual(['co-1', 'co-2']);
  });

  it('refuses unregistered step kinds before writing anything', async () => {
    const c = ceremonyDir({
      steps:
        '  - id: gen\n    kind: generate-keys\n    title: Generate\n  - id: seal\n    kind: seal\n    title: Seal\n    signoffs:\n      - role: administrator\n',
    });
    await expect(runCeremony(options(c))).rejects.toMatchObject({
      code: 'RUNNER_STEP_KIND_NOT_REGISTERED',
      message: expect.stringContaining('registered: check-environment, read-aloud, seal, signoff'),
    });
    expect(existsSync(join(c.dir, 'work'))).toBe(false);
  });

  it('never reuses a working directory', async () => {
    const c = ceremonyDir();
    await runCeremony(options(c));
    await expect(runCeremony(options(c))).rejects.toMatchObject({ code: 'RUNNER_WORKDIR_IN_USE' });
    const d = ceremonyDir();
    await runCeremony(options(d, { workdir: join(d.dir, 'participants') })).catch((e: unknown) =>
      expect(e).toMatchObject({ code: 'RUNNER_WORKDIR_NOT_EMPTY' }),
    );
    expect(existsSync(join(d.dir, 'participants', 'transcript.jsonl'))).toBe(false);
  });
});
