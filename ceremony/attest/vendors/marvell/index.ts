/**
 * Marvell LiquidSecurity key attestations (Google Cloud HSM, Azure Managed HSM). Re-exports only.
 */
export { marvellFormat } from './format.js';
export { CHAIN_ROLES, MARVELL_FORMAT, marvellEvidenceFromGzip } from './evidence.js';
