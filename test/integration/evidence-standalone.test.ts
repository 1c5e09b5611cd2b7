/**
 * The single-file verifier and the verifier without a network. `npm run build:verifier`'s exact
 * esbuild command builds fleet-verify.mjs into a temporary directory; copied alone into an empty
 * directory (no node_modules) it runs with bare `node`: it verifies a good package (directory and
 * .tar.gz), refuses tampered ones, and keeps the exit codes. It imports only Node built-ins and
 * no network module. Then, under `unshare -n` (no network at all), the standalone verifier, the
 * CLI and the verifier's unit suite still pass.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packTarGz } from '../../ceremony/evidence/index.js';
import { testPackage } from '../unit/evidence/fixture/package.js';
import type { TestPackage } from '../unit/evidence/fixture/package.js';
import { cli } from '../unit/evidence/fixture/cli.js';
import { VENDOR_SAMPLES } from '../unit/evidence/fixture/vendor-fleet.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The arguments of `npm run build:verifier` (see docs/evidence.md), with the output redirected. */
const BUILD = [
  'ceremony/evidence/standalone.ts',
  '--bundle',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--legal-comments=none',
];

let p: TestPackage;
/** A production package of real vendor attestations (YubiKey PIV, YubiHSM 2, Marvell, Crypto4A, nShield). */
let vendor: TestPackage;
let dir: string;
let verifier: string;
let tampered: string;
let tgz: string;
beforeAll(async () => {
  p = await testPackage();
  vendor = await testPackage({ vendorSamples: VENDOR_SAMPLES });
  dir = mkdtempSync(join(tmpdir(), 'fc-standalone-'));
  execFileSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    [
      ...BUILD,
      `--outfile=${join(dir, 'build', 'fleet-verify.mjs')}`,
      `--metafile=${join(dir, 'meta.json')}`,
      '--log-level=warning',
    ],
    { cwd: root },
  );
  mkdirSync(join(dir, 'alone'));
  verifier = join(dir, 'alone', 'fleet-verify.mjs');
  copyFileSync(join(dir, 'build', 'fleet-verify.mjs'), verifier);
  tampered = join(dir, 'tampered');
  cpSync(p.dir, tampered, { recursive: true });
  const f = join(tampered, 'attestations', 'hsm-2', 'keys', 'fleet-session-2.statement');
  const b = readFileSync(f);
  b[40] = b[40]! ^ 0x10;
  writeFileSync(f, b);
  tgz = join(dir, 'package.tar.gz');
  packTarGz(p.dir, tgz);
});
afterAll(async () => {
  await p?.cleanup();
  await vendor?.cleanup();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[], wrap: string[] = []) => {
  const argv = [...wrap, process.execPath, verifier, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: join(dir, 'alone'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('the single-file verifier', () => {
  it('bundles nothing but our code and its pure dependencies, and imports only Node built-ins, none for the network', () => {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);
    for (const heavy of [
      'pdf-lib',
      'qrcode',
      'yargs',
      'fastify',
      'better-sqlite3',
      'pkcs11js',
      '/cli/',
      '/hsm/',
      '/witness/',
    ])
      expect(
        inputs.filter((i) => i.includes(heavy)),
        heavy,
      ).toEqual([]);
    const code = readFileSync(verifier, 'utf8');
    const specifiers = [
      ...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g),
    ].map((m) => m[1]!);
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(specifiers.filter((s) => !builtins.has(s))).toEqual([]);
    for (const net of ['net', 'http', 'https', 'http2', 'dns', 'dgram', 'tls'])
      expect(specifiers.filter((s) => s === net || s === `node:${net}`)).toEqual([]);
  });

  it('runs with bare node: verifies the package, refuses a tampered one, keeps the exit codes', () => {
    const t = ['--trust', p.trustFile];
    const good = run([p.dir, ...t]);
    expect(good.stderr).toMatch(/^VERIFIED: /);
    expect(good.status).toBe(0);
    const fromTgz = run([tgz, ...t, '--json']);
    expect(fromTgz.status).toBe(0);
    expect(JSON.parse(fromTgz.stdout)).toMatchObject({
      ok: true,
      subject: { evidenceSha256: p.written.evidenceSha256 },
    });
    const bad = run([tampered, ...t]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('attestations/hsm-2/keys/fleet-session-2.statement: SHA-256');
    const prod = run([p.dir, ...t, '--profile', 'production', '--json']);
    expect(prod.status).toBe(1);
    expect(
      (JSON.parse(prod.stdout) as { checks: { code?: string }[] }).checks
        .filter((c) => c.code !== undefined)
        .map((c) => c.code),
    ).toEqual(['ATTEST_LEVEL_REFUSED', 'ATTEST_LEVEL_REFUSED', 'ATTEST_LEVEL_REFUSED']);
    expect(run([p.dir, ...t, '--last-seen-epoch', '3', '--last-seen-digest', 'ab'.repeat(32)]).status).toBe(
      1,
    );
    // Real vendor attestations, production profile: every format's verifier is in the single file.
    const v = run([vendor.dir, '--trust', vendor.trustFile, '--profile', 'production', '--json']);
    expect(v.status).toBe(0);
    const checks = (JSON.parse(v.stdout) as { checks: { id: string; ok: boolean }[] }).checks;
    expect(checks.filter((c) => c.id.startsWith('attestation:') && c.ok)).toHaveLength(VENDOR_SAMPLES.length);
    expect(run(['--help']).status).toBe(0);
    expect(run([p.dir]).status).toBe(2);
    expect(run([p.dir, ...t, '--bogus']).status).toBe(2);
    expect(run([join(dir, 'missing'), ...t]).status).toBe(2);
  });
});

describe('without a network (unshare -n)', () => {
  const probe = spawnSync('unshare', ['-n', 'true']);
  const can = probe.status === 0;
  const skipped = can
    ? ''
    : ` (SKIPPED: unshare -n is not permitted here, ${probe.error?.message ?? probe.stderr?.toString().trim()}; run as root or with user namespaces)`;

  it.skipIf(!can)(`the single-file verifier and the CLI verify and refuse as usual${skipped}`, async () => {
    const t = ['--trust', p.trustFile];
    expect(run([p.dir, ...t], ['unshare', '-n']).status).toBe(0);
    expect(run([tgz, ...t], ['unshare', '-n']).status).toBe(0);
    expect(run([tampered, ...t], ['unshare', '-n']).status).toBe(1);
    expect(run([vendor.dir, '--trust', vendor.trustFile], ['unshare', '-n']).status).toBe(0);
    const [good, bad] = await Promise.all([
      cli(['verify', p.dir, ...t], ['unshare', '-n']),
      cli(['verify', tampered, ...t], ['unshare', '-n']),
    ]);
    expect(good.status).toBe(0);
    expect(bad.status).toBe(1);
  });

  it.skipIf(!can)(
    `the verifier's unit suite passes${skipped}`,
    () => {
      const r = spawnSync(
        'unshare',
        [
          '-n',
          process.execPath,
          join(root, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          'test/unit/verify/verify-evidence.test.ts',
          'test/unit/verify/formats.test.ts',
        ],
        { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } },
      );
      // eslint-disable-next-line no-control-regex
      const out = (r.stdout + r.stderr).replace(/\u001b\[[0-9;]*m/g, '');
      expect(out).toMatch(/Tests\s+(\d+) passed \(\1\)/);
      expect(r.status).toBe(0);
    },
    120_000,
  );
});
