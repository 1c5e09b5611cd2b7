/**
 * The emulated device's key operations, per algorithm: generation, signing, ECDH, and the
 * post-generation self-test (hsm/types.ts). All of them go through the crypto facade
 * (ceremony/crypto): Ed25519, ECDSA P-256, X25519 and P-256 ECDH (`p256.sharedSecret`).
 */
import { ed25519, p256, randomBytes, x25519 } from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';
import { MalformedError, UsageError, isCeremonyError } from '../../errors.js';
import type { KeyAlgorithm, KeyUsage } from '../types.js';

/** Usages a key gets when the caller names none. */
export const DEFAULT_USAGES: Readonly<Record<KeyAlgorithm, readonly KeyUsage[]>> = {
  ed25519: ['sign'],
  p256: ['sign'],
  x25519: ['derive'],
};

/** Usages each algorithm can have on the emulated device. */
export const ALLOWED_USAGES: Readonly<Record<KeyAlgorithm, readonly KeyUsage[]>> = {
  ed25519: ['sign'],
  p256: ['sign', 'derive'],
  x25519: ['derive'],
};

/** True if `a` is one of the device's algorithms. */
export function isKeyAlgorithm(a: unknown): a is KeyAlgorithm {
  return a === 'ed25519' || a === 'p256' || a === 'x25519';
}

/**
 * Validates (or defaults) the usages of a new key; returns them in canonical order (sign, derive).
 * @throws UsageError `HSM_ALGORITHM_UNSUPPORTED` for an unknown algorithm; `HSM_USAGE_INVALID` for
 *   an empty list, a duplicate, or a usage the algorithm cannot have.
 */
export function checkUsages(algorithm: KeyAlgorithm, usages?: readonly KeyUsage[]): KeyUsage[] {
  if (!isKeyAlgorithm(algorithm))
    throw new UsageError(
      'HSM_ALGORITHM_UNSUPPORTED',
      `algorithm "${String(algorithm)}" is not one of ed25519, p256, x25519`,
      {
        field: 'algorithm',
      },
    );
  const want = usages ?? DEFAULT_USAGES[algorithm];
  const allowed = ALLOWED_USAGES[algorithm];
  const bad = want.find((u) => !allowed.includes(u));
  if (want.length === 0 || new Set(want).size !== want.length || bad !== undefined)
    throw new UsageError(
      'HSM_USAGE_INVALID',
      `usages [${want.join(', ')}] are not valid for ${algorithm}: give a non-empty subset of [${allowed.join(', ')}] without repeats`,
      { field: 'usages' },
    );
  return (['sign', 'derive'] as const).filter((u) => want.includes(u));
}

/** Generates a key pair (secret key: 32 bytes; public key per hsm/types.ts KeyInfo). */
export function generateKeyPair(algorithm: KeyAlgorithm): KeyPair {
  switch (algorithm) {
    case 'ed25519':
      return ed25519.generateKeyPair();
    case 'p256':
      return p256.generateKeyPair();
    case 'x25519':
      return x25519.generateKeyPair();
  }
}

/** Signs (Ed25519 pure; P-256 ECDSA over SHA-256, raw r||s). Precondition: a signing algorithm. */
export function signWith(algorithm: KeyAlgorithm, secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  if (algorithm === 'ed25519') return ed25519.sign(secretKey, message);
  if (algorithm === 'p256') return p256.sign(secretKey, message);
  throw new Error(`signWith: ${algorithm} cannot sign`);
}

/** Verifies a signature made by {@link signWith}. */
export function verifyWith(
  algorithm: KeyAlgorithm,
  publicKey: Uint8Array,
  message: Uint8Array,
  sig: Uint8Array,
): boolean {
  if (algorithm === 'ed25519') return ed25519.verify(publicKey, message, sig);
  if (algorithm === 'p256') return p256.verify(publicKey, message, sig);
  return false;
}

/**
 * ECDH: X25519 (RFC 7748) or P-256 (SEC 1 §3.3.1, the x-coordinate). Returns 32 bytes.
 * @throws MalformedError `HSM_PEER_KEY_INVALID` for a peer key of the wrong length, not on the
 *   curve, or of small order.
 */
export function deriveWith(algorithm: KeyAlgorithm, secretKey: Uint8Array, peer: Uint8Array): Uint8Array {
  const invalid = (reason: string, cause?: unknown) =>
    new MalformedError('HSM_PEER_KEY_INVALID', `peer public key: ${reason}`, {
      field: 'peerPublicKey',
      cause,
    });
  try {
    if (algorithm === 'x25519') {
      if (peer.length !== 32) throw invalid(`${peer.length} bytes, want 32 for x25519`);
      return x25519.sharedSecret(secretKey, peer);
    }
    if (algorithm === 'p256') {
      if (peer.length !== 65 && peer.length !== 33)
        throw invalid(`${peer.length} bytes, want 65 (or 33) for p256`);
      // The facade checks the peer is on the curve and wipes its own intermediates.
      return p256.sharedSecret(secretKey, peer);
    }
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'HSM_PEER_KEY_INVALID') throw e;
    throw invalid(`not a valid ${algorithm} public key`, e);
  }
  throw new Error(`deriveWith: ${algorithm} cannot derive`);
}

/** What the self-test needs from the device: its own operations on the new key. */
export interface SelfTestSubject {
  algorithm: KeyAlgorithm;
  usages: readonly KeyUsage[];
  /** The public key as read back from the device. */
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
  derive(peer: Uint8Array): Uint8Array;
}

/**
 * The post-generation self-test: for `sign`, signs a fresh random 32-byte nonce in the device and
 * verifies it with the public key read back; for `derive`, an ECDH round trip with an ephemeral
 * peer key (both sides must agree). Returns false on any mismatch or error.
 */
export function selfTest(s: SelfTestSubject): boolean {
  try {
    if (s.usages.includes('sign')) {
      const nonce = randomBytes(32);
      if (!verifyWith(s.algorithm, s.publicKey, nonce, s.sign(nonce))) return false;
    }
    if (s.usages.includes('derive')) {
      const peer = generateKeyPair(s.algorithm);
      const ours = s.derive(peer.publicKey);
      const theirs = deriveWith(s.algorithm, peer.secretKey, s.publicKey);
      peer.secretKey.fill(0); // ephemeral: wipe once used
      const same = ours.length === 32 && ours.every((b, i) => b === theirs[i]);
      ours.fill(0);
      theirs.fill(0);
      if (!same) return false;
    }
    return true;
  } catch {
    return false;
  }
}
