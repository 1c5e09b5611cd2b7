/**
 * Malformed arguments: every byte parameter of every function, at every wrong length, throws the
 * same MalformedError (class, code, message, field) in both backends; non-bytes and bad random
 * lengths likewise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portable } from '../../../ceremony/crypto/index.js';
import type { CryptoBackend } from '../../../ceremony/crypto/index.js';
import { MalformedError, UsageError } from '../../../ceremony/errors.js';
import { backends, native, outcome, runs, throwsCode } from './helpers.js';

const nat = native();
const ok32 = new Uint8Array(32).fill(7);
const okSig = new Uint8Array(64).fill(1);
const okP256Pk = portable.p256.getPublicKey(ok32);
const okEdPk = portable.ed25519.getPublicKey(ok32);
const okXPk = portable.x25519.getPublicKey(ok32);
const msg = new Uint8Array([1, 2, 3]);

/** [call name, wanted length, call with the parameter replaced]. */
type Case = [string, number[], (b: CryptoBackend, x: Uint8Array) => unknown];
const cases: Case[] = [
  ['ed25519.getPublicKey secretKey', [32], (b, x) => b.ed25519.getPublicKey(x)],
  ['ed25519.sign secretKey', [32], (b, x) => b.ed25519.sign(x, msg)],
  ['ed25519.verify publicKey', [32], (b, x) => b.ed25519.verify(x, msg, okSig)],
  ['ed25519.verify signature', [64], (b, x) => b.ed25519.verify(okEdPk, msg, x)],
  ['p256.getPublicKey secretKey', [32], (b, x) => b.p256.getPublicKey(x)],
  ['p256.sign secretKey', [32], (b, x) => b.p256.sign(x, msg)],
  ['p256.signDigest secretKey', [32], (b, x) => b.p256.signDigest(x, ok32)],
  ['p256.signDigest digest', [32], (b, x) => b.p256.signDigest(ok32, x)],
  ['p256.verify publicKey', [33, 65], (b, x) => b.p256.verify(x, msg, okSig)],
  ['p256.verify signature', [64], (b, x) => b.p256.verify(okP256Pk, msg, x)],
  ['p256.verifyDigest publicKey', [33, 65], (b, x) => b.p256.verifyDigest(x, ok32, okSig)],
  ['p256.verifyDigest digest', [32], (b, x) => b.p256.verifyDigest(okP256Pk, x, okSig)],
  ['p256.verifyDigest signature', [64], (b, x) => b.p256.verifyDigest(okP256Pk, ok32, x)],
  ['x25519.getPublicKey secretKey', [32], (b, x) => b.x25519.getPublicKey(x)],
  ['x25519.sharedSecret secretKey', [32], (b, x) => b.x25519.sharedSecret(x, okXPk)],
  ['x25519.sharedSecret peerPublicKey', [32], (b, x) => b.x25519.sharedSecret(ok32, x)],
];

describe('malformed arguments', () => {
  for (const [name, lengths, call] of cases) {
    it(`${name}: any other length is CRYPTO_BAD_LENGTH, identical in both backends`, () => {
      const wrong = fc.integer({ min: 0, max: 200 }).filter((n) => !lengths.includes(n));
      fc.assert(
        fc.property(wrong, (n) => {
          const x = new Uint8Array(n).fill(n === 33 || n === 65 ? 4 : 9);
          const a = outcome(() => call(portable, x));
          expect(a).toMatchObject({ error: 'MalformedError', code: 'CRYPTO_BAD_LENGTH' });
          expect(a).toMatchObject({
            message: expect.stringContaining(`got ${n} bytes, want ${lengths.at(-1)}`),
          });
          expect(outcome(() => call(nat, x))).toEqual(a);
        }),
        { numRuns: runs(20, 200) },
      );
    });
  }

  it('names the algorithm and parameter, and sets field', () => {
    for (const b of backends) {
      const e = throwsCode(() => b.ed25519.verify(new Uint8Array(31), msg, okSig), 'CRYPTO_BAD_LENGTH');
      expect(e).toBeInstanceOf(MalformedError);
      expect(e.message).toBe('ed25519 publicKey: got 31 bytes, want 32');
      expect(e.field).toBe('publicKey');
      const p = throwsCode(() => b.p256.verify(new Uint8Array(64), msg, okSig), 'CRYPTO_BAD_LENGTH');
      expect(p.message).toBe('p256 publicKey: got 64 bytes, want 65 (uncompressed) or 33 (compressed)');
    }
  });

  it('refuses non-Uint8Array arguments with CRYPTO_BAD_TYPE, identically', () => {
    const notBytes: unknown[] = [
      'abc',
      [1, 2, 3],
      null,
      undefined,
      42,
      new ArrayBuffer(32),
      new Uint16Array(16),
    ];
    for (const x of notBytes) {
      const calls: ((b: CryptoBackend) => unknown)[] = [
        (b) => b.sha256(x as Uint8Array),
        (b) => b.ed25519.sign(ok32, x as Uint8Array),
        (b) => b.ed25519.verify(okEdPk, x as Uint8Array, okSig),
        (b) => b.ed25519.verify(x as Uint8Array, msg, okSig),
        (b) => b.p256.sign(ok32, x as Uint8Array),
        (b) => b.p256.verify(okP256Pk, x as Uint8Array, okSig),
        (b) => b.x25519.sharedSecret(ok32, x as Uint8Array),
      ];
      for (const call of calls) {
        const a = outcome(() => call(portable));
        expect(a).toMatchObject({ error: 'MalformedError', code: 'CRYPTO_BAD_TYPE' });
        expect(outcome(() => call(nat))).toEqual(a);
      }
    }
  });

  it('randomBytes: lengths 0, 1, 65536 + 1 work; bad lengths are UsageError CRYPTO_BAD_ARGUMENT', () => {
    for (const b of backends) {
      expect(b.randomBytes(0)).toHaveLength(0);
      expect(b.randomBytes(1)).toHaveLength(1);
      const big = b.randomBytes(65537); // more than one Web Crypto call
      expect(big).toHaveLength(65537);
      expect(big.subarray(65536).some((x) => x !== 0) || big.subarray(0, 64).some((x) => x !== 0)).toBe(true);
      expect(b.randomBytes(32)).not.toEqual(b.randomBytes(32));
      for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 30 + 1, '8' as unknown as number]) {
        const e = throwsCode(() => b.randomBytes(bad), 'CRYPTO_BAD_ARGUMENT');
        expect(e).toBeInstanceOf(UsageError);
      }
    }
  });

  it('error messages never contain the secret key bytes', () => {
    const secret = new Uint8Array(32).fill(0xab);
    const n = new Uint8Array(32).fill(0xff); // >= n: CRYPTO_BAD_SECRET_KEY
    for (const b of backends) {
      const e = throwsCode(() => b.p256.sign(n, msg), 'CRYPTO_BAD_SECRET_KEY');
      expect(e.message.toLowerCase()).not.toContain('ffff');
      const l = throwsCode(() => b.ed25519.sign(secret.subarray(0, 31), msg), 'CRYPTO_BAD_LENGTH');
      expect(l.message.toLowerCase()).not.toContain('abab');
    }
  });
});
