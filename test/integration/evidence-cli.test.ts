/**
 * `fleet-ceremony verify` as a real child process (node --import tsx ceremony/cli/main.ts): exit 0
 * for a good package (directory and .tar.gz), 1 for refused evidence, 2 for bad usage or
 * unreadable input; --json prints the report on stdout and nothing else; human text on stderr.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packTarGz } from '../../ceremony/evidence/index.js';
import { testPackage } from '../unit/evidence/fixture/package.js';
import type { TestPackage } from '../unit/evidence/fixture/package.js';
import { cli } from '../unit/evidence/fixture/cli.js';

let p: TestPackage;
let tampered: string;
let tgz: string;
beforeAll(async () => {
  p = await testPackage();
  tampered = join(p.base, 'tampered');
  cpSync(p.dir, tampered, { recursive: true });
  writeFileSync(join(tampered, 'witness', 'statement.sig'), new Uint8Array(64));
  mkdirSync(join(p.base, 'tgz'));
  tgz = join(p.base, 'tgz', 'package.tar.gz');
  packTarGz(p.dir, tgz);
  writeFileSync(join(p.base, 'broken.tar.gz'), 'not gzip at all');
});
afterAll(async () => p?.cleanup());

describe('fleet-ceremony verify', () => {
  it('exits 0 for good evidence (directory or .tar.gz), 1 for refused evidence, 2 for bad usage or input', async () => {
    const t = ['--trust', p.trustFile];
    const [good, json, bad, broken] = await Promise.all([
      cli(['verify', p.dir, ...t]),
      cli(['verify', tgz, ...t, '--json', '--profile', 'production']),
      cli(['verify', tampered, ...t]),
      cli(['verify', join(p.base, 'broken.tar.gz'), ...t]),
    ]);
    expect(good.status).toBe(0);
    expect(good.stdout).toBe('');
    expect(good.stderr).toMatch(/^VERIFIED: evidence of fleet-test, epoch 1/);
    expect(good.stderr).toContain('PASS package.signature');

    // The .tar.gz reads as the directory does; production refuses its emulated HSMs.
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      profile: string;
      checks: { ok: boolean; code?: string }[];
      subject: { evidenceSha256: string };
    };
    expect(report).toMatchObject({ ok: false, profile: 'production' });
    expect(report.subject.evidenceSha256).toBe(p.written.evidenceSha256);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.code)).toEqual([
      'ATTEST_LEVEL_REFUSED',
      'ATTEST_LEVEL_REFUSED',
      'ATTEST_LEVEL_REFUSED',
    ]);
    expect(json.stderr).toMatch(/^REJECTED: /);

    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^REJECTED: /);
    expect(bad.stderr).toMatch(
      /FAIL package\.digests[^\n]*\n[^\n]*witness\/statement\.sig: SHA-256 [0-9a-f]{64}, SHA256SUMS lists/,
    );

    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/broken\.tar\.gz: not a gzip file \[EVIDENCE_GZIP_INVALID\]/);
  });

  it('exits 2 without --trust', async () => {
    const r = await cli(['verify', p.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Missing required argument: trust/);
  });
});
