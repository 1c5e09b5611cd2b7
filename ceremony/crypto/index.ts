/**
 * The crypto facade: SHA-256, Ed25519, ECDSA P-256 and X25519 behind one small set of
 * synchronous functions over `Uint8Array` (encodings in ./types.ts, docs/crypto.md).
 *
 * Native is used where available: the first call picks {@link nativeBackend} (node:crypto, fetched
 * at run time, self-tested) and falls back to {@link portable} (@noble/curves) in browsers and
 * other runtimes. Both enforce the same checks and throw the same errors; tests and benchmarks
 * switch with {@link setCryptoBackend}.
 *
 * Apart from the facade functions below, this file only re-exports.
 */
import { nativeBackend } from './native.js';
import { portable } from './portable.js';
import type { CryptoBackend, KeyAgreement, P256Scheme, SignatureScheme } from './types.js';

export type {
  CryptoBackend,
  EcdsaScheme,
  KeyAgreement,
  KeyPair,
  P256Scheme,
  SignatureScheme,
} from './types.js';
export type { CryptoErrorCode } from './input.js';
export type { PublicKeyAlgorithm } from './public-key.js';
export type { SpkiAlgorithm, SpkiPublicKey } from './spki.js';
export { checkPublicKey } from './public-key.js';
export { decodeSpki, encodeSpki, MAX_SPKI_BYTES } from './spki.js';
export { nativeBackend } from './native.js';
export { portable } from './portable.js';

let active: CryptoBackend | undefined;

function current(): CryptoBackend {
  return (active ??= nativeBackend() ?? portable);
}

/** The backend in use: `native` under Node (>= 20.16) when its self-test passes, else `portable`. */
export function cryptoBackend(): CryptoBackend {
  return current();
}

/**
 * Replaces the backend behind the facade (tests, benchmarks). Returns the previous one, so callers
 * can restore it in a `finally`.
 */
export function setCryptoBackend(backend: CryptoBackend): CryptoBackend {
  const previous = current();
  active = backend;
  return previous;
}

/**
 * SHA-256 (FIPS 180-4) of `data`: 32 bytes.
 *
 * @throws MalformedError `CRYPTO_BAD_TYPE` if `data` is not a Uint8Array.
 */
export function sha256(data: Uint8Array): Uint8Array {
  return current().sha256(data);
}

/**
 * `length` bytes from the platform CSPRNG (OpenSSL's, or Web Crypto's getRandomValues).
 *
 * @throws UsageError `CRYPTO_BAD_ARGUMENT` unless `length` is an integer in [0, 2^30].
 */
export function randomBytes(length: number): Uint8Array {
  return current().randomBytes(length);
}

/**
 * Ed25519 (RFC 8032 §5.1): 32-byte seed, 32-byte public key, 64-byte signature. `verify` returns
 * false for a wrong signature (including S >= L) and throws MalformedError for a malformed input:
 * `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_PUBLIC_KEY` (not canonical, off the curve),
 * `CRYPTO_WEAK_PUBLIC_KEY` (small order).
 */
export const ed25519: SignatureScheme = {
  generateKeyPair: () => current().ed25519.generateKeyPair(),
  getPublicKey: (sk) => current().ed25519.getPublicKey(sk),
  sign: (sk, m) => current().ed25519.sign(sk, m),
  verify: (pk, m, s) => current().ed25519.verify(pk, m, s),
};

/**
 * ECDSA P-256 with SHA-256 (FIPS 186-5): 32-byte scalar, SEC 1 public key (65 bytes, or 33
 * compressed on input), raw `r || s` signatures (low-S when produced; high-S accepted). Throws
 * MalformedError `CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_SECRET_KEY` or `CRYPTO_BAD_PUBLIC_KEY`; a
 * wrong signature (r or s out of range included) verifies as false.
 *
 * `sharedSecret` is ECDH on the same curve (SEC 1 §3.3.1): the 32-byte x-coordinate, as PKCS#11
 * `CKM_ECDH1_DERIVE` with `CKD_NULL` gives it; a peer key off the curve is `CRYPTO_BAD_PUBLIC_KEY`.
 */
export const p256: P256Scheme = {
  generateKeyPair: () => current().p256.generateKeyPair(),
  getPublicKey: (sk) => current().p256.getPublicKey(sk),
  sign: (sk, m) => current().p256.sign(sk, m),
  verify: (pk, m, s) => current().p256.verify(pk, m, s),
  signDigest: (sk, d) => current().p256.signDigest(sk, d),
  verifyDigest: (pk, d, s) => current().p256.verifyDigest(pk, d, s),
  sharedSecret: (sk, pk) => current().p256.sharedSecret(sk, pk),
};

/**
 * X25519 (RFC 7748): 32-byte keys and shared secret. `sharedSecret` throws MalformedError
 * `CRYPTO_ZERO_SHARED_SECRET` for a low-order peer key (RFC 7748 §6.1).
 */
export const x25519: KeyAgreement = {
  generateKeyPair: () => current().x25519.generateKeyPair(),
  getPublicKey: (sk) => current().x25519.getPublicKey(sk),
  sharedSecret: (sk, pk) => current().x25519.sharedSecret(sk, pk),
};
