/**
 * Securosys Primus key attestations. Re-exports only.
 */
export { securosysFormat } from './format.js';
export { SECUROSYS_FORMAT, securosysEvidence } from './evidence.js';
