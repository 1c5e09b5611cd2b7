/**
 * Root hashes from stored hashes (Go sumdb/tlog `TreeHash`, `subTreeIndex`, `subTreeHash`): the
 * tree of leaves [lo, hi) splits into perfect subtrees of decreasing size, each of them one stored
 * hash; the root is those hashes folded right to left (RFC 9162 §2.1.1, MTH).
 *
 * Portable: no `node:` imports.
 */
import { emptyRoot, hashChildren } from './hash.js';
import type { TreeInt } from './integers.js';
import { toTreeNumber } from './integers.js';
import type { HashReader } from './stored.js';
import { readHashesChecked, storedHashIndex } from './stored.js';

/**
 * k, the largest power of two strictly less than n, and log2 k; for n <= 1, (1, 0). This is the k
 * of RFC 9162 §2.1.1 ("the largest power of two smaller than n"). Requires n <= 2^53.
 */
export function maxpow2(n: number): [k: number, level: number] {
  let level = 0;
  let k = 1;
  while (k * 2 < n) {
    k *= 2;
    level++;
  }
  return [k, level];
}

/**
 * Appends to `need` the stored-hash indexes of the perfect subtrees that make up leaves [lo, hi),
 * largest first. Requires lo <= hi and that lo is aligned to the first subtree's size, as it is for
 * every range the proof algorithms ask for.
 */
export function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const [k, level] = maxpow2(hi - lo + 1);
    if (lo % k !== 0) throw new Error(`merkle: bad math in subTreeIndex(${lo}, ${hi})`);
    need.push(storedHashIndex(level, lo / k));
    lo += k;
  }
  return need;
}

/**
 * The hash of leaves [lo, hi) from the hashes at the front of `hashes` (those
 * {@link subTreeIndex} listed for the range), starting at `hashes[at]`. Returns the hash and the
 * position of the first unused hash. Requires lo < hi.
 */
export function subTreeHash(
  lo: number,
  hi: number,
  hashes: readonly Uint8Array[],
  at: number,
): [hash: Uint8Array, next: number] {
  let numTree = 0;
  while (lo < hi) {
    const [k] = maxpow2(hi - lo + 1);
    numTree++;
    lo += k;
  }
  if (numTree === 0 || at + numTree > hashes.length) {
    throw new Error('merkle: bad index math in subTreeHash');
  }
  let h = hashes[at + numTree - 1]!;
  for (let i = numTree - 2; i >= 0; i--) h = hashChildren(hashes[at + i]!, h);
  return [h, at + numTree];
}

/**
 * The root hash of the tree of the first `size` leaves, from stored hashes; reads at most
 * 1 + log2(size) hashes in one call. The empty tree's root is SHA-256 of no bytes (RFC 9162
 * §2.1.1; Go's sumdb uses all zeros instead). Requires that `size` leaves are stored.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if size is out of range (0..2^52);
 *   `MERKLE_READER_MISMATCH` if the reader breaks its contract.
 */
export function treeHash(size: TreeInt, reader: HashReader): Uint8Array {
  const n = toTreeNumber(size, 'size');
  if (n === 0) return emptyRoot();
  const indexes = subTreeIndex(0, n, []);
  const hashes = readHashesChecked(reader, indexes);
  const [hash, next] = subTreeHash(0, n, hashes, 0);
  if (next !== hashes.length) throw new Error('merkle: bad index math in treeHash');
  return hash;
}
