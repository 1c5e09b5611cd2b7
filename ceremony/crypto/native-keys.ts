/**
 * node:crypto KeyObjects from the facade's raw key encodings, for the native backend.
 *
 * Keys are imported as JWK (RFC 7517; OKP keys per RFC 8037 §2, EC keys per RFC 7518 §6.2), not
 * as PKCS#8/SPKI DER: on Node 20 with OpenSSL 3.0 a DER import goes through the generic decoder
 * framework and measured about 10x slower (≈1 ms for a PKCS#8 key against ≈0.1 ms for the JWK),
 * which would make a native signature slower than a portable one.
 *
 * The cost: the secret travels through a base64url JS string for the import. JS strings are
 * immutable and cannot be wiped; the string becomes unreachable when the call returns. OpenSSL
 * clears its own copy of the key when the KeyObject is freed.
 *
 * This module is only ever handed the node:crypto module by ./native.ts; it imports it as a type.
 */
import type * as NodeCrypto from 'node:crypto';
import { base64UrlDecode, base64UrlEncode } from './bytes.js';
import { p256NotOnCurve } from './p256-rules.js';

/** The node:crypto module, as process.getBuiltinModule returns it. */
export type NodeCryptoModule = typeof NodeCrypto;
/** A node:crypto KeyObject. */
export type KeyObject = NodeCrypto.KeyObject;

/**
 * Node 20 insists on the JWK `x` member for a private OKP key but derives the public key from `d`
 * alone (EVP_PKEY_new_raw_private_key) and ignores `x`. We do not have `x` before importing `d`,
 * so we pass this placeholder. Should a Node release start trusting `x`, Ed25519 signatures would
 * come out wrong: the native backend's known-answer self-test (./self-test.ts) catches that, and
 * the facade then falls back to the portable backend.
 */
const PLACEHOLDER_X = base64UrlEncode(new Uint8Array(32));

/** A private X25519 or Ed25519 KeyObject from a 32-byte secret key. */
export function okpPrivateKey(
  nc: NodeCryptoModule,
  crv: 'Ed25519' | 'X25519',
  secretKey: Uint8Array,
): KeyObject {
  const jwk = { kty: 'OKP', crv, d: base64UrlEncode(secretKey), x: PLACEHOLDER_X };
  return nc.createPrivateKey({ key: jwk, format: 'jwk' });
}

/** A public X25519 or Ed25519 KeyObject from its 32 raw bytes (not validated by Node). */
export function okpPublicKey(
  nc: NodeCryptoModule,
  crv: 'Ed25519' | 'X25519',
  publicKey: Uint8Array,
): KeyObject {
  return nc.createPublicKey({ key: { kty: 'OKP', crv, x: base64UrlEncode(publicKey) }, format: 'jwk' });
}

/** The 32 raw public-key bytes of an OKP private key. */
export function okpRawPublicKey(nc: NodeCryptoModule, privateKey: KeyObject): Uint8Array {
  const jwk = nc.createPublicKey(privateKey).export({ format: 'jwk' });
  return base64UrlDecode(String(jwk.x));
}

/**
 * The uncompressed P-256 public key (65 bytes) of a valid secret scalar, via ECDH's public-key
 * computation (one fixed-base multiplication in OpenSSL).
 *
 * Precondition: the scalar passed checkP256SecretKey.
 */
export function p256PublicFromSecret(nc: NodeCryptoModule, secretKey: Uint8Array): Uint8Array {
  const ecdh = nc.createECDH('prime256v1');
  ecdh.setPrivateKey(secretKey);
  return new Uint8Array(ecdh.getPublicKey());
}

/**
 * A private P-256 KeyObject. Node validates that (x, y) belongs to d, so the caller passes the
 * public key computed by {@link p256PublicFromSecret}.
 */
export function p256PrivateKey(
  nc: NodeCryptoModule,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): KeyObject {
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    d: base64UrlEncode(secretKey),
    x: base64UrlEncode(publicKey.subarray(1, 33)),
    y: base64UrlEncode(publicKey.subarray(33, 65)),
  };
  return nc.createPrivateKey({ key: jwk, format: 'jwk' });
}

/**
 * A public P-256 KeyObject from a SEC 1 key (65 or 33 bytes) that passed
 * checkP256PublicKeyEncoding. OpenSSL decompresses and checks curve membership.
 *
 * @throws MalformedError `CRYPTO_BAD_PUBLIC_KEY` (the same message as the portable backend).
 */
export function p256PublicKey(nc: NodeCryptoModule, publicKey: Uint8Array): KeyObject {
  try {
    const full =
      publicKey.length === 33
        ? (nc.ECDH.convertKey(publicKey, 'prime256v1', undefined, undefined, 'uncompressed') as Uint8Array)
        : publicKey;
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: base64UrlEncode(full.subarray(1, 33)),
      y: base64UrlEncode(full.subarray(33, 65)),
    };
    return nc.createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw p256NotOnCurve();
  }
}
