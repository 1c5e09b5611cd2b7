/**
 * docs/evidence.md states what the code does: its coverage, checks and codes tables are the code's
 * own, every EVIDENCE_* code the verifier and the writer can throw is documented, and the build
 * command of the single-file verifier is the one package.json runs (once the script is added).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksMarkdown, codesMarkdown, coverageMarkdown } from '../../../ceremony/verify/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const doc = readFileSync(join(root, 'docs', 'evidence.md'), 'utf8');
const BUILD =
  'esbuild ceremony/evidence/standalone.ts --bundle --platform=node --format=esm --target=node20 --legal-comments=none --outfile=dist/fleet-verify.mjs';

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [readFileSync(join(root, dir, e.name), 'utf8')]
        : [],
  );
}

describe('docs/evidence.md', () => {
  it('carries the generated coverage, checks and codes tables', () => {
    expect(doc).toContain(coverageMarkdown());
    expect(doc).toContain(checksMarkdown());
    expect(doc).toContain(codesMarkdown());
  });

  it('documents every EVIDENCE_* code the code can produce', () => {
    const codes = new Set(
      sources('ceremony/verify')
        .concat(sources('ceremony/evidence'))
        .flatMap((s) => [...s.matchAll(/'(EVIDENCE_[A-Z_]+)'/g)].map((m) => m[1]!)),
    );
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter(
      (c) => !doc.includes(c) && !(c.startsWith('EVIDENCE_MANIFEST') && doc.includes('EVIDENCE_MANIFEST_*')),
    );
    expect(missing).toEqual([]);
  });

  it('gives the build command of the single-file verifier, as package.json runs it when present', () => {
    expect(doc).toContain(BUILD);
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    if (scripts['build:verifier'] !== undefined) expect(scripts['build:verifier']).toBe(BUILD);
  });
});
