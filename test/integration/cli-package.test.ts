/**
 * The package as a user installs it: `bin` maps `fleet-ceremony` to the built CLI, and
 * `npx fleet-ceremony --help` / `--version` work from another project that depends on it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('installed package', () => {
  let project: string;

  beforeAll(() => {
    if (!existsSync(join(root, pkg.bin['fleet-ceremony']!))) {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    }
    // A consumer project with fleet-ceremony in node_modules, as `npm install` lays it out.
    project = mkdtempSync(join(tmpdir(), 'fc-consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(root, join(project, 'node_modules', 'fleet-ceremony'), 'dir');
    symlinkSync(
      join('..', 'fleet-ceremony', pkg.bin['fleet-ceremony']!),
      join(project, 'node_modules', '.bin', 'fleet-ceremony'),
    );
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const npx = (...args: string[]) =>
    spawnSync('npx', ['--no-install', 'fleet-ceremony', ...args], { cwd: project, encoding: 'utf8' });

  it('--version prints the package version', () => {
    const r = npx('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists the commands and exits 0', () => {
    const r = npx('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('fleet-ceremony <command>');
  });

  it('an unknown command is bad usage (exit 2)', () => {
    const r = npx('no-such-command');
    expect(r.status).toBe(2);
  });

  it('the library imports from the package root', async () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import * as m from 'fleet-ceremony'; console.log(Object.keys(m).sort().join(','))",
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    for (const name of [
      'hashLeaf',
      'hashChildren',
      'verifyInclusion',
      'verifyConsistency',
      'parseVerifierKey',
      'openNote',
      'signNote',
      'parseCheckpoint',
      'encodeSignatureMessage',
      'verifyWitnessStatement',
    ]) {
      expect(r.stdout.trim().split(',')).toContain(name);
    }
  });
});
