/**
 * Crypto4A QASM attestation messages. Re-exports only.
 */
export { CRYPTO4A_FORMAT, crypto4aFormat } from './format.js';
