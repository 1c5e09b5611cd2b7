import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedError } from '../../../../ceremony/errors.js';
import {
  bitLen64,
  onesCount64,
  toTreeBigInt,
  toTreeNumber,
  trailingZeros64,
  trailingZerosNumber,
} from '../../../../ceremony/tlog/merkle/integers.js';
import {
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../ceremony/tlog/merkle/index.js';
import { runs } from './config.js';

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('sizes and indexes', () => {
  it('accepts non-negative safe numbers and bigints in 0..2^63-1', () => {
    expect(toTreeBigInt(0, 'size')).toBe(0n);
    expect(toTreeBigInt(-0, 'size')).toBe(0n);
    expect(toTreeBigInt(Number.MAX_SAFE_INTEGER, 'size')).toBe(2n ** 53n - 1n);
    expect(toTreeBigInt(2n ** 63n - 1n, 'size')).toBe(2n ** 63n - 1n);
    expect(toTreeNumber(5n, 'size')).toBe(5);
    expect(Object.is(toTreeNumber(-0, 'size'), 0)).toBe(true);
  });

  const bad: unknown[] = [
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    -1n,
    2n ** 63n,
    2n ** 64n - 1n,
    '5',
    null,
    undefined,
    {},
  ];
  it.each(bad.map((v) => [String(v), v]))('refuses %s with MERKLE_BAD_INTEGER naming the field', (_s, v) => {
    const leaf = new Uint8Array(32);
    for (const call of [
      () => toTreeBigInt(v as number, 'size'),
      () => verifyInclusion(leaf, 0, v as number, [], leaf),
      () => verifyInclusion(leaf, v as number, 10, [], leaf),
      () => verifyConsistency(v as number, 10, leaf, leaf, []),
      () => verifyConsistency(1, v as number, leaf, leaf, []),
    ]) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MalformedError);
      expect((err as MalformedError).code).toBe('MERKLE_BAD_INTEGER');
      expect((err as MalformedError).message).toMatch(/got .*want/);
      expect((err as MalformedError).field).toMatch(/^(size|index|size1|size2)$/);
    }
  });

  it('gives the same result for number and bigint arguments', () => {
    const leaf = new Uint8Array(32).fill(7);
    const proof = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    expect(rootFromInclusionProof(leaf, 1, 3, proof)).toEqual(rootFromInclusionProof(leaf, 1n, 3n, proof));
    expect(rootFromInclusionProof(leaf, 1n, 3, proof)).toEqual(rootFromInclusionProof(leaf, 1, 3n, proof));
  });

  it('bit operations agree with bigint arithmetic over the whole 64-bit range', () => {
    fc.assert(
      fc.property(u64, (x) => {
        expect(bitLen64(x)).toBe(x === 0n ? 0 : x.toString(2).length);
        expect(onesCount64(x)).toBe([...x.toString(2)].filter((c) => c === '1').length);
        const tz = x === 0n ? 64 : x.toString(2).length - 1 - x.toString(2).lastIndexOf('1');
        expect(trailingZeros64(x)).toBe(tz);
        if (x > 0n && x <= BigInt(Number.MAX_SAFE_INTEGER)) expect(trailingZerosNumber(Number(x))).toBe(tz);
      }),
      { numRuns: runs(2000, 50000) },
    );
    for (let i = 0; i < 64; i++) {
      const p = 1n << BigInt(i);
      expect([bitLen64(p), onesCount64(p), trailingZeros64(p)]).toEqual([i + 1, 1, i]);
      expect([bitLen64(p - 1n), onesCount64(p - 1n)]).toEqual([i, i]);
    }
  });
});
