/**
 * Verifying a tlog-proof, c2sp.org/tlog-proof ("Verifying a tlog proof"): (1) the leaf hash,
 * (2) the checkpoint's origin and log signature, (3) the cosigner policy, (4) the RFC 6962
 * inclusion proof from the leaf hash to the checkpoint's root hash.
 *
 * Portable: no `node:` imports.
 */
import { UsageError, VerificationError } from '../errors.js';
import { openCheckpoint } from './checkpoint-open.js';
import type { OpenedCheckpoint } from './checkpoint-open.js';
import { requireCosignatures } from './cosignature-policy.js';
import { HASH_SIZE } from './limits.js';
import { checkInclusion, hashLeaf } from './merkle/index.js';
import { parseTlogProof } from './proof.js';
import type { Verifier } from './verifier.js';

/** The logged entry: its RFC 6962 leaf hash, or the entry bytes (hashed with `hashLeaf`). */
export type TlogProofLeaf = { leafHash: Uint8Array } | { entry: Uint8Array };

/** Options of {@link verifyTlogProof}. */
export interface VerifyTlogProofOptions {
  /** The expected checkpoint origin (the log's name). */
  origin?: string;
  /** Cosigner names whose cosignatures count; their verifiers must be in `verifiers`. */
  cosigners?: readonly string[];
  /** How many of `cosigners` must have cosigned (default: 0). */
  quorum?: number;
}

/** What a verified proof establishes. */
export interface VerifiedTlogProof extends OpenedCheckpoint {
  index: bigint;
  leafHash: Uint8Array;
  /** The unauthenticated extra data, if any: do not trust it implicitly. */
  extra?: Uint8Array;
}

function leafHashOf(leaf: TlogProofLeaf): Uint8Array {
  if (
    typeof leaf === 'object' &&
    leaf !== null &&
    'leafHash' in leaf &&
    leaf.leafHash instanceof Uint8Array
  ) {
    if (leaf.leafHash.length !== HASH_SIZE) {
      throw new UsageError(
        'PROOF_LEAF_INVALID',
        `leafHash: got ${leaf.leafHash.length} bytes, want ${HASH_SIZE}`,
        {
          field: 'leafHash',
        },
      );
    }
    return leaf.leafHash;
  }
  if (typeof leaf === 'object' && leaf !== null && 'entry' in leaf && leaf.entry instanceof Uint8Array) {
    return hashLeaf(leaf.entry);
  }
  throw new UsageError('PROOF_LEAF_INVALID', 'leaf: want { leafHash } or { entry } as Uint8Array', {
    field: 'leaf',
  });
}

/**
 * Verifies a tlog-proof for an entry.
 *
 * @param proofText - the proof, text or UTF-8 bytes.
 * @param leaf - `{ leafHash }` (32 bytes) or `{ entry }` (the logged bytes).
 * @param verifiers - the log's key (named as the origin) and the cosigners' keys.
 * @param options - expected origin; cosigner names and quorum.
 * @returns the index, leaf hash, checkpoint and its verified signatures.
 * @throws MalformedError from `parseTlogProof`.
 * @throws VerificationError as `openCheckpoint`, `COSIGNATURE_QUORUM_NOT_MET`,
 *   `PROOF_INDEX_OUT_OF_RANGE` (index ≥ tree size), `PROOF_INCLUSION_INVALID`.
 * @throws UsageError `PROOF_LEAF_INVALID`, `COSIGNATURE_POLICY_INVALID`, as `openNote`.
 */
export function verifyTlogProof(
  proofText: string | Uint8Array,
  leaf: TlogProofLeaf,
  verifiers: readonly Verifier[],
  options: VerifyTlogProofOptions = {},
): VerifiedTlogProof {
  const leafHash = leafHashOf(leaf);
  const parsed = parseTlogProof(proofText);
  const opened = openCheckpoint(parsed.checkpoint, verifiers, { origin: options.origin });
  if (options.cosigners !== undefined || options.quorum !== undefined) {
    requireCosignatures(opened, options.cosigners ?? [], options.quorum ?? 0);
  }
  const { size, rootHash } = opened.checkpoint;
  if (parsed.index >= size) {
    throw new VerificationError(
      'PROOF_INDEX_OUT_OF_RANGE',
      `proof.index: got ${parsed.index}, want < tree size ${size}`,
      {
        field: 'proof.index',
      },
    );
  }
  try {
    checkInclusion(leafHash, parsed.index, size, parsed.proof, rootHash);
  } catch (e) {
    if (!(e instanceof VerificationError)) throw e;
    throw new VerificationError(
      'PROOF_INCLUSION_INVALID',
      `proof.hashes: the inclusion proof of index ${parsed.index} in tree size ${size} does not verify (${e.code}: ${e.message})`,
      { field: 'proof.hashes', cause: e },
    );
  }
  const result: VerifiedTlogProof = { ...opened, index: parsed.index, leafHash };
  if (parsed.extra !== undefined) result.extra = parsed.extra;
  return result;
}
