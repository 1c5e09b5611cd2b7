/**
 * The published sample evidence packages (evidence/<format version>/<sample>/) keep verifying
 * with the current verifier against their committed trust.json (DESIGN §6), as a directory and as
 * the .tar.gz, and through the real `fleet-ceremony verify`; and nothing secret or local is in
 * them: no private key block, no C2SP signer key, no absolute path of the machine that made them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrustFile } from '../../ceremony/bundle/index.js';
import { loadEvidencePackage } from '../../ceremony/evidence/index.js';
import { verifyEvidence } from '../../ceremony/verify/index.js';
import { repoRoot, runCli } from '../support/cli.js';
import { filesUnder } from './secret-scan.js';

const root = join(repoRoot, 'evidence');

/** Every sample: a directory under evidence/v*\/ holding trust.json. */
function samples(): { name: string; dir: string; packages: string[] }[] {
  return readdirSync(root)
    .filter((v) => /^v[0-9]+$/.test(v))
    .flatMap((v) =>
      readdirSync(join(root, v))
        .map((s) => join(root, v, s))
        .filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'trust.json')))
        .map((d) => ({
          name: d.slice(root.length + 1),
          dir: d,
          packages: readdirSync(d)
            .filter((f) => f.endsWith('.tar.gz') || existsSync(join(d, f, 'SHA256SUMS')))
            .map((f) => join(d, f)),
        })),
    );
}

describe('published evidence samples', () => {
  const all = samples();

  it('there is at least one sample of format v1, each with a package directory and its .tar.gz', () => {
    expect(all.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^v1\//)]));
    for (const s of all) {
      expect(
        s.packages.some((p) => p.endsWith('.tar.gz')),
        s.name,
      ).toBe(true);
      expect(
        s.packages.some((p) => !p.endsWith('.tar.gz')),
        s.name,
      ).toBe(true);
    }
  });

  for (const s of all)
    it(`${s.name} verifies with the current verifier and its committed trust.json`, async () => {
      const trust = parseTrustFile(readFileSync(join(s.dir, 'trust.json'), 'utf8'), 'trust.json');
      for (const p of s.packages) {
        const report = await verifyEvidence(loadEvidencePackage(p), trust);
        expect(
          report.checks.filter((c) => !c.ok),
          p,
        ).toEqual([]);
        expect(report.ok).toBe(true);
      }
      const cli = await runCli(['verify', s.packages[0]!, '--trust', join(s.dir, 'trust.json')]);
      expect(cli.status, cli.stderr).toBe(0);
      expect(cli.stderr).toContain('VERIFIED');
    });

  for (const s of all)
    it(`${s.name} holds nothing secret and no local path`, () => {
      const markers = [
        'PRIVATE KEY',
        'PRIVATE+KEY',
        'PIN=',
        '/home/',
        '/root/',
        '/dev/shm',
        repoRoot,
        `${tmpdir()}/`,
      ];
      const found = [...filesUnder(s.dir)].flatMap(([path, bytes]) =>
        markers.filter((m) => bytes.includes(m)).map((m) => `${path}: ${m}`),
      );
      expect(found).toEqual([]);
    });
});
