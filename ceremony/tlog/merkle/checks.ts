/**
 * Error codes of the Merkle layer and the argument checks shared by its entry points.
 *
 * - {@link ProofErrorCode} (VerificationError): the proof does not verify for the claimed
 *   parameters.
 * - {@link MerkleInputErrorCode} (MalformedError): an argument of the wrong type or range, or a
 *   hash reader that broke its contract.
 * - {@link MerkleUsageErrorCode} (UsageError): a request the tree cannot answer (an index or size
 *   beyond the tree).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, VerificationError } from '../../errors.js';
import { HASH_SIZE } from './hash.js';

/** Codes of the VerificationErrors thrown by proof verification. */
export type ProofErrorCode =
  | 'PROOF_INDEX_OUT_OF_RANGE'
  | 'PROOF_WRONG_SIZE'
  | 'PROOF_BAD_HASH_LENGTH'
  | 'PROOF_ROOT_MISMATCH'
  | 'PROOF_SIZE_DECREASED'
  | 'PROOF_EMPTY_TREE';

/** Codes of the MalformedErrors thrown by this layer. */
export type MerkleInputErrorCode =
  | 'MERKLE_BAD_INTEGER'
  | 'MERKLE_BAD_ARGUMENT'
  | 'MERKLE_READER_MISMATCH'
  | 'TILE_PATH_MALFORMED'
  | 'TILE_INVALID'
  | 'TILE_DATA_LENGTH'
  | 'ENTRY_BUNDLE_MALFORMED';

/** Codes of the UsageErrors thrown by this layer. */
export type MerkleUsageErrorCode =
  | 'MERKLE_INDEX_OUT_OF_RANGE'
  | 'MERKLE_SIZE_OUT_OF_RANGE'
  | 'TILE_INDEX_NOT_IN_TILE'
  | 'TILE_BEYOND_TREE_SIZE';

/**
 * Checks that `value` is a Uint8Array.
 * @throws MalformedError `MERKLE_BAD_ARGUMENT` otherwise.
 */
export function checkBytes(value: unknown, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new MalformedError<MerkleInputErrorCode>(
      'MERKLE_BAD_ARGUMENT',
      `${field}: got ${value === null ? 'null' : typeof value}, want a Uint8Array`,
      { field },
    );
  }
}

/**
 * Checks that `proof` is an array of Uint8Arrays (lengths are checked by {@link checkProofHashes}).
 * @throws MalformedError `MERKLE_BAD_ARGUMENT` otherwise.
 */
export function checkProofArray(proof: unknown, field = 'proof'): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) {
    throw new MalformedError<MerkleInputErrorCode>(
      'MERKLE_BAD_ARGUMENT',
      `${field}: got ${proof === null ? 'null' : typeof proof}, want an array of hashes`,
      { field },
    );
  }
  for (let i = 0; i < proof.length; i++) {
    // The field name is only built on failure: this runs for every hash of every proof.
    if (!(proof[i] instanceof Uint8Array)) checkBytes(proof[i], `${field}[${i}]`);
  }
}

/**
 * Checks that a hash taking part in a proof is exactly {@link HASH_SIZE} bytes.
 * @throws VerificationError `PROOF_BAD_HASH_LENGTH` otherwise.
 */
export function checkHashLength(hash: Uint8Array, field: string): void {
  if (hash.length !== HASH_SIZE) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_BAD_HASH_LENGTH',
      `${field}: got a ${hash.length}-byte hash, want ${HASH_SIZE} bytes`,
      { field },
    );
  }
}

/**
 * Checks the length of every hash in a proof.
 * @throws VerificationError `PROOF_BAD_HASH_LENGTH` naming the first bad element.
 */
export function checkProofHashes(proof: readonly Uint8Array[], field = 'proof'): void {
  for (let i = 0; i < proof.length; i++) {
    if (proof[i]!.length !== HASH_SIZE) checkHashLength(proof[i]!, `${field}[${i}]`);
  }
}

/**
 * Checks the number of hashes in a proof. `why` explains `want` in the error message; it is only
 * called on failure.
 * @throws VerificationError `PROOF_WRONG_SIZE` with got/want.
 */
export function checkProofLength(proof: readonly Uint8Array[], want: number, why: () => string): void {
  if (proof.length !== want) {
    throw new VerificationError<ProofErrorCode>(
      'PROOF_WRONG_SIZE',
      `proof: got ${proof.length} hashes, want ${want} (${why()})`,
      { field: 'proof' },
    );
  }
}
