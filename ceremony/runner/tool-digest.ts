/**
 * The tool's own identity, recorded by `check-environment`: name, version, and a digest of the code
 * that is running, so that an auditor can tell which build ran a ceremony.
 *
 * The digest covers `package.json` and every regular file of the tree the running code comes from
 * (`dist/` for an installed package, `ceremony/` for a source checkout), as a `sha256sum` manifest:
 * one line `<hex>  <path>` per file, paths relative to the package root, sorted bytewise; the
 * digest is SHA-256 of that manifest. Reproduce it from the package root with
 *
 *     (echo package.json; find dist -type f) | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexEncode, utf8Encode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';

/** What a digest covers. */
export interface ToolDigest {
  /** `dist` (built package) or `ceremony` (source checkout). */
  tree: string;
  files: number;
  /** Hex SHA-256 of the manifest. */
  sha256: string;
}

/** The package root: two levels above this module (ceremony/runner/ or dist/runner/). */
export function toolRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** Name and version from the package's package.json. */
export function toolVersion(root = toolRoot()): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name?: unknown;
    version?: unknown;
  };
  return { name: String(pkg.name), version: String(pkg.version) };
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/** The sha256sum manifest of `tree` under `root`, and its digest. */
export function toolDigest(root = toolRoot(), tree = runningTree(root)): ToolDigest {
  const files: string[] = [join(root, 'package.json')];
  walk(join(root, tree), files);
  const rel = files.map((f) => relative(root, f).split(sep).join('/'));
  rel.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const manifest = rel.map((p) => `${hexEncode(sha256(readFileSync(join(root, p))))}  ${p}\n`).join('');
  return { tree, files: rel.length, sha256: hexEncode(sha256(utf8Encode(manifest))) };
}

/** `dist` or `ceremony`: the top-level directory this module was loaded from. */
function runningTree(root: string): string {
  const here = relative(root, fileURLToPath(import.meta.url));
  return here.split(sep)[0] ?? 'ceremony';
}
