/**
 * The shared rules and helpers: constants against noble's, the constant-time scalar range check
 * against BigInt, the byte-wise range checks against slow BigInt references, low-S, base64url
 * against Node, the DER reader, and checkPublicKey.
 */
import { runInNewContext } from 'node:vm';
import { ed25519 as nobleEd } from '@noble/curves/ed25519.js';
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPublicKey } from '../../../ceremony/crypto/index.js';
import {
  base64UrlDecode,
  base64UrlEncode,
  bigintFromBE,
  bigintFromLE,
  compareBE,
  compareLE,
} from '../../../ceremony/crypto/bytes.js';
import { readTlv } from '../../../ceremony/crypto/der.js';
import {
  checkEd25519PublicKeyEncoding,
  ED25519_L,
  ED25519_SMALL_ORDER_POINTS,
  ed25519SInRange,
} from '../../../ceremony/crypto/ed25519-rules.js';
import {
  checkP256PublicKeyEncoding,
  P256_N,
  P256_P,
  p256ScalarInRange,
  p256SignatureInRange,
  toLowS,
} from '../../../ceremony/crypto/p256-rules.js';
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

/**
 * Slow, obviously correct BigInt references for the byte-wise checks of the *-rules.ts files, and
 * values that sit on and around every boundary they compare with.
 */
describe('byte-wise range checks agree with BigInt references', () => {
  const P25519 = (1n << 255n) - 19n;
  const mod = (n: bigint, m: bigint) => ((n % m) + m) % m;
  /** A 256-bit value: uniform, or within ±300 of a boundary (wrapped mod 2^256). */
  const near = (...bounds: bigint[]) =>
    fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
      ...bounds.map((b) => fc.bigInt({ min: -300n, max: 300n }).map((d) => mod(b + d, 1n << 256n))),
    );
  const le = (n: bigint) => le32(n);
  const be = (n: bigint) => be32(n);

  it('compareBE and compareLE order like BigInt, with offsets and the top-byte mask', () => {
    const sign = (n: number) => Math.sign(n);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 40, maxLength: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat(8),
        fc.boolean(),
        (a, b, offset, masked) => {
          const part = a.slice(offset, offset + 32);
          const cmp = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
          expect(sign(compareBE(a, b, offset))).toBe(cmp(bigintFromBE(part), bigintFromBE(b)));
          const mask = masked ? 0x7f : 0xff;
          const partLE = part.slice();
          partLE[31] = partLE[31]! & mask;
          expect(sign(compareLE(a, b, offset, mask))).toBe(cmp(bigintFromLE(partLE), bigintFromLE(b)));
          expect(compareBE(a, part, offset)).toBe(0);
        },
      ),
      { numRuns: runs(500) },
    );
  });

  it('x25519: canonical and low-order as decodeUCoordinate and mod p say (RFC 7748 §5)', () => {
    const LOW = [0n, 1n, P25519 - 1n].concat(
      [
        'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
        '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      ].map((h) => bigintFromLE(hex(h))),
    );
    const u = (k: Uint8Array) => bigintFromLE(k) & ((1n << 255n) - 1n);
    const check = (k: Uint8Array) => {
      expect(x25519IsCanonical(k)).toBe((k[31]! & 0x80) === 0 && bigintFromLE(k) < P25519);
      expect(x25519IsLowOrder(k)).toBe(LOW.includes(u(k) % P25519));
    };
    const edges = LOW.flatMap((v) => [v, v + P25519, v + (1n << 255n), v + P25519 + (1n << 255n)]);
    fc.assert(fc.property(near(P25519, 1n << 255n, P25519 + (1n << 255n), ...edges).map(le), check), {
      numRuns: runs(1000),
    });
    // All 14 low-order encodings, and their neighbours.
    let lowOrder = 0;
    for (const v of edges.filter((e) => e < 1n << 256n))
      for (const d of [-1n, 0n, 1n]) {
        const k = le(mod(v + d, 1n << 256n));
        check(k);
        if (d === 0n && x25519IsLowOrder(k)) lowOrder++;
      }
    expect(
      new Set(edges.filter((e) => e < 1n << 256n && LOW.includes(mod(e, 1n << 255n) % P25519))).size,
    ).toBe(14);
    expect(lowOrder).toBeGreaterThanOrEqual(14);
  });

  it('ed25519: y < p, no x = 0 with the sign bit, S < L (RFC 8032 §5.1.3, §5.1.7)', () => {
    const small = new Set(ED25519_SMALL_ORDER_POINTS.map(toHex));
    const reference = (k: Uint8Array): string => {
      const y = bigintFromLE(k) & ((1n << 255n) - 1n);
      if (y >= P25519) return 'CRYPTO_BAD_PUBLIC_KEY';
      if ((y === 1n || y === P25519 - 1n) && (k[31]! & 0x80) !== 0) return 'CRYPTO_BAD_PUBLIC_KEY';
      return small.has(toHex(k)) ? 'CRYPTO_WEAK_PUBLIC_KEY' : 'ok';
    };
    const actual = (k: Uint8Array): string => {
      const o = outcome(() => checkEd25519PublicKeyEncoding(k));
      return 'ok' in o ? 'ok' : o.code;
    };
    const sign = 1n << 255n;
    const keys = near(P25519, 1n, P25519 - 1n, sign + P25519, sign + 1n, sign + P25519 - 1n, sign, 0n).map(
      le,
    );
    fc.assert(
      fc.property(keys, near(ED25519_L, 0n).map(le), (k, s) => {
        expect(actual(k)).toBe(reference(k));
        const sig = Uint8Array.of(...new Uint8Array(32).fill(1), ...s);
        expect(ed25519SInRange(sig)).toBe(bigintFromLE(s) < ED25519_L);
      }),
      { numRuns: runs(1000) },
    );
    for (const p of ED25519_SMALL_ORDER_POINTS) expect(actual(p)).toBe('CRYPTO_WEAK_PUBLIC_KEY');
  });

  it('p256: coordinates below p, r and s in [1, n-1] (SEC 1 §2.3.4, §4.1.4)', () => {
    const coord = near(P256_P, 0n).map(be);
    fc.assert(
      fc.property(coord, coord, near(P256_N, 0n).map(be), near(P256_N, 0n).map(be), (x, y, r, s) => {
        const encoded = outcome(() => checkP256PublicKeyEncoding(Uint8Array.of(4, ...x, ...y)));
        const xOk = bigintFromBE(x) < P256_P;
        const yOk = bigintFromBE(y) < P256_P;
        expect('ok' in encoded).toBe(xOk && yOk);
        if (!xOk) expect(encoded).toMatchObject({ message: 'p256 publicKey: x coordinate not below p' });
        else if (!yOk) expect(encoded).toMatchObject({ message: 'p256 publicKey: y coordinate not below p' });
        const compressed = outcome(() => checkP256PublicKeyEncoding(Uint8Array.of(2, ...x)));
        expect('ok' in compressed).toBe(xOk);
        const inRange = (v: bigint) => v > 0n && v < P256_N;
        expect(p256SignatureInRange(Uint8Array.of(...r, ...s))).toBe(
          inRange(bigintFromBE(r)) && inRange(bigintFromBE(s)),
        );
      }),
      { numRuns: runs(1000) },
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
