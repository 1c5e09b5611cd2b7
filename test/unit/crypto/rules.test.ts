/**
 * The shared rules and helpers: constants against noble's, the constant-time scalar range check
 * against BigInt, low-S, base64url against Node, the DER reader, and checkPublicKey.
 */
import { runInNewContext } from 'node:vm';
import { ed25519 as nobleEd } from '@noble/curves/ed25519.js';
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPublicKey } from '../../../ceremony/crypto/index.js';
import { base64UrlDecode, base64UrlEncode, bigintFromBE } from '../../../ceremony/crypto/bytes.js';
import { readTlv } from '../../../ceremony/crypto/der.js';
import { ED25519_L } from '../../../ceremony/crypto/ed25519-rules.js';
import { P256_N, P256_P, p256ScalarInRange, toLowS } from '../../../ceremony/crypto/p256-rules.js';
import { x25519IsCanonical, x25519IsLowOrder } from '../../../ceremony/crypto/x25519-rules.js';
import { backends, be32, hex, le32, outcome, runs, throwsCode, toHex } from './helpers.js';

describe('constants', () => {
  it('match noble: Ed25519 L, P-256 n and p', () => {
    expect(ED25519_L).toBe(nobleEd.Point.Fn.ORDER);
    expect(P256_N).toBe(nobleP256.Point.CURVE().n);
    expect(P256_P).toBe(nobleP256.Point.CURVE().p);
  });
});

describe('p256ScalarInRange (constant-time borrow chain)', () => {
  it('boundaries', () => {
    expect(p256ScalarInRange(be32(0n))).toBe(false);
    expect(p256ScalarInRange(be32(1n))).toBe(true);
    expect(p256ScalarInRange(be32(P256_N - 1n))).toBe(true);
    expect(p256ScalarInRange(be32(P256_N))).toBe(false);
    expect(p256ScalarInRange(be32((1n << 256n) - 1n))).toBe(false);
  });

  it('agrees with BigInt comparison, uniformly and near n', () => {
    const near = fc.bigInt({ min: -300n, max: 300n }).map((d) => be32(P256_N + d));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), near), (d) => {
        const v = bigintFromBE(d);
        expect(p256ScalarInRange(d)).toBe(v > 0n && v < P256_N);
      }),
      { numRuns: runs(500) },
    );
  });
});

describe('toLowS', () => {
  it('maps s > n/2 to n - s and leaves the rest', () => {
    const r = be32(5n);
    const half = P256_N >> 1n;
    expect(toHex(toLowS(Uint8Array.of(...r, ...be32(half))))).toBe(toHex(Uint8Array.of(...r, ...be32(half))));
    expect(toHex(toLowS(Uint8Array.of(...r, ...be32(half + 1n))))).toBe(
      toHex(Uint8Array.of(...r, ...be32(P256_N - half - 1n))),
    );
    expect(toHex(toLowS(Uint8Array.of(...r, ...be32(P256_N - 1n))))).toBe(
      toHex(Uint8Array.of(...r, ...be32(1n))),
    );
  });
});

describe('base64url', () => {
  it('matches Node for any bytes and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const text = base64UrlEncode(b);
        expect(text).toBe(Buffer.from(b).toString('base64url'));
        expect(toHex(base64UrlDecode(text))).toBe(toHex(b));
      }),
      { numRuns: runs(300) },
    );
    expect(() => base64UrlDecode('abcde')).toThrow(/impossible length/);
    expect(() => base64UrlDecode('ab+/')).toThrow(/bad character/);
  });
});

describe('readTlv', () => {
  const code = (f: () => unknown) => outcome(f);
  it('reads short and long forms; refuses non-minimal, indefinite, truncated and high-tag forms', () => {
    const long = Uint8Array.of(0x04, 0x81, 0x80, ...new Uint8Array(0x80));
    expect(readTlv(long, 0, long.length, 'x').value).toHaveLength(0x80);
    const bad = [
      Uint8Array.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5), // 5 in long form
      Uint8Array.of(0x04, 0x82, 0x00, 0x90, ...new Uint8Array(0x90)), // 0x90 in two bytes
      Uint8Array.of(0x30, 0x80, 0, 0), // indefinite
      Uint8Array.of(0x04, 0x83, 0x01, 0x00, 0x00), // three length bytes
      Uint8Array.of(0x04, 0x05, 1, 2), // runs past the end
      Uint8Array.of(0x04), // truncated header
      Uint8Array.of(0x1f, 0x01, 0x00), // high tag number
    ];
    for (const der of bad)
      expect(code(() => readTlv(der, 0, der.length, 'x'))).toMatchObject({ code: 'CRYPTO_SPKI_MALFORMED' });
  });
});

describe('checkPublicKey', () => {
  const P = (1n << 255n) - 19n;
  it('accepts real keys of each algorithm, compressed P-256 included', () => {
    const edPk = nobleEd.getPublicKey(new Uint8Array(32).fill(1));
    const pPk = nobleP256.getPublicKey(new Uint8Array(32).fill(1), false);
    checkPublicKey('ed25519', edPk);
    checkPublicKey('x25519', le32(9n));
    checkPublicKey('p256', pPk);
    checkPublicKey('p256', nobleP256.Point.fromBytes(pPk).toBytes(true));
  });

  it('x25519: canonical means top bit clear and u < p; low order is weak', () => {
    expect(x25519IsCanonical(le32(P - 1n))).toBe(true);
    expect(x25519IsCanonical(le32(P))).toBe(false);
    expect(x25519IsCanonical(hex(`09${'00'.repeat(30)}80`))).toBe(false);
    expect(x25519IsLowOrder(le32(P + 1n))).toBe(true);
    throwsCode(() => checkPublicKey('x25519', le32(P)), 'CRYPTO_BAD_PUBLIC_KEY');
    throwsCode(() => checkPublicKey('x25519', le32(P - 1n)), 'CRYPTO_WEAK_PUBLIC_KEY');
    const e = throwsCode(
      () => checkPublicKey('x25519', le32(1n), 'keys[3].publicKey'),
      'CRYPTO_WEAK_PUBLIC_KEY',
    );
    expect(e.field).toBe('keys[3].publicKey');
  });
});

describe('cross-realm inputs', () => {
  it('both backends accept a Uint8Array made in another realm (an iframe, a vm context)', () => {
    const foreign = runInNewContext('new Uint8Array([1, 2, 3])') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    for (const b of backends) expect(toHex(b.sha256(foreign))).toBe(toHex(b.sha256(Uint8Array.of(1, 2, 3))));
  });
});
