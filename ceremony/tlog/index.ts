/**
 * Transparency-log formats: RFC 9162 Merkle hashing and proofs (./merkle), C2SP signed notes,
 * verifier and signer keys, checkpoints, cosignatures and tlog-proof. Re-exports only; see
 * docs/tlog.md and docs/tlog-merkle.md.
 */
export * from './merkle/index.js';
export {
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  MAX_PROOF_BYTES,
  MAX_PROOF_HASHES,
  HASH_SIZE,
} from './limits.js';
export { isValidKeyName, keyIdFor, formatKeyId } from './key-id.js';
export {
  SIGNATURE_TYPE_ED25519,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  ed25519Verifier,
  ed25519Signer,
} from './verifier.js';
export type { Verifier, Signer } from './verifier.js';
export { parseVerifierKey, formatVerifierKey } from './vkey.js';
export { generateSignerKey, parseSignerKey } from './signer-key.js';
export type { GeneratedSignerKey } from './signer-key.js';
export { parseNote, SIGNATURE_PREFIX } from './note-parse.js';
export type { ParsedNote, NoteSignatureLine } from './note-parse.js';
export { openNote } from './note-open.js';
export type { OpenedNote, VerifiedSignature, UnverifiedSignature } from './note-open.js';
export { signNote, appendNoteSignatures } from './note-sign.js';
export { parseCheckpoint, formatCheckpoint } from './checkpoint.js';
export type { Checkpoint, CheckpointInput } from './checkpoint.js';
export { openCheckpoint } from './checkpoint-open.js';
export type { OpenCheckpointOptions, OpenedCheckpoint } from './checkpoint-open.js';
export {
  COSIGNATURE_V1_SIZE,
  MAX_COSIGNATURE_TIMESTAMP,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosignatureSigner,
} from './cosignature.js';
export type { CosignatureSignerOptions } from './cosignature.js';
export { requireCosignatures } from './cosignature-policy.js';
export { TLOG_PROOF_HEADER, parseTlogProof, formatTlogProof } from './proof.js';
export type { TlogProof, TlogProofInput } from './proof.js';
export { verifyTlogProof } from './proof-verify.js';
export type { TlogProofLeaf, VerifyTlogProofOptions, VerifiedTlogProof } from './proof-verify.js';
