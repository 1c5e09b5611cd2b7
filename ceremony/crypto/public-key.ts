/**
 * Validation of a raw public key as our formats carry it (fleet key sets, attestations,
 * SubjectPublicKeyInfo): the key must be one a verifier or a peer can use, in its one canonical
 * encoding.
 *
 * - `ed25519`: 32 bytes, canonical, on the curve, not of small order (RFC 8032 §5.1.3).
 * - `x25519`: 32 bytes, top bit clear and u < p (the canonical form of RFC 7748 §5), and not one of
 *   the low-order u that force an all-zero shared secret (RFC 7748 §6.1).
 * - `p256`: SEC 1 uncompressed (65 bytes) or compressed (33 bytes), on the curve (SEC 1 §2.3.4).
 *
 * Portable: no `node:` imports.
 */
import { checkEd25519PublicKeyEncoding } from './ed25519-rules.js';
import { checkLength, cryptoError } from './input.js';
import { checkP256PublicKeyEncoding, p256NotOnCurve } from './p256-rules.js';
import { decodeEd25519Point } from './portable.js';
import { x25519IsCanonical, x25519IsLowOrder } from './x25519-rules.js';
import { p256 as nP } from '@noble/curves/nist.js';

/** The public-key algorithms of the crypto facade. */
export type PublicKeyAlgorithm = 'ed25519' | 'x25519' | 'p256';

/**
 * Asserts that `publicKey` is a valid, canonical public key for `algorithm`.
 *
 * @param field - parameter name reported in errors (default `publicKey`).
 * @throws MalformedError `CRYPTO_BAD_TYPE`, `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_PUBLIC_KEY` (not
 * canonical, not on the curve) or `CRYPTO_WEAK_PUBLIC_KEY` (small or low order).
 * @example checkPublicKey('ed25519', key, 'keys[2].publicKey')
 */
export function checkPublicKey(algorithm: PublicKeyAlgorithm, publicKey: unknown, field = 'publicKey'): void {
  switch (algorithm) {
    case 'ed25519':
      checkLength(publicKey, 32, `ed25519 ${field}`);
      checkEd25519PublicKeyEncoding(publicKey, field);
      decodeEd25519Point(publicKey, field);
      return;
    case 'x25519':
      checkLength(publicKey, 32, `x25519 ${field}`);
      if (!x25519IsCanonical(publicKey)) {
        throw cryptoError(
          'CRYPTO_BAD_PUBLIC_KEY',
          field,
          `x25519 ${field}: not canonical (top bit set or u >= 2^255-19)`,
        );
      }
      if (x25519IsLowOrder(publicKey)) {
        throw cryptoError(
          'CRYPTO_WEAK_PUBLIC_KEY',
          field,
          `x25519 ${field}: a low-order point (RFC 7748 §6.1)`,
        );
      }
      return;
    case 'p256':
      checkP256PublicKeyEncoding(publicKey, field);
      try {
        nP.Point.fromBytes(publicKey as Uint8Array);
      } catch {
        throw p256NotOnCurve(field);
      }
      return;
    default:
      throw cryptoError(
        'CRYPTO_BAD_ARGUMENT',
        'algorithm',
        `public key algorithm: got ${String(algorithm)}, want ed25519, x25519 or p256`,
      );
  }
}
