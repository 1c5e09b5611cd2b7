/**
 * ECDSA P-256 rules both backends enforce with the same result (FIPS 186-5 §6.4, SEC 1 v2
 * §2.3.3–2.3.4 and §4.1.4).
 *
 * - Secret key: 32-byte big-endian scalar d with 1 <= d < n, else `CRYPTO_BAD_SECRET_KEY`.
 * - Public key: SEC 1 uncompressed (`04 || X || Y`, 65 bytes) or compressed (`02|03 || X`, 33
 *   bytes); coordinates below p; the point on the curve (checked by each backend's decoder, reported
 *   through {@link p256NotOnCurve} so the message is the same).
 * - Signature `r || s` (64 bytes): r and s outside [1, n-1] make the signature invalid (`false`),
 *   never an exception (SEC 1 §4.1.4 step 1). High S verifies (no low-S rule on verification);
 *   both backends *produce* low-S signatures ({@link toLowS}).
 *
 * Portable: no `node:` imports.
 */
import { bigintFromBE, bigintToBE, compareBE, isAllZero } from './bytes.js';
import { checkBytes, cryptoError } from './input.js';
import type { MalformedError } from '../errors.js';
import type { CryptoErrorCode } from './input.js';

/** Field prime p of P-256 (FIPS 186-5 / SP 800-186 §3.2.1.3). */
export const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
/** Group order n of P-256. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** n as 32 big-endian bytes, for the constant-time secret-scalar range check and signatures. */
const N_BYTES = bigintToBE(P256_N, 32);
/** p as 32 big-endian bytes, for the coordinate range checks. */
const P_BYTES = bigintToBE(P256_P, 32);
/** Zero as 32 bytes. */
const ZERO_BYTES = new Uint8Array(32);

/**
 * Whether a 32-byte secret scalar d satisfies 1 <= d < n. The comparison runs over all 32 bytes
 * whatever their values (a borrow chain), so its timing does not depend on the secret.
 *
 * Precondition: `secretKey.length === 32`.
 */
export function p256ScalarInRange(secretKey: Uint8Array): boolean {
  let borrow = 0;
  for (let i = 31; i >= 0; i--) borrow = (secretKey[i]! - N_BYTES[i]! - borrow) >>> 31;
  // borrow === 1 exactly when d < n.
  return borrow === 1 && !isAllZero(secretKey);
}

/**
 * Asserts 1 <= d < n for a 32-byte secret scalar (see {@link p256ScalarInRange}).
 *
 * Precondition: `secretKey.length === 32`.
 *
 * @throws MalformedError `CRYPTO_BAD_SECRET_KEY` (the message never contains the scalar).
 */
export function checkP256SecretKey(secretKey: Uint8Array, field = 'secretKey'): void {
  if (!p256ScalarInRange(secretKey)) {
    throw cryptoError(
      'CRYPTO_BAD_SECRET_KEY',
      field,
      `p256 ${field}: scalar is 0 or not below the group order n`,
    );
  }
}

/**
 * Asserts the SEC 1 shape of a P-256 public key: 65 bytes starting 0x04 or 33 bytes starting 0x02
 * or 0x03, with coordinates below p. Curve membership is the backend decoder's job.
 *
 * @returns whether the key is compressed.
 * @throws MalformedError `CRYPTO_BAD_TYPE`, `CRYPTO_BAD_LENGTH` or `CRYPTO_BAD_PUBLIC_KEY`.
 */
export function checkP256PublicKeyEncoding(publicKey: unknown, field = 'publicKey'): boolean {
  checkBytes(publicKey, `p256 ${field}`);
  const len = publicKey.length;
  if (len !== 65 && len !== 33) {
    throw cryptoError(
      'CRYPTO_BAD_LENGTH',
      field,
      `p256 ${field}: got ${len} bytes, want 65 (uncompressed) or 33 (compressed)`,
    );
  }
  const prefix = publicKey[0]!;
  const compressed = len === 33;
  if (compressed ? prefix !== 0x02 && prefix !== 0x03 : prefix !== 0x04) {
    const want = compressed ? '0x02 or 0x03' : '0x04';
    const got = `0x${prefix.toString(16).padStart(2, '0')}`;
    throw cryptoError(
      'CRYPTO_BAD_PUBLIC_KEY',
      field,
      `p256 ${field}: first byte ${got}, want ${want} for ${len} bytes`,
    );
  }
  if (compareBE(publicKey, P_BYTES, 1) >= 0) {
    throw cryptoError('CRYPTO_BAD_PUBLIC_KEY', field, `p256 ${field}: x coordinate not below p`);
  }
  if (!compressed && compareBE(publicKey, P_BYTES, 33) >= 0) {
    throw cryptoError('CRYPTO_BAD_PUBLIC_KEY', field, `p256 ${field}: y coordinate not below p`);
  }
  return compressed;
}

/** The error both backends throw when their decoder finds the point is not on P-256. */
export function p256NotOnCurve(field = 'publicKey'): MalformedError<CryptoErrorCode> {
  return cryptoError('CRYPTO_BAD_PUBLIC_KEY', field, `p256 ${field}: not a point on the curve`);
}

/**
 * Whether r and s of a raw 64-byte `r || s` signature both lie in [1, n-1] (SEC 1 §4.1.4 step 1).
 *
 * Precondition: `signature.length === 64`.
 */
export function p256SignatureInRange(signature: Uint8Array): boolean {
  // Byte comparisons, not BigInt: this runs on every verification (signatures are public).
  return (
    compareBE(signature, ZERO_BYTES, 0) > 0 &&
    compareBE(signature, N_BYTES, 0) < 0 &&
    compareBE(signature, ZERO_BYTES, 32) > 0 &&
    compareBE(signature, N_BYTES, 32) < 0
  );
}

/**
 * The low-S form of a valid raw signature: s is replaced by n - s when s > n/2. Both `(r, s)` and
 * `(r, n - s)` verify; emitting one form makes signatures acceptable to verifiers that insist on it.
 *
 * Precondition: `signature` is 64 bytes with 1 <= s < n.
 */
export function toLowS(signature: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(signature);
  const s = bigintFromBE(signature.subarray(32, 64));
  if (s > P256_N >> 1n) out.set(bigintToBE(P256_N - s, 32), 32);
  return out;
}
