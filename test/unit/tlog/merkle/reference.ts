/**
 * A slow, obviously correct reference for the Merkle code under test, written straight from the
 * recursive definitions: RFC 9162 §2.1.1 (MTH), RFC 6962 §2.1.1 (PATH, the audit path) and
 * §2.1.2 (PROOF / SUBPROOF, the consistency proof). Hashing uses node:crypto directly, not the
 * project's crypto facade, so the two implementations share no code.
 *
 * Sizes and indexes are bigints so the verifiers also run on trees of up to 2^63-1 leaves.
 */
import { createHash } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export const refLeafHash = (data: Uint8Array): Uint8Array => sha256(Uint8Array.of(0), data);
export const refNodeHash = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(Uint8Array.of(1), l, r);

/** The largest power of two smaller than n (n >= 2). */
export function largestPow2Below(n: bigint): bigint {
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return k;
}

/** MTH(D[lo:hi]) over leaf hashes (RFC 9162 §2.1.1). */
export function mth(leaves: readonly Uint8Array[], lo = 0, hi = leaves.length): Uint8Array {
  const n = hi - lo;
  if (n === 0) return sha256();
  if (n === 1) return leaves[lo]!;
  const k = Number(largestPow2Below(BigInt(n)));
  return refNodeHash(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

/** PATH(m, D[lo:hi]) (RFC 6962 §2.1.1), lowest level first. */
export function path(m: number, leaves: readonly Uint8Array[], lo = 0, hi = leaves.length): Uint8Array[] {
  const n = hi - lo;
  if (n === 1) return [];
  const k = Number(largestPow2Below(BigInt(n)));
  if (m < k) return [...path(m, leaves, lo, lo + k), mth(leaves, lo + k, hi)];
  return [...path(m - k, leaves, lo + k, hi), mth(leaves, lo, lo + k)];
}

/** SUBPROOF(m, D[lo:hi], b) (RFC 6962 §2.1.2). */
function subproof(
  m: number,
  leaves: readonly Uint8Array[],
  lo: number,
  hi: number,
  b: boolean,
): Uint8Array[] {
  const n = hi - lo;
  if (m === n) return b ? [] : [mth(leaves, lo, hi)];
  const k = Number(largestPow2Below(BigInt(n)));
  if (m <= k) return [...subproof(m, leaves, lo, lo + k, b), mth(leaves, lo + k, hi)];
  return [...subproof(m - k, leaves, lo + k, hi, false), mth(leaves, lo, lo + k)];
}

/** PROOF(m, D[n]) (RFC 6962 §2.1.2), for 0 < m <= n. */
export function consistencyProof(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  return subproof(m, leaves, 0, leaves.length, true);
}

/** Number of hashes in PATH(m, D[n]). */
export function pathLength(m: bigint, n: bigint): number {
  if (n === 1n) return 0;
  const k = largestPow2Below(n);
  return 1 + (m < k ? pathLength(m, k) : pathLength(m - k, n - k));
}

/** Number of hashes in SUBPROOF(m, D[n], b). */
export function subproofLength(m: bigint, n: bigint, b: boolean): number {
  if (m === n) return b ? 0 : 1;
  const k = largestPow2Below(n);
  return 1 + (m <= k ? subproofLength(m, k, b) : subproofLength(m - k, n - k, false));
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The root implied by `proof` as PATH(m, D[n]) for a leaf with hash `leaf`, or null if the proof
 * has the wrong shape: the PATH recursion run backwards (the top hash is the last one).
 */
export function refRootFromPath(
  m: bigint,
  n: bigint,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (m < 0n || m >= n) return null;
  if (n === 1n) return proof.length === 0 ? leaf : null;
  if (proof.length === 0) return null;
  const k = largestPow2Below(n);
  const top = proof[proof.length - 1]!;
  const rest = proof.slice(0, -1);
  if (m < k) {
    const sub = refRootFromPath(m, k, leaf, rest);
    return sub === null ? null : refNodeHash(sub, top);
  }
  const sub = refRootFromPath(m - k, n - k, leaf, rest);
  return sub === null ? null : refNodeHash(top, sub);
}

/** Reference inclusion verification: 32-byte hashes, the right shape, and the root matches. */
export function refVerifyInclusion(
  leaf: Uint8Array,
  m: bigint,
  n: bigint,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (leaf.length !== 32 || root.length !== 32 || proof.some((h) => h.length !== 32)) return false;
  const r = refRootFromPath(m, n, leaf, proof);
  return r !== null && eq(r, root);
}

/**
 * Runs `proof` as SUBPROOF(m, D[lo:hi], lo == 0) with `old` the root of the first m leaves:
 * returns the implied [old-tree hash, new-tree hash] of the subtree, or null for a wrong shape.
 */
export function refRunSubproof(
  proof: readonly Uint8Array[],
  lo: bigint,
  hi: bigint,
  m: bigint,
  old: Uint8Array,
): [Uint8Array, Uint8Array] | null {
  if (m === hi) {
    if (lo === 0n) return proof.length === 0 ? [old, old] : null;
    return proof.length === 1 ? [proof[0]!, proof[0]!] : null;
  }
  if (proof.length === 0) return null;
  const k = largestPow2Below(hi - lo);
  const top = proof[proof.length - 1]!;
  const rest = proof.slice(0, -1);
  if (m <= lo + k) {
    const sub = refRunSubproof(rest, lo, lo + k, m, old);
    return sub === null ? null : [sub[0], refNodeHash(sub[1], top)];
  }
  const sub = refRunSubproof(rest, lo + k, hi, m, old);
  return sub === null ? null : [refNodeHash(top, sub[0]), refNodeHash(top, sub[1])];
}

/** Reference consistency verification, for 0 < m <= n (anything else is refused). */
export function refVerifyConsistency(
  m: bigint,
  n: bigint,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (m <= 0n || m > n) return false;
  if (m === n) return proof.length === 0 && eq(root1, root2);
  if (root1.length !== 32 || root2.length !== 32 || proof.some((h) => h.length !== 32)) return false;
  const r = refRunSubproof(proof, 0n, n, m, root1);
  return r !== null && eq(r[0], root1) && eq(r[1], root2);
}

/** Distinct leaf data for leaf i of tree `seed`. */
export function leafData(seed: number, i: number): Uint8Array {
  return new TextEncoder().encode(`tree ${seed} leaf ${i}`);
}
