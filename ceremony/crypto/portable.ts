/**
 * Portable backend: @noble/curves and @noble/hashes. Runs anywhere (browsers, mobile JS engines).
 * PROVISIONAL: the crypto issue replaces this with the full implementation (tweetnacl cross-check,
 * strict length checks with MalformedError).
 */
import { ed25519 as nEd, x25519 as nX } from '@noble/curves/ed25519.js';
import { p256 as nP } from '@noble/curves/nist.js';
import { sha256 as nSha } from '@noble/hashes/sha2.js';
import type { CryptoBackend } from './types.js';

export const portable: CryptoBackend = {
  name: 'portable',
  sha256: (d) => nSha(d),
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
  ed25519: {
    generateKeyPair() {
      const secretKey = nEd.utils.randomSecretKey();
      return { secretKey, publicKey: nEd.getPublicKey(secretKey) };
    },
    getPublicKey: (sk) => nEd.getPublicKey(sk),
    sign: (sk, m) => nEd.sign(m, sk),
    verify: (pk, m, s) => nEd.verify(s, m, pk),
  },
  p256: {
    generateKeyPair() {
      const secretKey = nP.utils.randomSecretKey();
      return { secretKey, publicKey: nP.getPublicKey(secretKey, false) };
    },
    getPublicKey: (sk) => nP.getPublicKey(sk, false),
    sign: (sk, m) => nP.sign(m, sk),
    verify: (pk, m, s) => nP.verify(s, m, pk, { lowS: false }),
    signDigest: (sk, d) => nP.sign(d, sk, { prehash: false }),
    verifyDigest: (pk, d, s) => nP.verify(s, d, pk, { prehash: false, lowS: false }),
  },
  x25519: {
    generateKeyPair() {
      const secretKey = nX.utils.randomSecretKey();
      return { secretKey, publicKey: nX.getPublicKey(secretKey) };
    },
    getPublicKey: (sk) => nX.getPublicKey(sk),
    sharedSecret: (sk, pk) => nX.getSharedSecret(sk, pk),
  },
};
