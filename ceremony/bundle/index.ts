/**
 * Fleet key sets and validation bundles, and their client-side verification (docs/formats.md,
 * docs/bundle-verification.md, docs/trust-file.md). Re-exports only.
 */
export type {
  AttestationLevelName,
  FleetHsm,
  FleetKey,
  FleetKeyAlgorithm,
  FleetKeyRole,
  FleetKeySet,
} from './types.js';
export { FLEET_KEY_SET_VERSION } from './types.js';
export {
  MAX_FLEET_HSMS,
  MAX_FLEET_KEY_SET_BYTES,
  MAX_FLEET_KEYS,
  MAX_TIME_MS,
} from './fleet-key-set-schema.js';
export { encodeFleetKeySet, fleetKeySetDigest } from './fleet-key-set.js';
export { decodeFleetKeySet } from './fleet-key-set-decode.js';
export { fleetHsmToJson, fleetKeySetToJson, fleetKeyToJson } from './fleet-key-set-json.js';
export type { FleetHsmJson, FleetKeyJson, FleetKeySetJson } from './fleet-key-set-json.js';
export { diffFleetKeySets } from './fleet-key-set-diff.js';
export type { FieldChange, FleetKeySetDiff, ListDiff } from './fleet-key-set-diff.js';
export {
  WITNESS_LOG_ENTRY_VERSION,
  decodeWitnessLogEntry,
  witnessLogLeaf,
  witnessLogLeafHash,
} from './log-leaf.js';
export type { WitnessLogEntry } from './log-leaf.js';
export {
  MAX_BUNDLE_CHECKPOINT_BYTES,
  MAX_BUNDLE_PROOF_HASHES,
  MAX_VALIDATION_BUNDLE_BYTES,
  VALIDATION_BUNDLE_VERSION,
} from './validation-bundle-schema.js';
export type {
  BundleErrorCode,
  BundleProof,
  ValidationBundle,
  ValidationBundleInput,
} from './validation-bundle-schema.js';
export { decodeValidationBundle, encodeValidationBundle } from './validation-bundle.js';
export { assembleValidationBundle, validationBundleTlogProof } from './assemble.js';
export type { AssembleBundleInput } from './assemble.js';
export { operatorKeyId } from './operator-key.js';
export type { OperatorKeyAlgorithm } from './operator-key.js';
export { MAX_TRUST_FILE_LENGTH, TRUST_FILE_VERSION, attestationRoots, parseTrustFile } from './trust.js';
export type { Trust, TrustedOperatorKey, TrustedWitnessKey } from './trust.js';
export { parseIsoUtc } from './json-reader.js';
export { DEFAULT_MAX_CLOCK_SKEW_MS, verifyValidationBundle } from './verify-bundle.js';
export type { VerifiedBundle, VerifyBundleOptions } from './verify-bundle.js';
export { inspectValidationBundle } from './inspect.js';
export type { BundleInspection } from './inspect.js';
export * from './session/index.js';
