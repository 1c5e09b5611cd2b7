/**
 * RFC 9162 §2.1.3.2: verifying an inclusion proof (audit path), in the decomposed form of
 * transparency-dev/merkle (`RootFromInclusionProof`, `VerifyInclusion`).
 *
 * Three entry points over one algorithm:
 * - {@link rootFromInclusionProof} returns the root the proof implies, or throws the reason;
 * - {@link checkInclusion} also compares it with the expected root;
 * - {@link verifyInclusion} returns a boolean, for callers that only need yes or no.
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
import { chainBorderRight, chainInner, decompInclProof } from './chain.js';
import { hashesEqual } from './hash.js';
import type { TreeInt } from './integers.js';
import { toTreeBigInt } from './integers.js';

/**
 * The root hash implied by an inclusion proof for the leaf with hash `leafHash` at `index` in a
 * tree of `size` leaves. Requires 0 <= index < size.
 *
 * `proof` is ordered from the leaf's sibling upwards, as RFC 9162 §2.1.3.1 generates it.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if `index` or `size` is not a non-negative safe
 *   integer or a bigint in 0..2^63-1; `MERKLE_BAD_ARGUMENT` if a hash is not a Uint8Array.
 * @throws VerificationError `PROOF_INDEX_OUT_OF_RANGE` if index >= size; `PROOF_BAD_HASH_LENGTH`
 *   if `leafHash` or a proof hash is not 32 bytes; `PROOF_WRONG_SIZE` if the proof has the wrong
 *   number of hashes for (index, size).
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: TreeInt,
  size: TreeInt,
  proof: readonly Uint8Array[],
): Uint8Array {
  const idx = toTreeBigInt(index, 'index');
  const sz = toTreeBigInt(size, 'size');
  checkBytes(leafHash, 'leafHash');
  checkProofArray(proof);
  if (idx >= sz) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_INDEX_OUT_OF_RANGE',
      `index: got ${idx}, want less than the tree size ${sz}`,
      { field: 'index' },
    );
  }
  checkHashLength(leafHash, 'leafHash');
  const [inner, border] = decompInclProof(idx, sz);
  checkProofLength(
    proof,
    inner + border,
    () => `${inner} inner + ${border} border for index ${idx} of size ${sz}`,
  );
  checkProofHashes(proof);
  const res = chainInner(leafHash, proof.slice(0, inner), idx);
  return chainBorderRight(res, proof.slice(inner));
}

/**
 * Checks that `proof` proves the leaf with hash `leafHash` is at `index` in the tree of `size`
 * leaves whose root hash is `root`. Requires 0 <= index < size.
 *
 * @throws everything {@link rootFromInclusionProof} throws, and VerificationError
 *   `PROOF_BAD_HASH_LENGTH` if `root` is not 32 bytes, `PROOF_ROOT_MISMATCH` if the implied root
 *   differs from `root`.
 */
export function checkInclusion(
  leafHash: Uint8Array,
  index: TreeInt,
  size: TreeInt,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkBytes(root, 'root');
  const calculated = rootFromInclusionProof(leafHash, index, size, proof);
  checkHashLength(root, 'root');
  if (!hashesEqual(calculated, root)) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_ROOT_MISMATCH',
      'root: the root implied by the inclusion proof differs from the expected root',
      { field: 'root' },
    );
  }
}

/**
 * Whether `proof` proves the leaf with hash `leafHash` is at `index` in the tree of `size` leaves
 * whose root hash is `root` (RFC 9162 §2.1.3.2). Any invalid proof, an index out of range and
 * hashes of the wrong length give `false`; it never returns `true` for an invalid proof.
 *
 * @example
 * ```ts
 * verifyInclusion(hashLeaf(entry), 5n, 8n, proof, checkpointRoot);
 * ```
 * @throws MalformedError `MERKLE_BAD_INTEGER` if `index` or `size` is not a non-negative safe
 *   integer or a bigint in 0..2^63-1; `MERKLE_BAD_ARGUMENT` if an argument is not a Uint8Array
 *   (or, for `proof`, an array of them).
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: TreeInt,
  size: TreeInt,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    checkInclusion(leafHash, index, size, proof, root);
    return true;
  } catch (e) {
    if (e instanceof VerificationError) return false;
    throw e;
  }
}
