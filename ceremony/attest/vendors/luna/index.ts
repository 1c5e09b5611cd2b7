/**
 * Thales Luna Public Key Confirmation bundles. Re-exports only.
 */
export { LUNA_FORMAT, lunaFormat } from './format.js';
