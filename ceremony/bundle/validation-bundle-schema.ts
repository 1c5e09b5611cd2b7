/**
 * The validation bundle's types, wire keys, bounds and error codes (docs/formats.md, "Validation
 * bundle"; docs/bundle-verification.md for the codes).
 *
 * Portable: no `node:` imports.
 */

/** Format version of the validation bundle encoding this code writes. */
export const VALIDATION_BUNDLE_VERSION = 1;

/** Top-level map keys. */
export const BUNDLE_KEYS = {
  version: 0,
  fleetKeySet: 1,
  statement: 2,
  witnessSignature: 3,
  witnessKeyId: 4,
  countersignature: 5,
  operatorKeyId: 6,
  proof: 7,
} as const;

/** Keys of the `proof` map: the C2SP tlog-proof in binary form (no `extra`). */
export const PROOF_KEYS = { index: 0, hashes: 1, checkpoint: 2 } as const;

/** Largest checkpoint note carried in a bundle, in UTF-8 bytes (room for many cosignatures). */
export const MAX_BUNDLE_CHECKPOINT_BYTES = 65_536;
/** Largest encoded bundle: a maximal fleet key set plus 128 KiB for the rest. */
export const MAX_VALIDATION_BUNDLE_BYTES = (1 << 20) + (1 << 17);
/** Most inclusion proof hashes (a tree of at most 2^63 − 1 leaves). */
export const MAX_BUNDLE_PROOF_HASHES = 63;

/** The inclusion proof of a validation bundle: the C2SP tlog-proof fields. */
export interface BundleProof {
  /** Index of the witness log entry, 0 … 2^63 − 1. */
  index: bigint;
  /** Inclusion proof hashes, 32 bytes each, from the leaf's sibling up. */
  hashes: Uint8Array[];
  /** The signed checkpoint note, verbatim (log signature and any cosignatures). */
  checkpoint: string;
}

/** A decoded validation bundle: the parts as carried; nothing here is verified. */
export interface ValidationBundle {
  version: number;
  /** The encoded fleet key set, exactly as its digest was signed. */
  fleetKeySet: Uint8Array;
  /** The encoded witness statement (Plexi `SignatureMessage`), exactly as signed. */
  statement: Uint8Array;
  /** The witness's 64-byte Ed25519 signature over `statement`. */
  witnessSignature: Uint8Array;
  /** Plexi key id of the witness key: the last byte of its public key. */
  witnessKeyId: number;
  /** The operator's 64-byte counter-signature (Ed25519 or P-256 `r || s`). */
  countersignature: Uint8Array;
  /** `operatorKeyId(algorithm, publicKey)` of the counter-signing key. */
  operatorKeyId: number;
  proof: BundleProof;
}

/** What the encoder takes: the index may be a number. */
export interface ValidationBundleInput extends Omit<ValidationBundle, 'version' | 'proof'> {
  proof: Omit<BundleProof, 'index'> & { index: bigint | number };
}

/**
 * The reason codes of `verifyValidationBundle`, one per failed check, in the order checked
 * (docs/bundle-verification.md). Malformed input gives a MalformedError (CLI exit 2), every other
 * refusal a VerificationError (exit 1); the error's `cause` carries the underlying code.
 */
export type BundleErrorCode =
  | 'BUNDLE_MALFORMED'
  | 'BUNDLE_VERSION_UNSUPPORTED'
  | 'BUNDLE_FLEET_KEY_SET_MALFORMED'
  | 'BUNDLE_STATEMENT_MALFORMED'
  | 'BUNDLE_CHECKPOINT_MALFORMED'
  | 'BUNDLE_DIGEST_MISMATCH'
  | 'BUNDLE_NAMESPACE_MISMATCH'
  | 'BUNDLE_EPOCH_MISMATCH'
  | 'BUNDLE_NAMESPACE_UNEXPECTED'
  | 'BUNDLE_WITNESS_KEY_UNKNOWN'
  | 'BUNDLE_WITNESS_KEY_NOT_YET_VALID'
  | 'BUNDLE_WITNESS_KEY_EXPIRED'
  | 'BUNDLE_WITNESS_SIGNATURE_INVALID'
  | 'BUNDLE_STATEMENT_IN_FUTURE'
  | 'BUNDLE_OPERATOR_KEY_UNKNOWN'
  | 'BUNDLE_OPERATOR_KEY_NOT_VALID'
  | 'BUNDLE_COUNTERSIGNATURE_INVALID'
  | 'BUNDLE_CHECKPOINT_ORIGIN_MISMATCH'
  | 'BUNDLE_CHECKPOINT_SIGNATURE_INVALID'
  | 'BUNDLE_COSIGNATURE_INVALID'
  | 'BUNDLE_COSIGNER_QUORUM'
  | 'BUNDLE_LOG_INDEX_OUT_OF_RANGE'
  | 'BUNDLE_INCLUSION_INVALID'
  | 'BUNDLE_NOT_YET_VALID'
  | 'BUNDLE_EXPIRED'
  | 'BUNDLE_EMULATED_IN_PRODUCTION'
  | 'BUNDLE_ROLLBACK'
  | 'BUNDLE_EQUIVOCATION';
