/**
 * The offline evidence verifier (docs/evidence.md): `verifyEvidence` over an in-memory package, and
 * the layout, manifest, SHA256SUMS and signature formats the evidence writer shares with it.
 * Re-exports only. Portable: no `node:` imports.
 */
export { verifyEvidence } from './verify-evidence.js';
export type { VerifyEvidenceOptions } from './verify-evidence.js';
export type { EvidenceCheck, EvidenceReport, EvidenceSubject } from './report.js';
export { CheckRecorder, describeFailure, evidenceReportJson, formatEvidenceReport } from './report.js';
export { CHECKS, EVIDENCE_CODES, checksMarkdown, codesMarkdown } from './checks.js';
export { COVERAGE, coverageMarkdown } from './coverage.js';
export type { CoverageRow } from './coverage.js';
export type { CheckId } from './checks.js';
export {
  EVIDENCE_FILES,
  EVIDENCE_FORMAT,
  MAX_ATTESTATION_STATEMENT_BYTES,
  MAX_CHAIN_PEM_BYTES,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  MAX_EVIDENCE_PATH,
  MAX_FILE_BYTES,
  attestationPaths,
  comparePaths,
  deviceChainPath,
  idSegment,
  isSafeEvidencePath,
  maxFileBytes,
} from './layout.js';
export { parseSums, renderSums } from './sums.js';
export type { SumsEntry } from './sums.js';
export {
  EVIDENCE_SIGNATURE_CONTEXT,
  encodeEvidenceSignature,
  evidenceSignatureMessage,
  findEvidenceSigner,
  verifyEvidenceSignatureWith,
} from './evidence-signature.js';
export type { EvidenceSignatureAlgorithm } from './evidence-signature.js';
export { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-der.js';
export { parseManifest, renderManifest } from './manifest.js';
export type {
  Manifest,
  ManifestAnchors,
  ManifestAttestation,
  ManifestFile,
  ManifestStated,
} from './manifest-types.js';
export { UNLISTED_FILES, buildManifest, manifestFiles, statedOf } from './manifest-build.js';
export { contentSteps } from './content.js';
export type { ContentOptions, EvidenceFacts } from './content.js';
export type { BundleFacts } from './steps-bundle.js';
export type { TranscriptFacts } from './steps-transcript.js';
export type { AttestationFact } from './steps-attestations.js';
export { countersignatureFile, renderFleetKeySetJson } from './steps-files.js';
export { NONCE_OUTPUT, NONCE_STEP_KIND } from './transcript.js';
export type { TranscriptVerification } from './transcript.js';
export { firstDifference } from './steps-package.js';
