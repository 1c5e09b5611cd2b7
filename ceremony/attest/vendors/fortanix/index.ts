/**
 * Fortanix DSM key attestation statements. Re-exports only.
 */
export { fortanixFormat } from './format.js';
export { FORTANIX_FORMAT, fortanixEvidenceFromJson } from './evidence.js';
