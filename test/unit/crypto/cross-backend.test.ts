/**
 * fast-check properties across the two backends (and TweetNaCl where it applies): the same inputs
 * give the same outputs, signatures made by one verify in the other, mutations verify in neither,
 * and arbitrary (mostly invalid) keys and signatures give the same outcome — value or error — in both.
 */
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { portable } from '../../../ceremony/crypto/index.js';
import { P256_N } from '../../../ceremony/crypto/p256-rules.js';
import { native, outcome, plain, runs, toHex } from './helpers.js';

const nat = native();
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const message = fc.uint8Array({ maxLength: 300 });
/** A valid P-256 scalar: 32 bytes reduced into [1, n-1]. */
const p256Scalar = bytes(32).map((b) => {
  const d = (BigInt(`0x${toHex(b)}`) % (P256_N - 1n)) + 1n;
  return Uint8Array.from(d.toString(16).padStart(64, '0').match(/../g)!, (h) => parseInt(h, 16));
});
/** A mutation: flip some bits of one byte. */
const mutation = fc.record({ index: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) });
function mutate(b: Uint8Array, m: { index: number; xor: number }): Uint8Array {
  const c = plain(b);
  if (c.length === 0) return Uint8Array.of(m.xor);
  const i = m.index % c.length;
  c[i] = c[i]! ^ m.xor;
  return c;
}

describe('cross-backend properties', () => {
  it('sha256: identical digests', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        expect(toHex(nat.sha256(data))).toBe(toHex(portable.sha256(data)));
      }),
      { numRuns: runs(300) },
    );
  });

  it('ed25519: identical public keys and signatures (and TweetNaCl agrees); both verify', () => {
    fc.assert(
      fc.property(bytes(32), message, (seed, msg) => {
        const pk = nat.ed25519.getPublicKey(seed);
        const sig = nat.ed25519.sign(seed, msg);
        expect(toHex(portable.ed25519.getPublicKey(seed))).toBe(toHex(pk));
        expect(toHex(portable.ed25519.sign(seed, msg))).toBe(toHex(sig));
        const pair = nacl.sign.keyPair.fromSeed(seed);
        expect(toHex(pair.publicKey)).toBe(toHex(pk));
        expect(toHex(nacl.sign.detached(msg, pair.secretKey))).toBe(toHex(sig));
        expect(nat.ed25519.verify(pk, msg, sig)).toBe(true);
        expect(portable.ed25519.verify(pk, msg, sig)).toBe(true);
      }),
      { numRuns: runs(50) },
    );
  });

  it('ed25519: a mutated signature or message verifies in neither backend', () => {
    fc.assert(
      fc.property(bytes(32), message, mutation, fc.boolean(), (seed, msg, m, onSig) => {
        const pk = nat.ed25519.getPublicKey(seed);
        const sig = nat.ed25519.sign(seed, msg);
        const [s, x] = onSig ? [mutate(sig, m), msg] : [sig, mutate(msg, m)];
        expect(nat.ed25519.verify(pk, x, s)).toBe(false);
        expect(portable.ed25519.verify(pk, x, s)).toBe(false);
      }),
      { numRuns: runs(100) },
    );
  });

  it('ed25519: arbitrary public keys and signatures give the same outcome in both', () => {
    fc.assert(
      fc.property(bytes(32), bytes(64), message, (pk, sig, msg) => {
        expect(outcome(() => nat.ed25519.verify(pk, msg, sig))).toEqual(
          outcome(() => portable.ed25519.verify(pk, msg, sig)),
        );
      }),
      { numRuns: runs(300) },
    );
  });

  it('x25519: identical public keys and shared secrets (and TweetNaCl agrees)', () => {
    fc.assert(
      fc.property(bytes(32), bytes(32), (sk, peer) => {
        expect(toHex(portable.x25519.getPublicKey(sk))).toBe(toHex(nat.x25519.getPublicKey(sk)));
        expect(toHex(nacl.scalarMult.base(sk))).toBe(toHex(nat.x25519.getPublicKey(sk)));
        const a = outcome(() => nat.x25519.sharedSecret(sk, peer));
        expect(outcome(() => portable.x25519.sharedSecret(sk, peer))).toEqual(a);
        if ('ok' in a) expect(toHex(a.ok)).toBe(toHex(nacl.scalarMult(sk, peer)));
      }),
      { numRuns: runs(60) },
    );
  });

  it('p256: identical public keys', () => {
    fc.assert(
      fc.property(p256Scalar, (sk) => {
        expect(toHex(nat.p256.getPublicKey(sk))).toBe(toHex(portable.p256.getPublicKey(sk)));
      }),
      { numRuns: runs(30) },
    );
  });

  it('p256: signed in one backend, verified in the other, over messages and digests', () => {
    fc.assert(
      fc.property(p256Scalar, message, (sk, msg) => {
        const pk = portable.p256.getPublicKey(sk);
        const digest = portable.sha256(msg);
        const byNative = nat.p256.sign(sk, msg);
        const byPortable = portable.p256.sign(sk, msg);
        expect(portable.p256.verify(pk, msg, byNative)).toBe(true);
        expect(nat.p256.verify(pk, msg, byPortable)).toBe(true);
        expect(nat.p256.verifyDigest(pk, digest, byNative)).toBe(true);
        expect(portable.p256.verifyDigest(pk, digest, byNative)).toBe(true);
        expect(nat.p256.verify(pk, msg, portable.p256.signDigest(sk, digest))).toBe(true);
        expect(nat.p256.verify(pk, msg, nat.p256.signDigest(sk, digest))).toBe(true);
      }),
      { numRuns: runs(15) },
    );
  });

  it('p256: a mutated signature or message verifies in neither backend', () => {
    fc.assert(
      fc.property(p256Scalar, message, mutation, fc.boolean(), (sk, msg, m, onSig) => {
        const pk = portable.p256.getPublicKey(sk);
        const sig = portable.p256.sign(sk, msg);
        const [s, x] = onSig ? [mutate(sig, m), msg] : [sig, mutate(msg, m)];
        expect(nat.p256.verify(pk, x, s)).toBe(false);
        expect(portable.p256.verify(pk, x, s)).toBe(false);
      }),
      { numRuns: runs(15) },
    );
  });

  it('p256: arbitrary keys (compressed or not) and signatures give the same outcome in both', () => {
    const key = fc.oneof(
      fc.tuple(fc.constantFrom(2, 3), bytes(32)).map(([p, x]) => Uint8Array.of(p, ...x)),
      bytes(64).map((xy) => Uint8Array.of(4, ...xy)),
    );
    fc.assert(
      fc.property(key, bytes(64), message, (pk, sig, msg) => {
        expect(outcome(() => nat.p256.verify(pk, msg, sig))).toEqual(
          outcome(() => portable.p256.verify(pk, msg, sig)),
        );
      }),
      { numRuns: runs(40) },
    );
  });
});
