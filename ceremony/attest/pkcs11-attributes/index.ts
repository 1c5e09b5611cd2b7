/**
 * The `pkcs11-attributes/v1` attestation format: statement encoding (used by the PKCS#11 backend
 * to build statements) and portable verification. Re-exports only.
 */
export { decodePkcs11AttributesStatement } from './decode.js';
export type { DecodedPkcs11Statement } from './decode.js';
export { PKCS11_ALGORITHMS, checkKeyPolicy, keyExportable, keyOrigin } from './policy.js';
export {
  PKCS11_ATTRIBUTES_FORMAT,
  PKCS11_ATTRIBUTES_MAX_BYTES,
  PKCS11_ATTRIBUTES_POP_CONTEXT,
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesPopMessage,
} from './statement.js';
export type {
  Pkcs11AttributesBody,
  Pkcs11KeyAttributes,
  Pkcs11KeyFacts,
  Pkcs11TokenFacts,
} from './statement.js';
export { pkcs11AttributesFormat, verifyPkcs11Attributes } from './verify.js';
