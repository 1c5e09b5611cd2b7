/**
 * Key shares of the session handshake (docs/session-protocol.md, "Key shares"): ephemeral key
 * pairs, the validation of a peer's share, and Diffie-Hellman, for both session algorithms,
 * through the crypto facade.
 *
 * - X25519 (RFC 7748): 32-byte shares; a share must be canonical (top bit clear, u < p) and not of
 *   low order (which would force an all-zero secret, RFC 7748 §6.1).
 * - P-256 (SEC 1 v2 §3.3.1): 65-byte uncompressed shares on the curve; the secret is the 32-byte
 *   x-coordinate, as PKCS#11 `CKM_ECDH1_DERIVE` with `CKD_NULL` returns it.
 *
 * Portable: no `node:` imports.
 */
import { checkPublicKey, p256, x25519 } from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';
import { isCeremonyError, MalformedError } from '../../errors.js';
import { SHARE_LENGTHS } from './protocol.js';
import type { SessionAlgorithm, SessionErrorCode } from './protocol.js';

/** A fresh ephemeral key pair for `algorithm` from the platform CSPRNG. */
export function generateShare(algorithm: SessionAlgorithm): KeyPair {
  return algorithm === 'x25519' ? x25519.generateKeyPair() : p256.generateKeyPair();
}

/**
 * Asserts that `share` is a usable public key share for `algorithm`.
 *
 * @throws MalformedError `SESSION_SHARE_INVALID` naming `field`, the crypto error as cause.
 */
export function checkShare(algorithm: SessionAlgorithm, share: Uint8Array, field: string): void {
  const want = SHARE_LENGTHS[algorithm];
  const fail = (reason: string, cause?: unknown): never => {
    throw new MalformedError<SessionErrorCode>('SESSION_SHARE_INVALID', `${field}: ${reason}`, {
      field,
      cause,
    });
  };
  if (!(share instanceof Uint8Array) || share.length !== want) {
    fail(`got ${share instanceof Uint8Array ? share.length : 0} bytes, want ${want} for ${algorithm}`);
  }
  try {
    checkPublicKey(algorithm, share, field);
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    const reason = e.message.replace(/^(x25519|p256) [^:]*: /, '');
    fail(`not a valid ${algorithm} public key: ${reason} (${e.code})`, e);
  }
}

/**
 * Diffie-Hellman of our `secretKey` with a peer share that passed {@link checkShare}: 32 bytes.
 * The caller wipes the result after use.
 */
export function agree(algorithm: SessionAlgorithm, secretKey: Uint8Array, peer: Uint8Array): Uint8Array {
  return algorithm === 'x25519' ? x25519.sharedSecret(secretKey, peer) : p256.sharedSecret(secretKey, peer);
}

/** Whether `a` names a session algorithm. */
export function isSessionAlgorithm(a: unknown): a is SessionAlgorithm {
  return a === 'x25519' || a === 'p256';
}
