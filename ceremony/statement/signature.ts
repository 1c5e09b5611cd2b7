/**
 * Signing and verifying witness statements: Ed25519 (RFC 8032) over the encoded
 * `SignatureMessage`, as Plexi's `SignatureResponse::verify` does for both ciphersuites. The key
 * ID Plexi reports is the last byte of the 32-byte public key.
 *
 * Portable: no `node:` imports.
 */
import { ed25519 } from '../crypto/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { decodeSignatureMessage, encodeSignatureMessage } from './encoding.js';
import type { SignatureMessageInput } from './message.js';

/** Length of an Ed25519 public key and of a witness statement signature. */
const PUBLIC_KEY_SIZE = 32;
const SIGNATURE_SIZE = 64;

/**
 * Signs a witness statement. Encoded input is decoded strictly first, so only a well-formed
 * statement is ever signed.
 *
 * @param message - the encoded statement, or a statement to encode.
 * @param secretKey - the witness's 32-byte Ed25519 seed (not kept, not logged).
 * @returns the 64-byte Ed25519 signature.
 * @throws MalformedError from `decodeSignatureMessage`; UsageError from `encodeSignatureMessage`
 *   and `STATEMENT_KEY_INVALID` for a secret key that is not 32 bytes.
 */
export function signWitnessStatement(
  message: Uint8Array | SignatureMessageInput,
  secretKey: Uint8Array,
): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new UsageError('STATEMENT_KEY_INVALID', 'secretKey: want a 32-byte Ed25519 seed', {
      field: 'secretKey',
    });
  }
  let bytes: Uint8Array;
  if (message instanceof Uint8Array) {
    decodeSignatureMessage(message);
    bytes = message;
  } else {
    bytes = encodeSignatureMessage(message);
  }
  return ed25519.sign(secretKey, bytes);
}

/**
 * Verifies a witness statement signature. The message must decode strictly (either ciphersuite).
 *
 * @param message - the encoded statement, as signed.
 * @param signature - 64-byte Ed25519 signature.
 * @param publicKey - the witness's pinned 32-byte Ed25519 public key.
 * @returns whether the signature is valid.
 * @throws MalformedError from `decodeSignatureMessage`, `STATEMENT_SIGNATURE_INVALID_LENGTH`
 *   (signature not 64 bytes), `STATEMENT_KEY_INVALID` (public key not 32 bytes).
 */
export function verifyWitnessStatement(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  decodeSignatureMessage(message);
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_SIZE) {
    throw new MalformedError(
      'STATEMENT_SIGNATURE_INVALID_LENGTH',
      `signature: want ${SIGNATURE_SIZE} bytes`,
      {
        field: 'signature',
      },
    );
  }
  checkPublicKey(publicKey);
  try {
    return ed25519.verify(publicKey, message, signature);
  } catch {
    return false; // a public key or R that does not decode is not a valid signature
  }
}

/**
 * The key ID of a witness statement key: the last byte of the 32-byte public key (Plexi's
 * `key_id`).
 *
 * @throws MalformedError `STATEMENT_KEY_INVALID` for a key that is not 32 bytes.
 * @example statementKeyId(publicKey) // 188 for the Plexi test vector key ...a9bc
 */
export function statementKeyId(publicKey: Uint8Array): number {
  checkPublicKey(publicKey);
  return publicKey[PUBLIC_KEY_SIZE - 1]!;
}

function checkPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_SIZE) {
    throw new MalformedError('STATEMENT_KEY_INVALID', `publicKey: want ${PUBLIC_KEY_SIZE} bytes`, {
      field: 'publicKey',
    });
  }
}
