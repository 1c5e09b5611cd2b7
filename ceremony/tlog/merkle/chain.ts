/**
 * The building blocks of RFC 9162 proof verification, ported from transparency-dev/merkle
 * (`proof/verify.go`) with its names kept. An inclusion proof for leaf `index` in a tree of `size`
 * leaves splits into an *inner* part (below the point where the paths to `index` and `size-1`
 * diverge; the tree is perfect there) and a *border* part (left siblings along the right border).
 *
 * Hash lengths are checked by the callers before these run.
 *
 * Portable: no `node:` imports.
 */
import { hashChildren } from './hash.js';
import { bitAt, bitLen64, halves, onesCount64 } from './integers.js';

/**
 * Length of the inner part of the inclusion proof for `index` in a tree of `size` leaves: the
 * number of levels below the point where the paths to `index` and `size-1` diverge.
 * Requires 0 <= index < size <= 2^63-1.
 */
export function innerProofSize(index: bigint, size: bigint): number {
  return bitLen64(index ^ (size - 1n));
}

/**
 * Splits the inclusion proof for `index` in a tree of `size` leaves into its inner and border
 * lengths; their sum is the proof's length. Requires 0 <= index < size <= 2^63-1.
 */
export function decompInclProof(index: bigint, size: bigint): [inner: number, border: number] {
  const inner = innerProofSize(index, size);
  const border = onesCount64(index >> BigInt(inner));
  return [inner, border];
}

/**
 * Chains `seed` (the hash at position `index` of its level) with the inner proof hashes, lowest
 * level first: a sibling goes on the right where bit `i` of `index` is 0, on the left where it is 1.
 * Requires `proof.length` <= 64.
 */
export function chainInner(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  const [lo, hi] = halves(index);
  for (let i = 0; i < proof.length; i++) {
    const h = proof[i]!;
    seed = bitAt(lo, hi, i) === 0 ? hashChildren(seed, h) : hashChildren(h, seed);
  }
  return seed;
}

/**
 * Like {@link chainInner}, but only uses the siblings on the left of the path, which yields the hash
 * of the earlier (smaller) version of the same subtree. Used by consistency verification.
 * Requires `proof.length` <= 64.
 */
export function chainInnerRight(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  const [lo, hi] = halves(index);
  for (let i = 0; i < proof.length; i++) {
    if (bitAt(lo, hi, i) === 1) seed = hashChildren(proof[i]!, seed);
  }
  return seed;
}

/** Chains `seed` with border proof hashes, each of which is a left sibling. */
export function chainBorderRight(seed: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  for (const h of proof) seed = hashChildren(h, seed);
  return seed;
}
