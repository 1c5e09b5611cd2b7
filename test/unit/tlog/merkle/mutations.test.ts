/**
 * Every valid proof, mutated, must fail: a bit flipped in any hash, a hash dropped, added or
 * duplicated, the leaf or a root changed, another index. Those give false (and a typed error from
 * the check* variants), never true.
 *
 * Changing the tree size is different: RFC 9162 verification trusts the (size, root) pair, which a
 * signed checkpoint binds. A proof for (index, size) also verifies for another (index', size')
 * whose audit path has the same shape, e.g. (0, 3) and (0, 4), although the root is then no real
 * root of size' (that would take a second preimage). For size mutations the verifier must agree
 * exactly with the recursive reference verifier, and the known alias is pinned below.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../ceremony/errors.js';
import {
  checkConsistency,
  checkInclusion,
  MemoryTree,
  verifyConsistency,
  verifyInclusion,
} from '../../../../ceremony/tlog/merkle/index.js';
import { LONG, runs } from './config.js';
import { leafData, refVerifyConsistency, refVerifyInclusion } from './reference.js';

const flip = (h: Uint8Array, bit: number): Uint8Array => {
  const c = h.slice();
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

interface Mutation<T> {
  name: string;
  args: T;
}

/** Proof mutations that can never verify: one bit in each hash, drops, insertions, duplicates. */
function proofMutations(proof: Uint8Array[], bits: number[], extra: Uint8Array): Mutation<Uint8Array[]>[] {
  const out: Mutation<Uint8Array[]>[] = [];
  proof.forEach((h, j) => {
    out.push({
      name: `flip bit ${bits[j % bits.length]} of proof[${j}]`,
      args: proof.map((x, k) => (k === j ? flip(h, bits[j % bits.length]!) : x)),
    });
    out.push({ name: `flip bit 0 of proof[${j}]`, args: proof.map((x, k) => (k === j ? flip(h, 0) : x)) });
    out.push({ name: `drop proof[${j}]`, args: proof.filter((_, k) => k !== j) });
    out.push({ name: `duplicate proof[${j}]`, args: [...proof.slice(0, j + 1), h, ...proof.slice(j + 1)] });
  });
  for (let j = 0; j <= proof.length; j++) {
    out.push({ name: `insert at ${j}`, args: [...proof.slice(0, j), extra, ...proof.slice(j)] });
  }
  out.push({ name: 'append empty hash', args: [...proof, new Uint8Array(0)] });
  out.push({ name: 'prepend empty hash', args: [new Uint8Array(0), ...proof] });
  if (proof.length > 0) {
    out.push({
      name: 'truncate last hash to 31 bytes',
      args: [...proof.slice(0, -1), proof[proof.length - 1]!.subarray(0, 31)],
    });
    out.push({ name: 'reversed', args: [...proof].reverse() });
  }
  return out.filter((m) => m.args.length !== proof.length || m.args.some((h, k) => h !== proof[k]));
}

function expectRefused(ok: boolean, check: () => void, name: string): void {
  expect(ok, name).toBe(false);
  expect(check, name).toThrow(VerificationError);
}

describe('mutated proofs never verify', () => {
  const N = LONG ? 5000 : 1500;
  let tree: MemoryTree;
  const leafHashes: Uint8Array[] = [];
  beforeAll(() => {
    tree = new MemoryTree();
    for (let i = 0; i < N; i++) {
      tree.append(leafData(7, i));
      leafHashes.push(tree.leafHash(i));
    }
  });

  const bit = fc.integer({ min: 0, max: 255 });
  const extra = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('inclusion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: N }),
        fc.nat(),
        fc.nat(),
        fc.array(bit, { minLength: 1, maxLength: 8 }),
        extra,
        (size, r, r2, bits, other) => {
          const index = r % size;
          const root = tree.root(size);
          const leaf = leafHashes[index]!;
          const proof = tree.proveInclusion(index, size);
          expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);

          for (const m of proofMutations(proof, bits, other)) {
            expectRefused(
              verifyInclusion(leaf, index, size, m.args, root),
              () => checkInclusion(leaf, index, size, m.args, root),
              m.name,
            );
          }
          for (const b of bits) {
            expectRefused(
              verifyInclusion(flip(leaf, b), index, size, proof, root),
              () => checkInclusion(flip(leaf, b), index, size, proof, root),
              `leaf bit ${b}`,
            );
            expectRefused(
              verifyInclusion(leaf, index, size, proof, flip(root, b)),
              () => checkInclusion(leaf, index, size, proof, flip(root, b)),
              `root bit ${b}`,
            );
          }
          expect(verifyInclusion(leaf, index, size, proof, root.subarray(0, 31))).toBe(false);
          expect(verifyInclusion(leaf.subarray(1), index, size, proof, root)).toBe(false);
          // Another leaf's hash at this index.
          if (size > 1)
            expect(verifyInclusion(leafHashes[(index + 1) % size]!, index, size, proof, root)).toBe(false);

          // Any other index in the same tree (distinct leaves: the path identifies the leaf).
          const others = new Set([index - 1, index + 1, index ^ 1, index ^ 2, r2 % size, size, size + 1]);
          others.delete(index);
          for (const i of others) {
            if (i < 0) continue;
            expectRefused(
              verifyInclusion(leaf, i, size, proof, root),
              () => checkInclusion(leaf, i, size, proof, root),
              `index ${i}`,
            );
          }

          // Other sizes: exactly what the reference verifier says.
          for (const s of new Set([size - 1, size + 1, size * 2, size >> 1, index + 1, (r2 % N) + 1])) {
            if (s < 0 || s === size) continue;
            const want = refVerifyInclusion(leaf, BigInt(index), BigInt(s), proof, root);
            expect(verifyInclusion(leaf, index, s, proof, root), `size ${s}`).toBe(want);
            expect(verifyInclusion(leaf, BigInt(index), BigInt(s), proof, root), `size ${s}`).toBe(want);
          }
        },
      ),
      { numRuns: runs(60, 400) },
    );
  });

  it('consistency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: N }),
        fc.nat(),
        fc.nat(),
        fc.array(bit, { minLength: 1, maxLength: 8 }),
        extra,
        (size2, r, r2, bits, other) => {
          const size1 = 1 + (r % (size2 - 1)); // 0 < size1 < size2
          const root1 = tree.root(size1);
          const root2 = tree.root(size2);
          const proof = tree.proveConsistency(size1, size2);
          expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);

          const refuse = (
            s1: number,
            s2: number,
            r1: Uint8Array,
            rr2: Uint8Array,
            p: Uint8Array[],
            name: string,
          ): void =>
            expectRefused(
              verifyConsistency(s1, s2, r1, rr2, p),
              () => checkConsistency(s1, s2, r1, rr2, p),
              name,
            );
          for (const m of proofMutations(proof, bits, other))
            refuse(size1, size2, root1, root2, m.args, m.name);
          for (const b of bits) {
            refuse(size1, size2, flip(root1, b), root2, proof, `root1 bit ${b}`);
            refuse(size1, size2, root1, flip(root2, b), proof, `root2 bit ${b}`);
          }
          refuse(size1, size2, root2, root1, proof, 'swapped roots');
          refuse(size1, size2, root1, root1, proof, 'root2 := root1');
          refuse(size1, size2, root1, root2, [], 'empty proof');
          refuse(size2, size1, root1, root2, proof, 'swapped sizes');
          refuse(0, size2, root1, root2, proof, 'size1 = 0');

          // Other sizes: exactly what the reference verifier says.
          const pairs: [number, number][] = [
            [size1 - 1, size2],
            [size1 + 1, size2],
            [size1 ^ 2, size2],
            [size1, size2 + 1],
            [size1, size2 - 1],
            [size1, size2 * 2],
            [size1, size2 >> 1],
            [1 + (r2 % size2), size2],
          ];
          for (const [s1, s2] of pairs) {
            if (s1 < 0 || s2 < 0 || (s1 === size1 && s2 === size2)) continue;
            const want = refVerifyConsistency(BigInt(s1), BigInt(s2), root1, root2, proof);
            expect(verifyConsistency(s1, s2, root1, root2, proof), `sizes ${s1} -> ${s2}`).toBe(want);
          }
        },
      ),
      { numRuns: runs(60, 400) },
    );
  });

  it('pins the size alias RFC 9162 verification allows (and the reference shares)', () => {
    // PATH(0, D[3]) and PATH(0, D[4]) have the same shape: two right siblings.
    const proof = tree.proveInclusion(0, 3);
    const root3 = tree.root(3);
    expect(verifyInclusion(leafHashes[0]!, 0, 4, proof, root3)).toBe(true);
    expect(refVerifyInclusion(leafHashes[0]!, 0n, 4n, proof, root3)).toBe(true);
    expect(root3).not.toEqual(tree.root(4)); // root3 is not the size-4 root: the checkpoint binds size and root.
    expect(verifyInclusion(leafHashes[0]!, 0, 5, proof, root3)).toBe(false);
  });
});
