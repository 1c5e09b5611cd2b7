/**
 * The native backend: node:crypto (OpenSSL). Same functions, encodings, checks and errors as the
 * portable backend; faster where OpenSSL does the arithmetic.
 *
 * node:crypto is never imported statically: {@link nativeBackend} asks the runtime for it with
 * `globalThis.process?.getBuiltinModule?.('node:crypto')` (Node >= 20.16), so a browser bundle of
 * this module contains no reference to a Node built-in and simply gets `undefined`.
 *
 * What runs where:
 * - SHA-256, randomness (`randomFillSync`), Ed25519 sign/verify, X25519 (`diffieHellman`) and
 *   ECDSA P-256 over a message (`dsaEncoding: 'ieee-p1363'`, raw `r || s`): OpenSSL.
 * - P-256 `getPublicKey`: OpenSSL, through ECDH's public-key computation.
 * - P-256 `sharedSecret` (ECDH): OpenSSL (`createECDH('prime256v1').computeSecret`), which decodes
 *   the peer point and refuses one off the curve; the result is the x-coordinate.
 * - P-256 `signDigest` / `verifyDigest` over a precomputed SHA-256 digest: **delegated to the
 *   portable backend (noble)**. node:crypto cannot do ECDSA on a raw digest: `sign(null, …)` and
 *   every named digest hash the input again, and OpenSSL's raw `EVP_PKEY_sign` is not exposed.
 * - Ed25519 verification returns `false` from OpenSSL both for a wrong signature and for a key off
 *   the curve; on that (rare) path the key is decoded with noble to throw the same
 *   `CRYPTO_BAD_PUBLIC_KEY` the portable backend throws.
 * - Public keys imported for Ed25519 and P-256 verification are kept in a bounded LRU cache
 *   (./key-cache.ts), one per backend; every check still runs on every call. Secret keys and X25519
 *   peer keys (usually ephemeral) are imported afresh each time.
 */
import { isAllZero, wipe } from './bytes.js';
import { PublicKeyCache } from './key-cache.js';
import { checkEd25519PublicKeyEncoding, ed25519SInRange } from './ed25519-rules.js';
import { checkBytes, checkLength, checkRandomLength, cryptoError, MAX_RANDOM_BYTES } from './input.js';
import {
  okpPrivateKey,
  okpPublicKey,
  okpRawPublicKey,
  p256PrivateKey,
  p256PublicFromSecret,
  p256PublicKey,
} from './native-keys.js';
import type { KeyObject, NodeCryptoModule } from './native-keys.js';
import {
  checkP256PublicKeyEncoding,
  checkP256SecretKey,
  p256NotOnCurve,
  p256ScalarInRange,
  p256SignatureInRange,
  toLowS,
} from './p256-rules.js';
import { decodeEd25519Point, portable } from './portable.js';
import { selfTest } from './self-test.js';
import { checkX25519Peer } from './x25519-rules.js';
import type { CryptoBackend } from './types.js';

/** A fresh, uniform P-256 scalar: 32 random bytes, redrawn while not in [1, n-1]. */
function randomP256Scalar(random: (n: number) => Uint8Array): Uint8Array {
  for (;;) {
    const d = random(32);
    if (p256ScalarInRange(d)) return d;
    wipe(d); // a rejected candidate is still random secret material; do not leave it on the heap
  }
}

/**
 * P-256 ECDH in OpenSSL: the x-coordinate of `secretKey · peer`. OpenSSL decodes the peer point
 * (uncompressed or compressed) and refuses one that is not on the curve.
 *
 * Preconditions: the scalar passed checkP256SecretKey, the peer key checkP256PublicKeyEncoding.
 * @throws MalformedError `CRYPTO_BAD_PUBLIC_KEY` (field `peerPublicKey`) for a point off the curve.
 */
function p256EcdhX(nc: NodeCryptoModule, secretKey: Uint8Array, peer: Uint8Array): Uint8Array {
  const ecdh = nc.createECDH('prime256v1');
  ecdh.setPrivateKey(secretKey);
  let raw: Uint8Array;
  try {
    raw = ecdh.computeSecret(peer);
  } catch {
    throw p256NotOnCurve('peerPublicKey');
  }
  const x = new Uint8Array(raw);
  wipe(raw); // the shared secret must not stay behind in Node's buffer
  return x;
}

/**
 * SHA-256 in OpenSSL, as a Uint8Array. `crypto.hash` (Node >= 20.12) is a one-shot call without a
 * Hash object; its Buffer owns a 32-byte ArrayBuffer of its own, so it is returned as a plain view
 * of that memory rather than copied (a Buffer from a shared pool would be copied instead).
 */
function sha256Function(nc: NodeCryptoModule): (data: Uint8Array) => Uint8Array {
  const view = (b: Uint8Array): Uint8Array =>
    b.byteOffset === 0 && b.buffer.byteLength === b.length
      ? new Uint8Array(b.buffer, 0, b.length)
      : new Uint8Array(b);
  if (typeof nc.hash === 'function') return (data) => view(nc.hash('sha256', data, 'buffer'));
  return (data) => view(nc.createHash('sha256').update(data).digest());
}

/**
 * Builds the native backend over a node:crypto module. Exported for tests; callers use
 * {@link nativeBackend}, which also runs the known-answer self-test.
 */
export function createNativeBackend(nc: NodeCryptoModule): CryptoBackend {
  const randomBytes = (length: number): Uint8Array => {
    checkRandomLength(length, MAX_RANDOM_BYTES);
    const out = new Uint8Array(length);
    nc.randomFillSync(out);
    return out;
  };
  const edPublic = (secretKey: Uint8Array) => okpRawPublicKey(nc, okpPrivateKey(nc, 'Ed25519', secretKey));
  const xPublic = (secretKey: Uint8Array) => okpRawPublicKey(nc, okpPrivateKey(nc, 'X25519', secretKey));
  // Verification keys, imported once (public keys only; see ./key-cache.ts).
  const edVerifyKeys = new PublicKeyCache<KeyObject>();
  const p256VerifyKeys = new PublicKeyCache<KeyObject>();
  const importEd = (publicKey: Uint8Array) => okpPublicKey(nc, 'Ed25519', publicKey);
  const importP256 = (publicKey: Uint8Array) => p256PublicKey(nc, publicKey);
  const digest = sha256Function(nc);

  return {
    name: 'native',
    sha256(data) {
      checkBytes(data, 'sha256 data');
      return digest(data);
    },
    randomBytes,
    ed25519: {
      generateKeyPair() {
        const secretKey = randomBytes(32);
        return { secretKey, publicKey: edPublic(secretKey) };
      },
      getPublicKey(secretKey) {
        checkLength(secretKey, 32, 'ed25519 secretKey');
        return edPublic(secretKey);
      },
      sign(secretKey, message) {
        checkLength(secretKey, 32, 'ed25519 secretKey');
        checkBytes(message, 'ed25519 message');
        return new Uint8Array(nc.sign(null, message, okpPrivateKey(nc, 'Ed25519', secretKey)));
      },
      verify(publicKey, message, signature) {
        checkLength(publicKey, 32, 'ed25519 publicKey');
        checkBytes(message, 'ed25519 message');
        checkLength(signature, 64, 'ed25519 signature');
        checkEd25519PublicKeyEncoding(publicKey);
        const ok =
          ed25519SInRange(signature) &&
          nc.verify(null, message, edVerifyKeys.get(publicKey, importEd), signature);
        // A key off the curve is malformed, not a wrong signature: throw as the portable backend does.
        if (!ok) decodeEd25519Point(publicKey);
        return ok;
      },
    },
    p256: {
      generateKeyPair() {
        const secretKey = randomP256Scalar(randomBytes);
        return { secretKey, publicKey: p256PublicFromSecret(nc, secretKey) };
      },
      getPublicKey(secretKey) {
        checkLength(secretKey, 32, 'p256 secretKey');
        checkP256SecretKey(secretKey);
        return p256PublicFromSecret(nc, secretKey);
      },
      sign(secretKey, message) {
        checkLength(secretKey, 32, 'p256 secretKey');
        checkP256SecretKey(secretKey);
        checkBytes(message, 'p256 message');
        const key = p256PrivateKey(nc, secretKey, p256PublicFromSecret(nc, secretKey));
        return toLowS(nc.sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }));
      },
      verify(publicKey, message, signature) {
        checkP256PublicKeyEncoding(publicKey);
        const key = p256VerifyKeys.get(publicKey, importP256);
        checkBytes(message, 'p256 message');
        checkLength(signature, 64, 'p256 signature');
        if (!p256SignatureInRange(signature)) return false;
        return nc.verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      },
      // Delegated to noble: node:crypto cannot sign or verify a precomputed digest (see above).
      signDigest: (secretKey, digest) => portable.p256.signDigest(secretKey, digest),
      verifyDigest: (publicKey, digest, signature) =>
        portable.p256.verifyDigest(publicKey, digest, signature),
      sharedSecret(secretKey, peerPublicKey) {
        checkLength(secretKey, 32, 'p256 secretKey');
        checkP256SecretKey(secretKey);
        checkP256PublicKeyEncoding(peerPublicKey, 'peerPublicKey');
        return p256EcdhX(nc, secretKey, peerPublicKey);
      },
    },
    x25519: {
      generateKeyPair() {
        const secretKey = randomBytes(32);
        return { secretKey, publicKey: xPublic(secretKey) };
      },
      getPublicKey(secretKey) {
        checkLength(secretKey, 32, 'x25519 secretKey');
        return xPublic(secretKey);
      },
      sharedSecret(secretKey, peerPublicKey) {
        checkLength(secretKey, 32, 'x25519 secretKey');
        checkLength(peerPublicKey, 32, 'x25519 peerPublicKey');
        checkX25519Peer(peerPublicKey);
        const raw = nc.diffieHellman({
          privateKey: okpPrivateKey(nc, 'X25519', secretKey),
          publicKey: okpPublicKey(nc, 'X25519', peerPublicKey),
        });
        const shared = new Uint8Array(raw);
        wipe(raw); // the shared secret must not stay behind in Node's buffer
        if (isAllZero(shared)) {
          throw cryptoError('CRYPTO_ZERO_SHARED_SECRET', 'peerPublicKey', 'x25519: all-zero shared secret');
        }
        return shared;
      },
    },
  };
}

let cached: { backend: CryptoBackend | undefined } | undefined;

/** node:crypto from the runtime, or undefined outside Node (or on Node < 20.16). */
function loadNodeCrypto(): NodeCryptoModule | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule('node:crypto') : undefined;
  return mod === undefined || mod === null ? undefined : (mod as NodeCryptoModule);
}

/**
 * The native backend, or `undefined` where it cannot be used: no `process.getBuiltinModule`
 * (browsers, Node < 20.16), or a node:crypto that lacks Ed25519/X25519/P-256 or fails the
 * known-answer self-test of ./self-test.ts. Decided once, on first call.
 */
export function nativeBackend(): CryptoBackend | undefined {
  if (cached === undefined) {
    let backend: CryptoBackend | undefined;
    try {
      const nc = loadNodeCrypto();
      if (nc !== undefined) {
        backend = createNativeBackend(nc);
        selfTest(backend);
      }
    } catch {
      backend = undefined;
    }
    cached = { backend };
  }
  return cached.backend;
}
