/**
 * Every case in test/vectors/merkle (transparency-dev/merkle testdata) through the exported
 * functions: `wantErr: false` cases verify, `wantErr: true` cases give false or a typed error.
 * Sizes and indexes are passed both as numbers (where they are safe integers) and as bigints.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CeremonyError } from '../../../../ceremony/errors.js';
import {
  checkConsistency,
  checkInclusion,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../ceremony/tlog/merkle/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../vectors/merkle');

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listJson(p) : name.endsWith('.json') ? [p] : [];
  });
}

/** JSON.parse loses precision above 2^53 (one vector has index 2^64-1): read integers as text. */
function parseCase(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8').replace(/"(leafIdx|treeSize|size1|size2)": (\d+)/g, '"$1": "$2"');
  return JSON.parse(text) as Record<string, unknown>;
}

const b64 = (s: unknown): Uint8Array => new Uint8Array(Buffer.from(s as string, 'base64'));
const proofOf = (p: unknown): Uint8Array[] => ((p as string[] | null) ?? []).map(b64);

/** The integer both ways: bigint always, number when it is a safe integer. */
function forms(s: unknown): (bigint | number)[] {
  const big = BigInt(s as string);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? [big, Number(big)] : [big];
}

/** Runs `fn`; a typed error counts as a refusal, anything else is rethrown. */
function outcome(fn: () => boolean): boolean | 'threw' {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CeremonyError) return 'threw';
    throw e;
  }
}

function throwsTyped(fn: () => void): boolean {
  try {
    fn();
  } catch (e) {
    return e instanceof CeremonyError;
  }
  return false;
}

const inclusion = listJson(join(root, 'inclusion')).sort();
const consistency = listJson(join(root, 'consistency')).sort();

describe('merkle vectors (transparency-dev/merkle testdata)', () => {
  it('finds the vector files', () => {
    expect(inclusion.length).toBeGreaterThan(80);
    expect(consistency.length).toBeGreaterThan(80);
    const all = [...inclusion, ...consistency].map(parseCase);
    expect(all.filter((c) => c.wantErr === false).length).toBeGreaterThan(10);
    expect(all.filter((c) => c.wantErr === true).length).toBeGreaterThan(100);
  });

  describe.each(inclusion.map((f) => [relative(root, f), f]))('inclusion %s', (_name, file) => {
    const c = parseCase(file);
    const leaf = b64(c.leafHash);
    const rootHash = b64(c.root);
    const proof = proofOf(c.proof);
    for (const index of forms(c.leafIdx)) {
      for (const size of forms(c.treeSize)) {
        const label = `index ${typeof index} ${index}, size ${typeof size} ${size}`;
        if (c.wantErr === true) {
          it(`fails (${label})`, () => {
            expect(outcome(() => verifyInclusion(leaf, index, size, proof, rootHash))).not.toBe(true);
            expect(throwsTyped(() => checkInclusion(leaf, index, size, proof, rootHash))).toBe(true);
          });
        } else {
          it(`verifies (${label})`, () => {
            expect(verifyInclusion(leaf, index, size, proof, rootHash)).toBe(true);
            expect(rootFromInclusionProof(leaf, index, size, proof)).toEqual(rootHash);
            expect(() => checkInclusion(leaf, index, size, proof, rootHash)).not.toThrow();
          });
        }
      }
    }
  });

  describe.each(consistency.map((f) => [relative(root, f), f]))('consistency %s', (_name, file) => {
    const c = parseCase(file);
    const root1 = b64(c.root1);
    const root2 = b64(c.root2);
    const proof = proofOf(c.proof);
    for (const size1 of forms(c.size1)) {
      for (const size2 of forms(c.size2)) {
        const label = `size1 ${typeof size1} ${size1}, size2 ${typeof size2} ${size2}`;
        if (c.wantErr === true) {
          it(`fails (${label})`, () => {
            expect(outcome(() => verifyConsistency(size1, size2, root1, root2, proof))).not.toBe(true);
            expect(throwsTyped(() => checkConsistency(size1, size2, root1, root2, proof))).toBe(true);
          });
        } else {
          it(`verifies (${label})`, () => {
            expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);
            expect(() => checkConsistency(size1, size2, root1, root2, proof)).not.toThrow();
          });
        }
      }
    }
  });
});
