/**
 * The crypto facade. Callers import these functions; the backend behind them is the native one
 * (node:crypto) where the runtime has it, else the portable one (@noble/curves, tweetnacl).
 * See ./types.ts for the encodings every backend honours.
 */
import type { CryptoBackend, EcdsaScheme, KeyAgreement, SignatureScheme } from './types.js';
import { portable } from './portable.js';

export type { CryptoBackend, EcdsaScheme, KeyAgreement, KeyPair, SignatureScheme } from './types.js';

let active: CryptoBackend = portable;

/** The backend in use. */
export function cryptoBackend(): CryptoBackend {
  return active;
}

/** Replace the backend (tests, benchmarks). Returns the previous one. */
export function setCryptoBackend(backend: CryptoBackend): CryptoBackend {
  const previous = active;
  active = backend;
  return previous;
}

export function sha256(data: Uint8Array): Uint8Array {
  return active.sha256(data);
}

export function randomBytes(length: number): Uint8Array {
  return active.randomBytes(length);
}

export const ed25519: SignatureScheme = {
  generateKeyPair: () => active.ed25519.generateKeyPair(),
  getPublicKey: (sk) => active.ed25519.getPublicKey(sk),
  sign: (sk, m) => active.ed25519.sign(sk, m),
  verify: (pk, m, s) => active.ed25519.verify(pk, m, s),
};

export const p256: EcdsaScheme = {
  generateKeyPair: () => active.p256.generateKeyPair(),
  getPublicKey: (sk) => active.p256.getPublicKey(sk),
  sign: (sk, m) => active.p256.sign(sk, m),
  verify: (pk, m, s) => active.p256.verify(pk, m, s),
  signDigest: (sk, d) => active.p256.signDigest(sk, d),
  verifyDigest: (pk, d, s) => active.p256.verifyDigest(pk, d, s),
};

export const x25519: KeyAgreement = {
  generateKeyPair: () => active.x25519.generateKeyPair(),
  getPublicKey: (sk) => active.x25519.getPublicKey(sk),
  sharedSecret: (sk, pk) => active.x25519.sharedSecret(sk, pk),
};
