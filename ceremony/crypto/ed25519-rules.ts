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
 * Portable: no `node:` imports.
 */
import { cryptoError } from './input.js';
import { bigintFromLE, bytesEqual } from './bytes.js';

/** The order of the Ed25519 base point, L = 2^252 + 27742317777372353535851937790883648493. */
export const ED25519_L = (1n << 252n) + 27742317777372353535851937790883648493n;

/** The field prime p = 2^255 - 19. */
const P = (1n << 255n) - 19n;

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

/** The y coordinate of a 32-byte point encoding (little-endian, sign bit cleared). */
function yOf(encoded: Uint8Array): bigint {
  const copy = encoded.slice();
  copy[31] = encoded[31]! & 0x7f;
  return bigintFromLE(copy);
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
  const y = yOf(publicKey);
  if (y >= P) {
    throw cryptoError('CRYPTO_BAD_PUBLIC_KEY', field, `ed25519 ${field}: not canonical (y >= 2^255-19)`);
  }
  // x = 0 exactly when y = 1 or y = -1; then the sign bit must be 0 (RFC 8032 §5.1.3 step 4).
  if ((y === 1n || y === P - 1n) && (publicKey[31]! & 0x80) !== 0) {
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
  return bigintFromLE(signature.subarray(32, 64)) < ED25519_L;
}
