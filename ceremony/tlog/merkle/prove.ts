/**
 * Building inclusion and consistency proofs from stored hashes (Go sumdb/tlog `ProveRecord`,
 * `ProveTree`), following the recursive definitions of RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1
 * (SUBPROOF). Each proof is built in two passes over the same recursion: the first lists the
 * stored hashes it needs (one reader call), the second assembles the proof from them.
 *
 * Portable: no `node:` imports.
 */
import { UsageError } from '../../errors.js';
import type { MerkleUsageErrorCode } from './checks.js';
import type { TreeInt } from './integers.js';
import { toTreeNumber } from './integers.js';
import type { HashReader } from './stored.js';
import { readHashesChecked } from './stored.js';
import { maxpow2, subTreeHash, subTreeIndex } from './tree-hash.js';

/**
 * Appends the stored-hash indexes needed for the proof that leaf n is in the subtree of leaves
 * [lo, hi). Requires lo <= n < hi.
 */
function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const [k] = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

/**
 * PATH(n, D[lo:hi]) of RFC 9162 §2.1.3.1, appended to `proof` lowest level first, from the hashes
 * {@link leafProofIndex} listed, starting at `hashes[at]`. Returns the position of the first unused
 * hash. Requires lo <= n < hi.
 */
function leafProof(
  lo: number,
  hi: number,
  n: number,
  hashes: readonly Uint8Array[],
  at: number,
  proof: Uint8Array[],
): number {
  if (lo + 1 === hi) return at; // The leaf itself: the verifier has its hash.
  const [k] = maxpow2(hi - lo);
  let sibling: Uint8Array;
  if (n < lo + k) {
    at = leafProof(lo, lo + k, n, hashes, at, proof);
    [sibling, at] = subTreeHash(lo + k, hi, hashes, at);
  } else {
    [sibling, at] = subTreeHash(lo, lo + k, hashes, at);
    at = leafProof(lo + k, hi, n, hashes, at, proof);
  }
  proof.push(sibling);
  return at;
}

/**
 * The inclusion proof (RFC 9162 §2.1.3.1) for leaf `index` in the tree of the first `size` leaves,
 * ordered from the leaf's sibling upwards. Requires 0 <= index < size and that `size` leaves are
 * stored. Go: ProveRecord.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if index or size is not an integer in 0..2^52;
 *   `MERKLE_READER_MISMATCH` if the reader breaks its contract.
 * @throws UsageError `MERKLE_INDEX_OUT_OF_RANGE` if index >= size.
 */
export function proveRecord(size: TreeInt, index: TreeInt, reader: HashReader): Uint8Array[] {
  const t = toTreeNumber(size, 'size');
  const n = toTreeNumber(index, 'index');
  if (n >= t) {
    throw new UsageError<MerkleUsageErrorCode>(
      'MERKLE_INDEX_OUT_OF_RANGE',
      `index: got ${n}, want less than the tree size ${t}`,
      { field: 'index' },
    );
  }
  const hashes = readHashesChecked(reader, leafProofIndex(0, t, n, []));
  const proof: Uint8Array[] = [];
  if (leafProof(0, t, n, hashes, 0, proof) !== hashes.length) {
    throw new Error('merkle: bad index math in proveRecord');
  }
  return proof;
}

/**
 * Appends the stored-hash indexes needed for SUBPROOF(m, D[lo:hi], b) where b = (lo == 0).
 * Requires lo < m <= hi.
 */
function treeProofIndex(lo: number, hi: number, m: number, need: number[]): number[] {
  if (m === hi) {
    if (lo === 0) return need; // The old tree itself: the verifier has its root.
    return subTreeIndex(lo, hi, need);
  }
  const [k] = maxpow2(hi - lo);
  if (m <= lo + k) {
    treeProofIndex(lo, lo + k, m, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, m, need);
  }
  return need;
}

/**
 * SUBPROOF(m, D[lo:hi], lo == 0) of RFC 9162 §2.1.4.1, appended to `proof`, from the hashes
 * {@link treeProofIndex} listed, starting at `hashes[at]`. Returns the position of the first unused
 * hash. Requires lo < m <= hi.
 */
function treeProof(
  lo: number,
  hi: number,
  m: number,
  hashes: readonly Uint8Array[],
  at: number,
  proof: Uint8Array[],
): number {
  if (m === hi) {
    if (lo === 0) return at;
    const [h, next] = subTreeHash(lo, hi, hashes, at);
    proof.push(h);
    return next;
  }
  const [k] = maxpow2(hi - lo);
  let sibling: Uint8Array;
  if (m <= lo + k) {
    at = treeProof(lo, lo + k, m, hashes, at, proof);
    [sibling, at] = subTreeHash(lo + k, hi, hashes, at);
  } else {
    [sibling, at] = subTreeHash(lo, lo + k, hashes, at);
    at = treeProof(lo + k, hi, m, hashes, at, proof);
  }
  proof.push(sibling);
  return at;
}

/**
 * The consistency proof (RFC 9162 §2.1.4.1) that the tree of the first `size2` leaves extends the
 * tree of the first `size1` leaves. Requires 0 < size1 <= size2 and that `size2` leaves are stored;
 * for size1 == size2 the proof is empty. Go: ProveTree (which takes the sizes the other way round).
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if a size is not an integer in 0..2^52;
 *   `MERKLE_READER_MISMATCH` if the reader breaks its contract.
 * @throws UsageError `MERKLE_SIZE_OUT_OF_RANGE` if size1 == 0 or size1 > size2.
 */
export function proveTree(size1: TreeInt, size2: TreeInt, reader: HashReader): Uint8Array[] {
  const m = toTreeNumber(size1, 'size1');
  const t = toTreeNumber(size2, 'size2');
  if (m === 0 || m > t) {
    throw new UsageError<MerkleUsageErrorCode>(
      'MERKLE_SIZE_OUT_OF_RANGE',
      `size1: got ${m}, want 0 < size1 <= size2 = ${t}`,
      { field: 'size1' },
    );
  }
  const hashes = readHashesChecked(reader, treeProofIndex(0, t, m, []));
  const proof: Uint8Array[] = [];
  if (treeProof(0, t, m, hashes, 0, proof) !== hashes.length) {
    throw new Error('merkle: bad index math in proveTree');
  }
  return proof;
}
