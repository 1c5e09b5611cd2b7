/**
 * `scripts/demo.sh` end to end, as a user runs it on a fresh clone (issue 6, items 6 and 7): it
 * builds, runs the demo into a new directory, and the package it wrote verifies again with the
 * real `fleet-ceremony verify`. Then `fleet-ceremony demo --hsm softhsm`, the demo against a
 * witness server started with `fleet-ceremony witness serve`, and the refusal to reuse a
 * directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSignerKey } from '../../ceremony/tlog/index.js';
import { cliArgv, repoRoot, runCli } from '../support/cli.js';
import { freshClone } from './demo-clone.js';
import { tokenBaseDir } from './softhsm.js';

const dirs: string[] = [];
const temp = (base = tmpdir()) => {
  const d = mkdtempSync(join(base, 'fc-demo-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runScript(
  cwd: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - t0 }));
  });
}

describe('scripts/demo.sh', () => {
  it('on a fresh clone: builds, runs the demo, and the package verifies with fleet-ceremony verify', async () => {
    const clone = freshClone(join(temp(), 'clone'));
    const out = join(temp(), 'out');
    const r = await runScript(clone, ['scripts/demo.sh', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('building (npm run build)');
    expect(r.stderr).toContain('DEMO CEREMONY VERIFIED');
    expect(r.stderr).toContain('REHEARSAL');
    expect(r.stderr).toMatch(/report\s+\S*evidence\/report\.pdf/);
    expect(r.stderr).toMatch(/summary\s+\S*evidence\/SUMMARY\.md/);
    expect(readdirSync(out).sort()).toEqual([
      'ceremony.yaml',
      'evidence',
      'evidence.tar.gz',
      'hsms',
      'participants',
      'trust.json',
      'vendor',
      'witness',
      'work',
    ]);
    for (const pkg of [join(out, 'evidence'), join(out, 'evidence.tar.gz')]) {
      const v = await runCli(['verify', pkg, '--trust', join(out, 'trust.json'), '--json']);
      expect(v.status, v.stderr).toBe(0);
      expect((JSON.parse(v.stdout) as { ok: boolean }).ok).toBe(true);
      expect(v.stderr).toContain('VERIFIED');
    }
    // The same again from the clone's own build: nothing is rebuilt, a new directory is refused.
    const again = await runScript(clone, ['scripts/demo.sh', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).not.toContain('building');
    expect(again.stderr).toContain('[DEMO_DIR_EXISTS]');
    console.log(`scripts/demo.sh on a fresh clone: ${r.ms} ms (build included)`);
  }, 600_000);
});

describe('fleet-ceremony demo', () => {
  it('--hsm softhsm creates its own SoftHSM2 tokens in the directory and verifies', async () => {
    const out = join(temp(tokenBaseDir()), 'out');
    const r = await runCli(['demo', '--out', out, '--hsm', 'softhsm', '--json'], { timeoutMs: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      ok: boolean;
      checks: { passed: number; total: number };
      report: string;
      summary: string;
    };
    expect(j.ok).toBe(true);
    expect(j.checks.passed).toBe(j.checks.total);
    expect(readdirSync(join(out, 'softhsm', 'tokens')).length).toBe(3);
    expect(readFileSync(join(out, 'ceremony.yaml'), 'utf8')).toContain('backend: pkcs11');
    expect(readFileSync(j.report).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(j.summary, 'utf8')).toContain('fleet-rehearsal');
  }, 240_000);

  it('--witness URL: submits to a running witness server instead of a local one', async () => {
    const d = temp();
    const [vendor, data, key] = [join(d, 'vendor'), join(d, 'witness'), join(d, 'operator.key')];
    const op = generateSignerKey('demo-operator');
    writeFileSync(key, op.signerKey + '\n', { mode: 0o600 });
    const ok = async (args: string[]) => {
      const x = await runCli(args);
      expect(x.status, `${args.join(' ')}\n${x.stderr}`).toBe(0);
    };
    await ok(['hsm', 'vendor-init', vendor]);
    await ok(['witness', 'keygen', '--data', data, '--origin', 'witness.test.example/log']);
    await ok([
      'witness',
      'namespace',
      'add',
      'demo.remote',
      '--data',
      data,
      '--profile',
      'rehearsal',
      '--vendor-root',
      join(vendor, 'root.pem'),
      '--operator',
      op.verifierKey,
    ]);
    const server = spawn(
      process.execPath,
      [...cliArgv(), 'witness', 'serve', '--data', data, '--listen', '127.0.0.1:0', '--json'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        server.stdout.setEncoding('utf8').on('data', (s: string) => {
          text += s;
          const m = /"url":\s*"([^"]+)"/.exec(text);
          if (m !== null) resolve(m[1]!);
        });
        server.on('close', () => reject(new Error('the witness server stopped')));
      });
      const out = join(d, 'out');
      const r = await runCli(
        [
          'demo',
          '--out',
          out,
          '--witness',
          url,
          '--operator-key',
          key,
          '--vendor',
          vendor,
          '--namespace',
          'demo.remote',
        ],
        { timeoutMs: 180_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('DEMO CEREMONY VERIFIED');
      expect(readdirSync(out)).not.toContain('witness');
      const audits = (await (await fetch(`${url}/namespaces/demo.remote/audits`)).json()) as {
        epochs: number[];
      };
      expect(audits.epochs).toEqual([1]);
      // The counter-signature was uploaded too, with the operator's request key file.
      const cs = await fetch(`${url}/namespaces/demo.remote/audits/1/countersignature`);
      expect(cs.status).toBe(200);
      expect(((await cs.json()) as { algorithm: string }).algorithm).toBe('ed25519');
    } finally {
      server.kill('SIGTERM');
    }
  }, 300_000);

  it('never reuses a directory, and refuses --operator-key without --witness', async () => {
    const out = temp();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = await runCli(['demo', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[DEMO_DIR_EXISTS]');
    expect(readdirSync(out)).toEqual(['keep.txt']);
    const bad = await runCli(['demo', '--operator-key', 'x.key']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('[DEMO_OPTION_INVALID]');
  });
});
