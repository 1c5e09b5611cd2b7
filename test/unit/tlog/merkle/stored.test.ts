import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedError, UsageError } from '../../../../ceremony/errors.js';
import type { HashReader } from '../../../../ceremony/tlog/merkle/index.js';
import {
  emptyRoot,
  MemoryTree,
  proveRecord,
  proveTree,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashIndex,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../../../ceremony/tlog/merkle/index.js';
import { runs } from './config.js';
import { leafData, mth, refLeafHash } from './reference.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

/** Go's testHashStorage: a plain array, and a reader that insists on increasing indexes. */
function arrayStorage(): { hashes: Uint8Array[]; reader: HashReader; reads: number[][] } {
  const hashes: Uint8Array[] = [];
  const reads: number[][] = [];
  const reader: HashReader = (indexes) => {
    reads.push([...indexes]);
    for (let i = 1; i < indexes.length; i++) {
      if (indexes[i - 1]! >= indexes[i]!) throw new Error(`indexes out of order: ${indexes.join(',')}`);
    }
    return indexes.map((i) => hashes[i]!);
  };
  return { hashes, reader, reads };
}

describe('stored-hash index (Crosby-Wallach order, Go sumdb/tlog)', () => {
  it('matches the order in which appending leaves completes subtrees', () => {
    let position = 0;
    for (let n = 0; n < 1200; n++) {
      // Appending leaf n stores (0, n), then each subtree it completes, smallest first.
      const appended: [number, number][] = [[0, n]];
      for (let l = 1; (n + 1) % 2 ** l === 0; l++) appended.push([l, (n + 1) / 2 ** l - 1]);
      for (const [l, k] of appended) {
        expect(storedHashIndex(l, k), `(${l}, ${k})`).toBe(position);
        expect(splitStoredHashIndex(position)).toEqual([l, k]);
        position++;
      }
      expect(storedHashCount(n + 1)).toBe(position);
    }
    expect(storedHashCount(0)).toBe(0);
  });

  it('round-trips up to the 2^52-leaf limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 52 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (level, u) => {
          const count = 2 ** (52 - level); // subtrees of this level below leaf 2^52
          const n = Math.floor(u * count);
          const i = storedHashIndex(level, n);
          expect(Number.isSafeInteger(i)).toBe(true);
          expect(splitStoredHashIndex(i)).toEqual([level, n]);
          expect(storedHashIndex(level, BigInt(n))).toBe(i);
        },
      ),
      { numRuns: runs(500, 20000) },
    );
    expect(storedHashIndex(0, 2 ** 52 - 1)).toBe(2 ** 53 - 2 - 52);
    expect(storedHashCount(2 ** 52)).toBe(2 ** 53 - 1);
  });

  it('refuses levels and indexes out of range', () => {
    expect(codeOf(() => storedHashIndex(0, 2 ** 52))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => storedHashIndex(1, 2 ** 51))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => storedHashIndex(53, 0))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => storedHashIndex(-1, 0))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => storedHashIndex(0.5, 0))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => storedHashIndex(0, -1))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => splitStoredHashIndex(-1))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => splitStoredHashIndex(2 ** 53))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => storedHashCount(2 ** 52 + 1))).toBe('MERKLE_BAD_INTEGER');
  });
});

describe('proofs from stored hashes', () => {
  const N = 300;
  const { hashes, reader, reads } = arrayStorage();
  const leaves: Uint8Array[] = [];
  for (let n = 0; n < N; n++) {
    const d = leafData(3, n);
    hashes.push(...storedHashes(n, d, reader));
    leaves.push(refLeafHash(d));
  }

  it('stores what MemoryTree stores', () => {
    const tree = new MemoryTree();
    for (let n = 0; n < N; n++) tree.append(leafData(3, n));
    expect(tree.storedHashCount).toBe(hashes.length);
    expect(tree.readHashes(hashes.map((_, i) => i))).toEqual(hashes);
  });

  it('reads in increasing order, once per proof, and the proofs verify', () => {
    for (let size = 1; size <= N; size += 7) {
      const root = treeHash(size, reader);
      expect(root).toEqual(mth(leaves, 0, size));
      for (let i = 0; i < size; i += 5) {
        reads.length = 0;
        const p = proveRecord(size, i, reader);
        expect(reads.length).toBeLessThanOrEqual(1);
        expect(verifyInclusion(leaves[i]!, i, size, p, root)).toBe(true);
      }
      for (let s1 = 1; s1 <= size; s1 += 11) {
        reads.length = 0;
        const p = proveTree(s1, size, reader);
        expect(reads.length).toBeLessThanOrEqual(1);
        expect(verifyConsistency(s1, size, treeHash(s1, reader), root, p)).toBe(true);
      }
    }
  });

  it('treats the empty tree as RFC 9162 does', () => {
    expect(treeHash(0, reader)).toEqual(emptyRoot());
    expect(treeHash(0n, () => [])).toEqual(emptyRoot());
  });

  it('refuses requests outside the tree with UsageError', () => {
    for (const fn of [() => proveRecord(5, 5, reader), () => proveRecord(0, 0, reader)]) {
      expect(fn).toThrow(UsageError);
      expect(codeOf(fn)).toBe('MERKLE_INDEX_OUT_OF_RANGE');
    }
    for (const fn of [() => proveTree(0, 5, reader), () => proveTree(6, 5, reader)]) {
      expect(fn).toThrow(UsageError);
      expect(codeOf(fn)).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    }
    expect(proveTree(5, 5, reader)).toEqual([]);
    expect(proveRecord(1, 0, reader)).toEqual([]);
  });

  it('refuses a reader that breaks its contract', () => {
    const short: HashReader = (ix) => ix.slice(1).map((i) => hashes[i]!);
    const badLength: HashReader = (ix) => ix.map((i) => hashes[i]!.subarray(1));
    const notBytes: HashReader = (ix) => ix.map(() => 'x' as unknown as Uint8Array);
    for (const r of [short, badLength, notBytes]) {
      for (const fn of [
        () => treeHash(7, r),
        () => proveRecord(8, 3, r),
        () => proveTree(3, 8, r),
        () => storedHashes(7, leafData(3, 7), r),
      ]) {
        expect(fn).toThrow(MalformedError);
        expect(codeOf(fn)).toBe('MERKLE_READER_MISMATCH');
      }
    }
  });
});

describe('MemoryTree', () => {
  it('answers for any past size and accepts bigints', () => {
    const tree = new MemoryTree();
    expect(tree.size).toBe(0);
    for (let i = 0; i < 20; i++) expect(tree.append(leafData(9, i))).toBe(i);
    expect(tree.size).toBe(20);
    expect(tree.root(7n)).toEqual(tree.root(7));
    expect(tree.proveInclusion(3n, 7n)).toEqual(tree.proveInclusion(3, 7));
    expect(tree.proveConsistency(3n, 7n)).toEqual(tree.proveConsistency(3, 7));
    expect(tree.proveInclusion(3)).toEqual(tree.proveInclusion(3, 20));
    expect(tree.leafHash(4n)).toEqual(refLeafHash(leafData(9, 4)));
    expect(tree.appendLeafHash(refLeafHash(leafData(9, 20)))).toBe(20);
    expect(tree.root()).toEqual(mth(Array.from({ length: 21 }, (_, i) => refLeafHash(leafData(9, i)))));
  });

  it('hands out copies', () => {
    const tree = new MemoryTree();
    for (let i = 0; i < 4; i++) tree.append(leafData(1, i));
    const root = tree.root();
    tree.proveInclusion(0)[0]!.fill(0);
    tree.readHashes([0])[0]!.fill(0);
    tree.leafHash(1).fill(0);
    expect(tree.root()).toEqual(root);
  });

  it('refuses what it cannot answer', () => {
    const tree = new MemoryTree();
    tree.append(leafData(1, 0));
    tree.append(leafData(1, 1));
    expect(codeOf(() => tree.root(3))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    expect(codeOf(() => tree.proveInclusion(0, 3))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    expect(codeOf(() => tree.proveInclusion(2))).toBe('MERKLE_INDEX_OUT_OF_RANGE');
    expect(codeOf(() => tree.proveConsistency(1, 3))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    expect(codeOf(() => tree.proveConsistency(0))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    expect(codeOf(() => tree.leafHash(2))).toBe('MERKLE_INDEX_OUT_OF_RANGE');
    expect(codeOf(() => tree.readHashes([3]))).toBe('MERKLE_INDEX_OUT_OF_RANGE');
    expect(codeOf(() => tree.root(-1))).toBe('MERKLE_BAD_INTEGER');
    expect(codeOf(() => tree.appendLeafHash(new Uint8Array(31)))).toBe('MERKLE_BAD_ARGUMENT');
    expect(codeOf(() => tree.append('abc' as unknown as Uint8Array))).toBe('MERKLE_BAD_ARGUMENT');
    expect(tree.size).toBe(2);
  });
});
