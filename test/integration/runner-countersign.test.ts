/**
 * The counter-signature reaches the witness: the real runner (`fleet-ceremony run`, then
 * `resume`) on the demo's setup with its local witness, killed with SIGKILL after the operator
 * counter-signed and before the upload (`countersign:countersigned`), then after the upload and
 * before the step ended (`countersign:after`), then resumed to the end. The witness, served with
 * the real HTTP server on loopback, then holds exactly the saved counter-signature, the transcript
 * records one upload and one upload found done, and `audit-namespace` verifies the epoch with its
 * counter-signature (it fails with AUDIT_COUNTERSIGNATURE_MISSING before the upload). And
 * `fleet-ceremony demo` leaves a witness that `audit-namespace` verifies in the same way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hexEncode } from '../../ceremony/codec/index.js';
import { verifyTranscript } from '../../ceremony/transcript/index.js';
import { serveWitness } from '../../ceremony/witness/index.js';
import { runCli } from '../support/cli.js';
import { ceremonyCli, ceremonyFixture, transcriptText } from './ceremony-fixture.js';
import type { CeremonyFixture } from './ceremony-fixture.js';

const fixtures: CeremonyFixture[] = [];
const dirs: string[] = [];
afterAll(() => {
  fixtures.forEach((f) => f.cleanup());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

interface Audit {
  ok: boolean;
  namespaces: {
    epochs: { epoch: string; checks: Record<string, string> }[];
    problems: { code: string }[];
  }[];
}

/** Serves the fixture's witness on loopback while `use` runs. */
async function withWitness<T>(f: { dir: string }, use: (url: string) => Promise<T>): Promise<T> {
  const w = await serveWitness({ dir: join(f.dir, 'witness'), listen: '127.0.0.1:0' });
  try {
    return await use(w.url);
  } finally {
    await w.close();
  }
}

async function audit(f: { dir: string; trust: string }): Promise<{ status: number | null; json: Audit }> {
  return withWitness(f, async (url) => {
    const r = await runCli(['audit-namespace', '--log', url, '--trust', f.trust, '--json']);
    return { status: r.status, json: JSON.parse(r.stdout) as Audit };
  });
}

const uploads = (f: CeremonyFixture) =>
  transcriptText(f)
    .split('\n')
    .filter((l) => l.includes('"event":"countersignature-upload"'))
    .map((l) => (JSON.parse(l) as { data: { result: string; path: string } }).data);

describe('countersign uploads the counter-signature to the witness', () => {
  it('killed between signing and upload, and after the upload: resumed, the witness holds it once and audit-namespace verifies', async () => {
    const f = await ceremonyFixture('emulated');
    fixtures.push(f);
    const t0 = Date.now();
    const killed = await ceremonyCli(f, 'run', 'countersign:countersigned');
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const saved = readFileSync(join(f.workdir, 'countersignature.sig'));
    expect(uploads(f)).toEqual([]);
    const before = await audit(f);
    expect(before.status).toBe(1);
    expect(before.json.namespaces[0]!.problems.map((p) => p.code)).toContain(
      'AUDIT_COUNTERSIGNATURE_MISSING',
    );

    const killedAfter = await ceremonyCli(f, 'resume', 'countersign:after');
    expect(killedAfter.signal, killedAfter.stderr).toBe('SIGKILL');
    expect(uploads(f).map((u) => u.result)).toEqual(['uploaded']);

    const done = await ceremonyCli(f, 'resume');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stderr).toContain('holds this counter-signature already');
    expect(uploads(f)).toEqual([
      expect.objectContaining({
        result: 'uploaded',
        path: '/namespaces/example.backup-keys/audits/1/countersignature',
      }),
      expect.objectContaining({ result: 'present' }),
    ]);
    // The one saved before the first kill is the one kept, uploaded and served.
    expect(readFileSync(join(f.workdir, 'countersignature.sig'))).toEqual(saved);
    const held = await withWitness(f, async (url) => {
      const res = await fetch(`${url}/namespaces/example.backup-keys/audits/1/countersignature`);
      return (await res.json()) as { signature: string };
    });
    expect(held.signature).toBe(hexEncode(saved));
    const v = verifyTranscript(transcriptText(f));
    expect(v.sealed).toBe(true);
    expect(v.steps.find((s) => s.id === 'countersign')!.attempts).toBe(3);

    const after = await audit(f);
    expect(after.status, JSON.stringify(after.json)).toBe(0);
    expect(after.json.ok).toBe(true);
    expect(after.json.namespaces[0]!.epochs[0]!.checks['countersignature']).toBe('ok');
    const verified = await runCli(['verify', join(f.dir, 'evidence.tar.gz'), '--trust', f.trust, '--json']);
    expect(verified.status, verified.stderr).toBe(0);
    console.log(`runner-countersign: two kills, three runs and two audits in ${Date.now() - t0} ms`);
  }, 300_000);
});

describe('fleet-ceremony demo', () => {
  it('leaves a local witness whose audit-namespace verifies the counter-signature', async () => {
    const d = mkdtempSync(join(tmpdir(), 'fc-demo-audit-'));
    dirs.push(d);
    const out = join(d, 'out');
    const r = await runCli(['demo', '--out', out], { timeoutMs: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    const a = await audit({ dir: out, trust: join(out, 'trust.json') });
    expect(a.status, JSON.stringify(a.json)).toBe(0);
    expect(a.json.namespaces[0]!.epochs.map((e) => e.checks['countersignature'])).toEqual(['ok']);
  }, 240_000);
});
