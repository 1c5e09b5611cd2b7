/**
 * Ed25519 rules both backends enforce with the same result (RFC 8032 §5.1): one verification
 * policy, whatever library does the arithmetic.
 *
 * - Public key A: 32 bytes, canonical (y < p, and no "negative zero" x: RFC 8032 §5.1.3 step 4),
 *   and not one of the 8 small-order points. A small-order A would let one signature verify for
 *   many messages, so it is refused as `CRYPTO_WEAK_PUBLIC_KEY` (as libsodium and noble's strict
 *   mode do). Whether A is on the curve at all is checked by each backend's decoder.
 * - Signature `R || S`: S must be below the group order L (RFC 8032 §5.1.7 step 1, and §8.4 on
 *   malleability); otherwise the signature is invalid (`false`), not malformed.
 * - The verification equation is the cofactorless `[S]B = R + [k]A`, compared on the encoding of R
 *   (RFC 8032 §5.1.7 allows it; OpenSSL, libsodium, Go and TweetNaCl use it), so a non-canonical
 *   R never verifies.
 *
 * The range checks compare bytes (./bytes.ts compareLE) rather than BigInts: they run on every
 * verification, and a BigInt per byte was measurable garbage on the client's bundle check.
 *
 * Portable: no `node:` imports.
 */
import { cryptoError } from './input.js';
import { bigintToLE, bytesEqual, compareLE } from './bytes.js';

/** The order of the Ed25519 base point, L = 2^252 + 27742317777372353535851937790883648493. */
export const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

/** The field prime p = 2^255 - 19. */
const P = (1n << 255n) - 19n;

/** L, p, 1 and p - 1 as 32 little-endian bytes, for the byte comparisons below. */
const L_LE = bigintToLE(ED25519_L, 32);
const P_LE = bigintToLE(P, 32);
const ONE_LE = bigintToLE(1n, 32);
const P_MINUS_ONE_LE = bigintToLE(P - 1n, 32);

/** Canonical encodings of the 8 points of order dividing 8 (the torsion subgroup). */
const SMALL_ORDER_HEX = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2 (y = -1)
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4 (y = 0)
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4 (y = 0, x odd)
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
];

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The canonical encodings of the small-order points, for tests and documentation. */
export const ED25519_SMALL_ORDER_POINTS: readonly Uint8Array[] = SMALL_ORDER_HEX.map(fromHex);

/**
 * Compares the y coordinate of a 32-byte point encoding (little-endian, sign bit 255 cleared)
 * with the 32-byte little-endian `value`: negative, zero or positive.
 */
function compareY(encoded: Uint8Array, value: Uint8Array): number {
  return compareLE(encoded, value, 0, 0x7f);
}

/**
 * Asserts that a 32-byte Ed25519 public key is canonical and not of small order.
 *
 * Precondition: `publicKey.length === 32` (checked by the caller with checkLength).
 *
 * @throws MalformedError `CRYPTO_BAD_PUBLIC_KEY` if y >= p or x = 0 carries the sign bit
 * (RFC 8032 §5.1.3); `CRYPTO_WEAK_PUBLIC_KEY` if it encodes a small-order point.
 */
export function checkEd25519PublicKeyEncoding(publicKey: Uint8Array, field = 'publicKey'): void {
  if (compareY(publicKey, P_LE) >= 0) {
    throw cryptoError('CRYPTO_BAD_PUBLIC_KEY', field, `ed25519 ${field}: not canonical (y >= 2^255-19)`);
  }
  // x = 0 exactly when y = 1 or y = -1; then the sign bit must be 0 (RFC 8032 §5.1.3 step 4).
  if (
    (publicKey[31]! & 0x80) !== 0 &&
    (compareY(publicKey, ONE_LE) === 0 || compareY(publicKey, P_MINUS_ONE_LE) === 0)
  ) {
    throw cryptoError(
      'CRYPTO_BAD_PUBLIC_KEY',
      field,
      `ed25519 ${field}: not canonical (x = 0 with the sign bit set)`,
    );
  }
  for (const small of ED25519_SMALL_ORDER_POINTS) {
    if (bytesEqual(publicKey, small)) {
      throw cryptoError('CRYPTO_WEAK_PUBLIC_KEY', field, `ed25519 ${field}: a small-order point`);
    }
  }
}

/**
 * Whether the S half of a 64-byte Ed25519 signature is below L (RFC 8032 §5.1.7 step 1).
 *
 * Precondition: `signature.length === 64`.
 */
export function ed25519SInRange(signature: Uint8Array): boolean {
  return compareLE(signature, L_LE, 32) < 0;
}
