/**
 * The crypto facade's contract: one small set of synchronous functions over `Uint8Array`,
 * implemented twice (native node:crypto, portable @noble/curves; TweetNaCl is the third,
 * independent Ed25519/X25519 implementation the tests compare both with).
 *
 * Encodings, fixed for every implementation:
 * - Ed25519 (RFC 8032): secret key = 32-byte seed; public key 32 bytes; signature 64 bytes.
 * - ECDSA P-256 with SHA-256 (FIPS 186-5): secret key = 32-byte big-endian scalar; public key SEC1
 *   uncompressed (65 bytes, `04 || X || Y`; verification also accepts 33-byte compressed);
 *   signature raw `r || s`, 64 bytes. `sign`/`verify` hash the message; `signDigest`/`verifyDigest`
 *   take a 32-byte SHA-256 digest (what PKCS#11 `CKM_ECDSA` signs). Verification accepts high-S.
 * - X25519 (RFC 7748): keys 32 bytes; the shared secret is 32 bytes; an all-zero result (small-order
 *   peer key) is an error.
 * - ECDH P-256 (SEC 1 v2 §3.3.1): the shared secret is the 32-byte big-endian x-coordinate of
 *   d·Q, exactly what PKCS#11 `CKM_ECDH1_DERIVE` with `CKD_NULL` returns; the peer key is SEC 1
 *   (65 or 33 bytes) and must be on the curve.
 *
 * A signature that does not verify returns `false`. A key or signature of the wrong length, or a
 * public key that is not on the curve, throws a MalformedError naming the field (codes in
 * ./input.ts, `CryptoErrorCode`).
 */

/** A secret key and its public key, in the encodings above. */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** A signature scheme (Ed25519, or ECDSA P-256 over messages). */
export interface SignatureScheme {
  /** A fresh key pair from the backend's CSPRNG. */
  generateKeyPair(): KeyPair;
  /**
   * The public key of `secretKey`.
   *
   * @throws MalformedError `CRYPTO_BAD_LENGTH`; for P-256 also `CRYPTO_BAD_SECRET_KEY`.
   */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /**
   * A signature of `message`.
   *
   * @throws MalformedError `CRYPTO_BAD_TYPE`, `CRYPTO_BAD_LENGTH`; for P-256 `CRYPTO_BAD_SECRET_KEY`.
   */
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * Whether `signature` is valid for `message` under `publicKey`; `false` for any well-formed
   * signature that is wrong.
   *
   * @throws MalformedError `CRYPTO_BAD_TYPE`, `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_PUBLIC_KEY`, and for
   * Ed25519 `CRYPTO_WEAK_PUBLIC_KEY`.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** ECDSA: a signature scheme that can also sign and verify a precomputed SHA-256 digest. */
export interface EcdsaScheme extends SignatureScheme {
  /**
   * A signature of a 32-byte SHA-256 `digest` (no further hashing).
   *
   * @throws MalformedError `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_SECRET_KEY`.
   */
  signDigest(secretKey: Uint8Array, digest: Uint8Array): Uint8Array;
  /**
   * Whether `signature` is valid for a 32-byte SHA-256 `digest`.
   *
   * @throws MalformedError `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_PUBLIC_KEY`.
   */
  verifyDigest(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean;
}

/** ECDSA and ECDH on P-256: the signature scheme plus key agreement with the same keys. */
export interface P256Scheme extends EcdsaScheme {
  /**
   * ECDH (SEC 1 v2 §3.3.1): the 32-byte big-endian x-coordinate of `secretKey · peerPublicKey`,
   * the raw output of PKCS#11 `CKM_ECDH1_DERIVE` with `CKD_NULL` (no KDF applied).
   *
   * @throws MalformedError `CRYPTO_BAD_TYPE`, `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_SECRET_KEY`, and
   *   `CRYPTO_BAD_PUBLIC_KEY` for a peer key that is not SEC 1 or not on the curve (field
   *   `peerPublicKey`).
   */
  sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

/** Diffie-Hellman key agreement (X25519). */
export interface KeyAgreement {
  /** A fresh key pair from the backend's CSPRNG. */
  generateKeyPair(): KeyPair;
  /**
   * The public key of `secretKey`.
   *
   * @throws MalformedError `CRYPTO_BAD_LENGTH`.
   */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /**
   * The 32-byte shared secret.
   *
   * @throws MalformedError `CRYPTO_BAD_LENGTH`, `CRYPTO_ZERO_SHARED_SECRET`.
   */
  sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

/** One implementation of the whole facade. */
export interface CryptoBackend {
  readonly name: 'native' | 'portable';
  /** SHA-256 (FIPS 180-4). @throws MalformedError `CRYPTO_BAD_TYPE`. */
  sha256(data: Uint8Array): Uint8Array;
  /** CSPRNG bytes. @throws UsageError `CRYPTO_BAD_ARGUMENT` for a length outside [0, 2^30]. */
  randomBytes(length: number): Uint8Array;
  ed25519: SignatureScheme;
  p256: P256Scheme;
  x25519: KeyAgreement;
}
