/**
 * The witness statement (Plexi `SignatureMessage`): encoding in both ciphersuites, strict
 * decoding, Ed25519 signing and verification, key IDs. Re-exports only; see docs/statement.md.
 */
export {
  CIPHERSUITE_PROTOBUF_ED25519,
  CIPHERSUITE_BINCODE_ED25519,
  MAX_NAMESPACE_BYTES,
  DIGEST_SIZE,
  MAX_U64,
} from './message.js';
export type { Ciphersuite, SignatureMessage, SignatureMessageInput } from './message.js';
export { MAX_STATEMENT_BYTES, encodeSignatureMessage, decodeSignatureMessage } from './encoding.js';
export { signWitnessStatement, verifyWitnessStatement, statementKeyId } from './signature.js';
export * from './countersign.js';
