/**
 * The portable backend: @noble/curves v2 and @noble/hashes v2, audited pure-TypeScript code that
 * runs anywhere (browsers, mobile JS engines, workers). Randomness comes from
 * `globalThis.crypto.getRandomValues` (Web Crypto).
 *
 * Ed25519 (RFC 8032 §5.1): keys and signing by noble; verification is the cofactorless equation
 * `[S]B = R + [k]A` checked on the encoding of R (RFC 8032 §5.1.7), written here on noble's point
 * arithmetic so that it accepts exactly what OpenSSL (the native backend) accepts. noble's own
 * `verify` checks the cofactored equation, which accepts more signatures with torsion components.
 * TweetNaCl was not chosen: it does not check S < L (so signatures are malleable) and is several
 * times slower; the tests use it as an independent oracle instead.
 *
 * P-256 (FIPS 186-5): RFC 6979 deterministic signatures, emitted in low-S form; ECDH (SEC 1 §3.3.1)
 * returns the x-coordinate of the shared point.
 * X25519: RFC 7748.
 *
 * Every function runs the shared checks of ./input.ts and the *-rules.ts files first.
 */
import { ed25519 as nEd, x25519 as nX } from '@noble/curves/ed25519.js';
import { p256 as nP } from '@noble/curves/nist.js';
import { sha256 as nSha256, sha512 } from '@noble/hashes/sha2.js';
import { bigintFromLE, bytesEqual, isAllZero } from './bytes.js';
import { checkEd25519PublicKeyEncoding, ED25519_L, ed25519SInRange } from './ed25519-rules.js';
import { checkBytes, checkLength, checkRandomLength, cryptoError, MAX_RANDOM_BYTES } from './input.js';
import {
  checkP256PublicKeyEncoding,
  checkP256SecretKey,
  p256NotOnCurve,
  p256SignatureInRange,
} from './p256-rules.js';
import { checkX25519Peer } from './x25519-rules.js';
import type { CryptoBackend, KeyAgreement, P256Scheme, SignatureScheme } from './types.js';

/** Web Crypto caps one getRandomValues call at 65536 bytes. */
const RANDOM_CHUNK = 65536;

function randomBytes(length: number): Uint8Array {
  checkRandomLength(length, MAX_RANDOM_BYTES);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + RANDOM_CHUNK)));
  }
  return out;
}

/**
 * Decodes an Ed25519 public key that passed the shared encoding rules.
 *
 * @throws MalformedError `CRYPTO_BAD_PUBLIC_KEY` if it is not on the curve.
 */
export function decodeEd25519Point(
  publicKey: Uint8Array,
  field = 'publicKey',
): InstanceType<typeof nEd.Point> {
  try {
    return nEd.Point.fromBytes(publicKey, false);
  } catch {
    throw cryptoError('CRYPTO_BAD_PUBLIC_KEY', field, `ed25519 ${field}: not a point on the curve`);
  }
}

const ed25519: SignatureScheme = {
  generateKeyPair() {
    const secretKey = randomBytes(32);
    return { secretKey, publicKey: nEd.getPublicKey(secretKey) };
  },
  getPublicKey(secretKey) {
    checkLength(secretKey, 32, 'ed25519 secretKey');
    return nEd.getPublicKey(secretKey);
  },
  sign(secretKey, message) {
    checkLength(secretKey, 32, 'ed25519 secretKey');
    checkBytes(message, 'ed25519 message');
    return nEd.sign(message, secretKey);
  },
  verify(publicKey, message, signature) {
    checkLength(publicKey, 32, 'ed25519 publicKey');
    checkBytes(message, 'ed25519 message');
    checkLength(signature, 64, 'ed25519 signature');
    checkEd25519PublicKeyEncoding(publicKey);
    const A = decodeEd25519Point(publicKey);
    if (!ed25519SInRange(signature)) return false;
    const R = signature.subarray(0, 32);
    const S = bigintFromLE(signature.subarray(32, 64));
    // k = SHA-512(R || A || M) mod L (RFC 8032 §5.1.7 step 2).
    const h = sha512.create().update(R).update(publicKey).update(message).digest();
    const k = bigintFromLE(h) % ED25519_L;
    // Step 3, cofactorless: encode([S]B - [k]A) must equal R byte for byte.
    const check = nEd.Point.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k));
    return bytesEqual(check.toBytes(), R);
  },
};

/** Checks the SEC 1 shape of a P-256 public key and decodes it (on-curve check). */
function p256PublicPoint(publicKey: Uint8Array): InstanceType<typeof nP.Point> {
  checkP256PublicKeyEncoding(publicKey);
  try {
    return nP.Point.fromBytes(publicKey);
  } catch {
    throw p256NotOnCurve();
  }
}

/** Verification once the key is decoded and the digest checked: signature checks, then SEC 1 §4.1.4. */
function p256VerifyPrepared(
  point: InstanceType<typeof nP.Point>,
  digest: Uint8Array,
  signature: unknown,
): boolean {
  checkLength(signature, 64, 'p256 signature');
  if (!p256SignatureInRange(signature)) return false;
  return nP.verify(signature, digest, point.toBytes(false), { prehash: false, lowS: false });
}

const p256: P256Scheme = {
  generateKeyPair() {
    const secretKey = nP.utils.randomSecretKey();
    return { secretKey, publicKey: nP.getPublicKey(secretKey, false) };
  },
  getPublicKey(secretKey) {
    checkLength(secretKey, 32, 'p256 secretKey');
    checkP256SecretKey(secretKey);
    return nP.getPublicKey(secretKey, false);
  },
  sign(secretKey, message) {
    checkLength(secretKey, 32, 'p256 secretKey');
    checkP256SecretKey(secretKey);
    checkBytes(message, 'p256 message');
    return nP.sign(nSha256(message), secretKey, { prehash: false, lowS: true });
  },
  verify(publicKey, message, signature) {
    const point = p256PublicPoint(publicKey);
    checkBytes(message, 'p256 message');
    return p256VerifyPrepared(point, nSha256(message), signature);
  },
  signDigest(secretKey, digest) {
    checkLength(secretKey, 32, 'p256 secretKey');
    checkP256SecretKey(secretKey);
    checkLength(digest, 32, 'p256 digest');
    return nP.sign(digest, secretKey, { prehash: false, lowS: true });
  },
  verifyDigest(publicKey, digest, signature) {
    const point = p256PublicPoint(publicKey);
    checkLength(digest, 32, 'p256 digest');
    return p256VerifyPrepared(point, digest, signature);
  },
  sharedSecret(secretKey, peerPublicKey) {
    checkLength(secretKey, 32, 'p256 secretKey');
    checkP256SecretKey(secretKey);
    checkP256PublicKeyEncoding(peerPublicKey, 'peerPublicKey');
    let shared: Uint8Array;
    try {
      shared = nP.getSharedSecret(secretKey, peerPublicKey, true);
    } catch {
      throw p256NotOnCurve('peerPublicKey');
    }
    const x = shared.slice(1, 33);
    shared.fill(0); // the compressed shared point holds the secret x-coordinate: do not leave it behind
    return x;
  },
};

const x25519: KeyAgreement = {
  generateKeyPair() {
    const secretKey = randomBytes(32);
    return { secretKey, publicKey: nX.getPublicKey(secretKey) };
  },
  getPublicKey(secretKey) {
    checkLength(secretKey, 32, 'x25519 secretKey');
    return nX.getPublicKey(secretKey);
  },
  sharedSecret(secretKey, peerPublicKey) {
    checkLength(secretKey, 32, 'x25519 secretKey');
    checkLength(peerPublicKey, 32, 'x25519 peerPublicKey');
    checkX25519Peer(peerPublicKey);
    const shared = nX.getSharedSecret(secretKey, peerPublicKey);
    // Unreachable after checkX25519Peer; kept so a zero secret can never be returned (RFC 7748 §6.1).
    if (isAllZero(shared))
      throw cryptoError('CRYPTO_ZERO_SHARED_SECRET', 'peerPublicKey', 'x25519: all-zero shared secret');
    return shared;
  },
};

/**
 * The portable backend (@noble/curves, @noble/hashes). Always available.
 *
 * Every function throws MalformedError with a {@link CryptoErrorCode} on malformed input (see
 * ./types.ts for the encodings); verification returns `false` for a well-formed wrong signature.
 */
export const portable: CryptoBackend = {
  name: 'portable',
  sha256(data) {
    checkBytes(data, 'sha256 data');
    return nSha256(data);
  },
  randomBytes,
  ed25519,
  p256,
  x25519,
};
