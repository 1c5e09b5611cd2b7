/**
 * The crypto facade's contract: one small set of synchronous functions over `Uint8Array`,
 * implemented twice (native node:crypto, portable @noble/curves + tweetnacl).
 *
 * Encodings, fixed for every implementation:
 * - Ed25519 (RFC 8032): secret key = 32-byte seed; public key 32 bytes; signature 64 bytes.
 * - ECDSA P-256 with SHA-256 (FIPS 186-5): secret key = 32-byte big-endian scalar; public key SEC1
 *   uncompressed (65 bytes, `04 || X || Y`; verification also accepts 33-byte compressed);
 *   signature raw `r || s`, 64 bytes. `sign`/`verify` hash the message; `signDigest`/`verifyDigest`
 *   take a 32-byte SHA-256 digest (what PKCS#11 `CKM_ECDSA` signs). Verification accepts high-S.
 * - X25519 (RFC 7748): keys 32 bytes; the shared secret is 32 bytes; an all-zero result (small-order
 *   peer key) is an error.
 *
 * A signature that does not verify returns `false`. A key or signature of the wrong length, or a
 * public key that is not on the curve, throws a MalformedError naming the field.
 */

export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

export interface SignatureScheme {
  generateKeyPair(): KeyPair;
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export interface EcdsaScheme extends SignatureScheme {
  signDigest(secretKey: Uint8Array, digest: Uint8Array): Uint8Array;
  verifyDigest(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean;
}

export interface KeyAgreement {
  generateKeyPair(): KeyPair;
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

export interface CryptoBackend {
  readonly name: 'native' | 'portable';
  sha256(data: Uint8Array): Uint8Array;
  randomBytes(length: number): Uint8Array;
  ed25519: SignatureScheme;
  p256: EcdsaScheme;
  x25519: KeyAgreement;
}
