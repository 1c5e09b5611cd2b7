/**
 * Entrust nShield key attestation bundles. Re-exports only.
 */
export { NSHIELD_FORMAT, nshieldFormat } from './format.js';
