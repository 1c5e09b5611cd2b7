/**
 * The native backend's cache of imported public keys (ceremony/crypto/key-cache.ts): LRU order and
 * bound, nothing cached on a failed import, one import per verification key, secret keys never
 * cached, and the same answers (value or error) with the cache warm as cold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portable } from '../../../ceremony/crypto/index.js';
import { PUBLIC_KEY_CACHE_SIZE, PublicKeyCache } from '../../../ceremony/crypto/key-cache.js';
import { createNativeBackend } from '../../../ceremony/crypto/native.js';
import type { NodeCryptoModule } from '../../../ceremony/crypto/native-keys.js';
import { ED25519_SMALL_ORDER_POINTS } from '../../../ceremony/crypto/ed25519-rules.js';
import { flip, outcome, plain, runs, throwsCode } from './helpers.js';

const nc = process.getBuiltinModule('node:crypto') as NodeCryptoModule;

/** node:crypto with its key imports counted. */
function countingCrypto() {
  const count = { publicKeys: 0, privateKeys: 0 };
  const module = {
    ...nc,
    createPublicKey: ((...a: Parameters<typeof nc.createPublicKey>) => {
      count.publicKeys++;
      return nc.createPublicKey(...a);
    }) as typeof nc.createPublicKey,
    createPrivateKey: ((...a: Parameters<typeof nc.createPrivateKey>) => {
      count.privateKeys++;
      return nc.createPrivateKey(...a);
    }) as typeof nc.createPrivateKey,
  } as NodeCryptoModule;
  return { module, count };
}

describe('PublicKeyCache', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const cache = new PublicKeyCache<string>(3);
    const loads: number[] = [];
    const load = (k: Uint8Array) => (loads.push(k[0]!), `key ${k[0]}`);
    for (const i of [1, 2, 3]) expect(cache.get(Uint8Array.of(i), load)).toBe(`key ${i}`);
    cache.get(Uint8Array.of(1), load); // 1 is now the most recently used; 2 the least
    cache.get(Uint8Array.of(4), load); // evicts 2
    expect(cache.size).toBe(3);
    for (const i of [1, 3, 4]) cache.get(Uint8Array.of(i), load);
    expect(loads).toEqual([1, 2, 3, 4]);
    cache.get(Uint8Array.of(2), load);
    expect(loads).toEqual([1, 2, 3, 4, 2]);
    expect(cache.size).toBe(3);
  });

  it('tells apart keys that differ in one byte or in length, and caches nothing when the import throws', () => {
    const cache = new PublicKeyCache<string>();
    expect(cache.capacity).toBe(PUBLIC_KEY_CACHE_SIZE);
    const load = (k: Uint8Array) => Array.from(k).join(',');
    expect(cache.get(Uint8Array.of(0, 1), load)).toBe('0,1');
    expect(cache.get(Uint8Array.of(0, 1, 0), load)).toBe('0,1,0');
    expect(cache.get(Uint8Array.of(1, 1), load)).toBe('1,1');
    expect(cache.get(Uint8Array.of(0xff, 0), load)).toBe('255,0');
    expect(() =>
      cache.get(Uint8Array.of(9), () => {
        throw new Error('bad key');
      }),
    ).toThrow('bad key');
    expect(cache.size).toBe(4);
    expect(cache.get(Uint8Array.of(9), load)).toBe('9');
    expect(() => new PublicKeyCache(0)).toThrow(RangeError);
  });
});

describe('native backend key cache', () => {
  it('imports each Ed25519 and P-256 verification key once; secret keys every time', () => {
    const { module, count } = countingCrypto();
    const backend = createNativeBackend(module);
    const seed = new Uint8Array(32).fill(5);
    const message = Uint8Array.of(1, 2, 3);
    const ed = { pk: backend.ed25519.getPublicKey(seed), sig: backend.ed25519.sign(seed, message) };
    const p = { pk: backend.p256.getPublicKey(seed), sig: backend.p256.sign(seed, message) };
    count.publicKeys = 0;
    count.privateKeys = 0;
    for (let i = 0; i < 10; i++) {
      expect(backend.ed25519.verify(plain(ed.pk), message, ed.sig)).toBe(true);
      expect(backend.p256.verify(plain(p.pk), message, p.sig)).toBe(true);
    }
    expect(count.publicKeys).toBe(2);
    for (let i = 0; i < 3; i++) backend.ed25519.sign(seed, message);
    expect(count.privateKeys).toBe(3);
  });

  it('stays bounded and correct when more keys pass through than it holds', () => {
    const { module, count } = countingCrypto();
    const backend = createNativeBackend(module);
    const message = Uint8Array.of(7);
    const signers = Array.from({ length: PUBLIC_KEY_CACHE_SIZE + 6 }, (_, i) => {
      const seed = new Uint8Array(32).fill(i + 1);
      return { pk: backend.ed25519.getPublicKey(seed), sig: backend.ed25519.sign(seed, message) };
    });
    count.publicKeys = 0;
    for (const round of [0, 1]) {
      for (const [i, s] of signers.entries()) {
        expect(backend.ed25519.verify(s.pk, message, s.sig), `round ${round} key ${i}`).toBe(true);
      }
    }
    // Cycling through more keys than the cache holds evicts each one before its next use.
    expect(count.publicKeys).toBe(2 * signers.length);
    // The most recent keys are cached; a cached key never lends its signature to another.
    const last = signers.slice(-PUBLIC_KEY_CACHE_SIZE);
    count.publicKeys = 0;
    for (const [i, s] of last.entries()) {
      expect(backend.ed25519.verify(s.pk, message, s.sig)).toBe(true);
      expect(backend.ed25519.verify(last[(i + 1) % last.length]!.pk, message, s.sig)).toBe(false);
    }
    expect(count.publicKeys).toBe(0);
  });

  it('gives the same outcome as the portable backend with the cache cold and warm', () => {
    const backend = createNativeBackend(nc);
    const message = Uint8Array.of(1, 2, 3, 4);
    const seed = new Uint8Array(32).fill(9);
    const good = { pk: portable.ed25519.getPublicKey(seed), sig: portable.ed25519.sign(seed, message) };
    fc.assert(
      fc.property(fc.nat(31), fc.nat(7), fc.nat(63), fc.nat(7), (kAt, kBit, sAt, sBit) => {
        const pk = flip(good.pk, kAt, kBit);
        const sig = flip(good.sig, sAt, sBit);
        for (const [k, s] of [
          [pk, good.sig],
          [good.pk, sig],
          [pk, sig],
        ] as const) {
          const want = outcome(() => portable.ed25519.verify(k, message, s));
          expect(outcome(() => backend.ed25519.verify(k, message, s))).toEqual(want); // cold or warm
          expect(outcome(() => backend.ed25519.verify(k, message, s))).toEqual(want); // warm
        }
      }),
      { numRuns: runs(60) },
    );
  });

  it('still refuses a small-order or off-curve key on every call, cached or not', () => {
    const backend = createNativeBackend(nc);
    const sig = new Uint8Array(64);
    // y = 2 is not the y of a point on the curve: OpenSSL imports it, verification must still throw.
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    for (let i = 0; i < 3; i++) {
      throwsCode(() => backend.ed25519.verify(offCurve, Uint8Array.of(1), sig), 'CRYPTO_BAD_PUBLIC_KEY');
      throwsCode(
        () => backend.ed25519.verify(ED25519_SMALL_ORDER_POINTS[4]!, Uint8Array.of(1), sig),
        'CRYPTO_WEAK_PUBLIC_KEY',
      );
      const p = plain(backend.p256.getPublicKey(new Uint8Array(32).fill(1)));
      p[64] = p[64]! ^ 1;
      throwsCode(
        () => backend.p256.verify(p, Uint8Array.of(1), new Uint8Array(64).fill(1)),
        'CRYPTO_BAD_PUBLIC_KEY',
      );
    }
  });
});
