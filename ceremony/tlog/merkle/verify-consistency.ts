/**
 * RFC 9162 §2.1.4.2: verifying a consistency proof between two tree sizes, in the form of
 * transparency-dev/merkle (`RootFromConsistencyProof`, `VerifyConsistency`).
 *
 * The proof for sizes 0 < size1 < size2 is, apart from an optional first hash, a suffix of the
 * inclusion proof for leaf `size1-1` in the tree of size `size2`. Chaining it once using only the
 * left siblings gives the old root (checked against `root1`); chaining it with all siblings gives
 * the new root.
 *
 * Portable: no `node:` imports.
 */
import { VerificationError } from '../../errors.js';
import type { ProofErrorCode } from './checks.js';
import {
  checkBytes,
  checkHashLength,
  checkProofArray,
  checkProofHashes,
  checkProofLength,
} from './checks.js';
import { chainBorderRight, chainInner, chainInnerRight, decompInclProof } from './chain.js';
import { hashesEqual } from './hash.js';
import type { TreeInt } from './integers.js';
import { toTreeBigInt, trailingZeros64 } from './integers.js';

/**
 * The root hash of the tree of `size2` leaves implied by a consistency proof from the tree of
 * `size1` leaves with root `root1`, after checking that the proof reproduces `root1`.
 * Requires 0 < size1 <= size2.
 *
 * When size1 == size2 nothing is hashed: the proof must be empty and `root1` is returned as is.
 * A consistency proof from the empty tree (size1 == 0) is meaningless and refused: every tree
 * extends the empty tree, so callers handle size1 == 0 before asking for a proof.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if a size is not a non-negative safe integer or a
 *   bigint in 0..2^63-1; `MERKLE_BAD_ARGUMENT` if a hash is not a Uint8Array.
 * @throws VerificationError `PROOF_SIZE_DECREASED` if size2 < size1; `PROOF_EMPTY_TREE` if
 *   size1 == 0; `PROOF_WRONG_SIZE` if the proof has the wrong number of hashes;
 *   `PROOF_BAD_HASH_LENGTH` if `root1` or a proof hash is not 32 bytes; `PROOF_ROOT_MISMATCH`
 *   (field `root1`) if the proof does not reproduce `root1`.
 */
export function rootFromConsistencyProof(
  size1: TreeInt,
  size2: TreeInt,
  root1: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  const s1 = toTreeBigInt(size1, 'size1');
  const s2 = toTreeBigInt(size2, 'size2');
  checkBytes(root1, 'root1');
  checkProofArray(proof);
  if (s2 < s1) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_SIZE_DECREASED',
      `size2: got ${s2}, want at least size1 = ${s1} (a log never shrinks)`,
      { field: 'size2' },
    );
  }
  if (s1 === 0n) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_EMPTY_TREE',
      'size1: got 0, want > 0 (a consistency proof from the empty tree is meaningless)',
      { field: 'size1' },
    );
  }
  if (s1 === s2) {
    checkProofLength(proof, 0, () => 'equal sizes');
    return root1;
  }

  const [fullInner, border] = decompInclProof(s1 - 1n, s2);
  const shift = trailingZeros64(s1);
  const inner = fullInner - shift; // shift < fullInner because size1 < size2.

  // The proof starts with the hash of the subtree of size 2^shift that ends at leaf size1-1,
  // unless size1 is that power of two itself: then that subtree is the old tree, root1.
  const seedIsRoot1 = s1 === 1n << BigInt(shift);
  const start = seedIsRoot1 ? 0 : 1;
  checkProofLength(
    proof,
    start + inner + border,
    () => `${start} seed + ${inner} inner + ${border} border for sizes ${s1} -> ${s2}`,
  );
  checkProofHashes(proof);
  checkHashLength(root1, 'root1');
  const seed = seedIsRoot1 ? root1 : proof[0]!;
  const rest = proof.slice(start);
  const innerHashes = rest.slice(0, inner);
  const borderHashes = rest.slice(inner);

  // Verify the first root, chaining from level `shift`.
  const mask = (s1 - 1n) >> BigInt(shift);
  const hash1 = chainBorderRight(chainInnerRight(seed, innerHashes, mask), borderHashes);
  if (!hashesEqual(hash1, root1)) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_ROOT_MISMATCH',
      `root1: the root implied by the consistency proof for size ${s1} differs from root1`,
      { field: 'root1' },
    );
  }
  // The second root.
  return chainBorderRight(chainInner(seed, innerHashes, mask), borderHashes);
}

/**
 * Checks that `proof` proves the tree of `size2` leaves with root `root2` extends the tree of
 * `size1` leaves with root `root1` (RFC 9162 §2.1.4.2). Requires 0 < size1 <= size2; for equal
 * sizes the proof must be empty and the roots byte-equal.
 *
 * @throws everything {@link rootFromConsistencyProof} throws, and VerificationError
 *   `PROOF_BAD_HASH_LENGTH` if `root2` is not 32 bytes (sizes differ), `PROOF_ROOT_MISMATCH`
 *   (field `root2`) if the implied new root differs from `root2`.
 */
export function checkConsistency(
  size1: TreeInt,
  size2: TreeInt,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  checkBytes(root2, 'root2');
  const calculated = rootFromConsistencyProof(size1, size2, root1, proof);
  // Equal sizes return root1 itself: nothing was hashed, so the roots are only compared.
  if (calculated !== root1) checkHashLength(root2, 'root2');
  if (!hashesEqual(calculated, root2)) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_ROOT_MISMATCH',
      'root2: the root implied by the consistency proof differs from root2',
      { field: 'root2' },
    );
  }
}

/**
 * Whether `proof` proves the tree of `size2` leaves with root `root2` extends the tree of `size1`
 * leaves with root `root1` (RFC 9162 §2.1.4.2). Any invalid proof, size1 > size2, size1 == 0 and
 * hashes of the wrong length give `false`; it never returns `true` for an invalid proof.
 *
 * @example
 * ```ts
 * verifyConsistency(oldCheckpoint.size, newCheckpoint.size, oldCheckpoint.root, newCheckpoint.root, proof);
 * ```
 * @throws MalformedError `MERKLE_BAD_INTEGER` if a size is not a non-negative safe integer or a
 *   bigint in 0..2^63-1; `MERKLE_BAD_ARGUMENT` if an argument is not a Uint8Array (or, for
 *   `proof`, an array of them).
 */
export function verifyConsistency(
  size1: TreeInt,
  size2: TreeInt,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  try {
    checkConsistency(size1, size2, root1, root2, proof);
    return true;
  } catch (e) {
    if (e instanceof VerificationError) return false;
    throw e;
  }
}
