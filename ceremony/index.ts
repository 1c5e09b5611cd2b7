/**
 * fleet-ceremony: the library. Re-exports only; see docs/ for the formats.
 *
 * The root carries the verification API third parties call (DESIGN §5). Subpaths give each
 * concern whole: `fleet-ceremony/codec`, `/crypto`, `/tlog`, `/statement`, `/attest`, `/hsm`.
 */
export * from './errors.js';
export * from './tlog/index.js';
export * from './statement/index.js';
export { verifyEvidence } from './verify/index.js';
export type { EvidenceReport, EvidenceCheck, VerifyEvidenceOptions } from './verify/index.js';
export {
  verifyValidationBundle,
  parseTrustFile,
  decodeFleetKeySet,
  fleetKeySetDigest,
} from './bundle/index.js';
export type { Trust, VerifiedBundle, VerifyBundleOptions, FleetKeySet } from './bundle/index.js';
export { verifyAttestation, checkAttestationPolicy } from './attest/index.js';
export type { AttestationResult, KeyAttestation } from './attest/index.js';
