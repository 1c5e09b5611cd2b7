/**
 * DESIGN §3 dependency direction, enforced over the import graph:
 * codec, crypto → tlog, statement, attest → bundle → verify → io (node-side durable files);
 * hsm, witness, runner, evidence, cli on top.
 * And portable code (what a browser or a mobile client runs) imports no node: built-in, directly or
 * through anything it imports: esbuild must bundle it for the browser platform.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const src = join(root, 'ceremony');

/** Lower layers may be imported by higher ones, never the reverse. Same layer: only as listed. */
const layer: Record<string, number> = {
  'errors.ts': 0,
  'index.ts': 99,
  codec: 1,
  crypto: 2,
  tlog: 3,
  statement: 3,
  attest: 3,
  transcript: 3,
  bundle: 4,
  verify: 5,
  io: 5.5,
  hsm: 6,
  witness: 7,
  fleet: 7,
  evidence: 8,
  runner: 9,
  demo: 10,
  cli: 11,
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function topOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel[0]!;
}

const importRe = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g;

describe('architecture', () => {
  const files = walk(src);

  it('imports only point down the layers', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = topOf(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(src)) continue;
        const to = topOf(target.replace(/\.js$/, '.ts'));
        if (to === from) continue;
        const a = layer[from];
        const b = layer[to];
        if (a === undefined || b === undefined) {
          violations.push(`${relative(root, file)}: unknown layer for ${from} or ${to}`);
        } else if (b >= a) {
          violations.push(`${relative(root, file)} (${from}) imports ${spec} (${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  /** Entry points that must bundle for a browser with no node: built-ins. */
  const portableEntries = [
    'codec/index.ts',
    'crypto/index.ts',
    'tlog/index.ts',
    'statement/index.ts',
    'attest/index.ts',
    'bundle/index.ts',
    'verify/index.ts',
    'transcript/index.ts',
  ];

  for (const entry of portableEntries) {
    it(`${entry} bundles for the browser without node: built-ins`, async () => {
      const path = join(src, entry);
      try {
        statSync(path);
      } catch {
        return expect.fail(`${entry} does not exist`);
      }
      const result = await build({
        entryPoints: [path],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        logLevel: 'silent',
        metafile: true,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.filter((i) => i.startsWith('node:') || i.includes('/hsm/') || i.includes('/cli/')),
      ).toEqual([]);
    });
  }
});
