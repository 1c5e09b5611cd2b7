/**
 * The PKCS#11 backend of the {@link Hsm} interface (docs/pkcs11.md), on pkcs11js. Re-exports only.
 */
export { locatePkcs11Module, SOFTHSM_MODULE_CANDIDATES } from './module-path.js';
export { openPkcs11Hsm } from './open.js';
export type { OpenPkcs11Options } from './open.js';
export { listPkcs11Tokens } from './tokens.js';
export type { Pkcs11TokenSummary } from './tokens.js';
