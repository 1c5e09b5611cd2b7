/**
 * Proof generation (stored hashes, MemoryTree) and verification against the recursive reference
 * of ./reference.ts: exhaustively on small trees, on random trees of up to a few thousand leaves,
 * and, for verification, on trees of up to 2^63-1 leaves.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  proveRecord,
  proveTree,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../../../ceremony/tlog/merkle/index.js';
import { LONG, runs } from './config.js';
import {
  consistencyProof,
  leafData,
  mth,
  path,
  pathLength,
  refLeafHash,
  refRootFromPath,
  refRunSubproof,
  refVerifyConsistency,
  refVerifyInclusion,
  subproofLength,
} from './reference.js';

function buildTree(seed: number, size: number): { tree: MemoryTree; leaves: Uint8Array[] } {
  const tree = new MemoryTree();
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < size; i++) {
    const d = leafData(seed, i);
    tree.append(d);
    leaves.push(refLeafHash(d));
  }
  return { tree, leaves };
}

describe('every proof of every small tree equals the reference', () => {
  const N = LONG ? 130 : 48;
  let tree: MemoryTree;
  let leaves: Uint8Array[];
  beforeAll(() => ({ tree, leaves } = buildTree(1, N)));

  it(`roots and inclusion proofs, all sizes 1..${N}, all indexes`, () => {
    for (let s = 1; s <= N; s++) {
      const prefix = leaves.slice(0, s);
      const root = mth(prefix);
      expect(tree.root(s), `root(${s})`).toEqual(root);
      expect(treeHash(s, tree.readHashes)).toEqual(root);
      for (let i = 0; i < s; i++) {
        const proof = tree.proveInclusion(i, s);
        expect(proof, `PATH(${i}, D[${s}])`).toEqual(path(i, prefix));
        expect(verifyInclusion(leaves[i]!, i, s, proof, root)).toBe(true);
        expect(verifyInclusion(leaves[i]!, BigInt(i), BigInt(s), proof, root)).toBe(true);
        expect(refVerifyInclusion(leaves[i]!, BigInt(i), BigInt(s), proof, root)).toBe(true);
      }
    }
  });

  it(`consistency proofs, all 1 <= size1 <= size2 <= ${N}`, () => {
    for (let s2 = 1; s2 <= N; s2++) {
      const prefix = leaves.slice(0, s2);
      const root2 = mth(prefix);
      for (let s1 = 1; s1 <= s2; s1++) {
        const root1 = mth(leaves, 0, s1);
        const proof = tree.proveConsistency(s1, s2);
        expect(proof, `PROOF(${s1}, D[${s2}])`).toEqual(consistencyProof(s1, prefix));
        expect(verifyConsistency(s1, s2, root1, root2, proof)).toBe(true);
        expect(verifyConsistency(BigInt(s1), BigInt(s2), root1, root2, proof)).toBe(true);
        expect(refVerifyConsistency(BigInt(s1), BigInt(s2), root1, root2, proof)).toBe(true);
      }
    }
  });
});

describe('random trees', () => {
  const maxSize = LONG ? 20000 : 3000;
  it(`proofs in trees of up to ${maxSize} leaves equal the reference and verify`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: maxSize }),
        fc.nat(),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (size, seed, u, v) => {
          const { tree, leaves } = buildTree(seed, size);
          const index = Math.floor(u * size);
          const size1 = 1 + Math.floor(v * size);
          const root = mth(leaves);
          expect(tree.root()).toEqual(root);
          const incl = proveRecord(size, index, tree.readHashes);
          expect(incl).toEqual(path(index, leaves));
          expect(verifyInclusion(leaves[index]!, index, size, incl, root)).toBe(true);
          const cons = proveTree(size1, size, tree.readHashes);
          expect(cons).toEqual(consistencyProof(size1, leaves));
          expect(verifyConsistency(size1, size, mth(leaves, 0, size1), root, cons)).toBe(true);
        },
      ),
      { numRuns: runs(25, 200) },
    );
  });
});

describe('verification on trees of up to 2^63-1 leaves agrees with the reference', () => {
  const MAX = (1n << 63n) - 1n;
  const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
  /** 64 distinct hashes from a seed (cheap to shrink, unlike 64 arbitrary arrays). */
  const pool = fc.nat().map((seed) => Array.from({ length: 64 }, (_, j) => refLeafHash(leafData(seed, j))));
  const bigSize = fc.oneof(
    fc.bigInt({ min: 1n, max: MAX }),
    fc.bigInt({ min: 1n, max: 1n << 40n }),
    fc.integer({ min: 0, max: 62 }).map((e) => 1n << BigInt(e)),
    fc.integer({ min: 1, max: 63 }).map((e) => (1n << BigInt(e)) - 1n),
  );
  const forms = (x: bigint): (bigint | number)[] =>
    x <= BigInt(Number.MAX_SAFE_INTEGER) ? [x, Number(x)] : [x];

  it('inclusion: the implied root', () => {
    fc.assert(
      fc.property(bigSize, fc.bigInt({ min: 0n, max: MAX }), hash, pool, (size, r, leaf, hashes) => {
        const index = r % size;
        const proof = hashes.slice(0, pathLength(index, size));
        const want = refRootFromPath(index, size, leaf, proof);
        expect(want).not.toBeNull();
        for (const i of forms(index)) {
          for (const s of forms(size)) {
            expect(rootFromInclusionProof(leaf, i, s, proof)).toEqual(want);
            expect(verifyInclusion(leaf, i, s, proof, want!)).toBe(true);
          }
        }
        if (proof.length > 0) expect(verifyInclusion(leaf, index, size, proof.slice(1), want!)).toBe(false);
      }),
      { numRuns: runs(300, 5000) },
    );
  });

  it('consistency: the implied roots', () => {
    fc.assert(
      fc.property(
        bigSize.filter((s) => s >= 2n),
        fc.bigInt({ min: 0n, max: MAX }),
        hash,
        pool,
        (size2, r, seedRoot, hashes) => {
          const size1 = 1n + (r % (size2 - 1n)); // 0 < size1 < size2
          const proof = hashes.slice(0, subproofLength(size1, size2, true));
          const ran = refRunSubproof(proof, 0n, size2, size1, seedRoot);
          expect(ran).not.toBeNull();
          const [root1, root2] = ran!;
          for (const s1 of forms(size1)) {
            for (const s2 of forms(size2)) {
              expect(rootFromConsistencyProof(s1, s2, root1, proof)).toEqual(root2);
              expect(verifyConsistency(s1, s2, root1, root2, proof)).toBe(true);
            }
          }
        },
      ),
      { numRuns: runs(300, 5000) },
    );
  });
});
