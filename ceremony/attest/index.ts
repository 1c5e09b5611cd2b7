/**
 * Attestation: the formats that prove a fleet key was generated inside an HSM, verified through one
 * entry point to one normalised result (docs/attestation.md). Re-exports only.
 */
export type {
  AssuranceLevel,
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
  KeyOrigin,
  VerificationTimeSource,
} from './types.js';
export { ATTESTATION_CODES, failure } from './codes.js';
export type { AttestationCode } from './codes.js';
export { verifyAttestation } from './verify.js';
export { attestationFormats, findAttestationFormat, registerAttestationFormat } from './registry.js';
export { canonicalSerial, checkAttestationPolicy, sameSerial } from './policy.js';
export type { AttestationPolicy, AttestationProfile } from './policy.js';
export { challengeFailures, failedResult, finish, keyPropertyFailures, pathOf } from './result.js';
export { emulatedFormat, verifyEmulatedAttestation } from './emulated/verify.js';
export { EMULATED_FORMAT, EMULATED_MARKER_TEXT } from './emulated/oids.js';
export { YUBIHSM2_FORMAT, verifyYubiHsm2Attestation, yubihsm2Format } from './vendors/yubihsm2.js';
export { YUBIKEY_PIV_FORMAT, verifyYubiKeyPivAttestation, yubikeyPivFormat } from './vendors/yubikey-piv.js';
export { MARVELL_FORMAT, marvellEvidenceFromGzip, marvellFormat } from './vendors/marvell/index.js';
export { LUNA_FORMAT, lunaFormat } from './vendors/luna/index.js';
export { SECUROSYS_FORMAT, securosysEvidence, securosysFormat } from './vendors/securosys/index.js';
export { CRYPTO4A_FORMAT, crypto4aFormat } from './vendors/crypto4a/index.js';
export { NSHIELD_FORMAT, nshieldFormat } from './vendors/nshield/index.js';
export { FORTANIX_FORMAT, fortanixEvidenceFromJson, fortanixFormat } from './vendors/fortanix/index.js';
export {
  INTAKE_FORMATS,
  MAX_INTAKE_FILES,
  MAX_INTAKE_FILE_BYTES,
  attestationFromFiles,
  detectAttestationFormat,
} from './intake.js';
export type { AttestationFile } from './intake.js';
