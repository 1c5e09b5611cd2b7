import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  compareBytes,
  concatBytes,
  equalBytes,
  isUtf8,
  readU64be,
  u64be,
  utf8Decode,
  utf8Encode,
} from '../../../ceremony/codec/index.js';
import { UsageError } from '../../../ceremony/errors.js';
import { h, malformed, runs } from './helpers.js';

describe('byte utilities', () => {
  it('concatBytes', () => {
    expect(concatBytes()).toEqual(new Uint8Array(0));
    expect(concatBytes(h('01'), h(''), h('0203'))).toEqual(h('010203'));
  });

  it('equalBytes compares contents and lengths', () => {
    expect(equalBytes(h('0102'), h('0102'))).toBe(true);
    expect(equalBytes(h('0102'), h('0103'))).toBe(false);
    expect(equalBytes(h('0102'), h('01'))).toBe(false);
    expect(equalBytes(h(''), h(''))).toBe(true);
  });

  it('compareBytes is bytewise lexicographic, shorter prefix first', () => {
    expect(compareBytes(h('01'), h('0100'))).toBeLessThan(0);
    expect(compareBytes(h('02'), h('0100'))).toBeGreaterThan(0);
    expect(compareBytes(h('0102'), h('0102'))).toBe(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6 }), fc.uint8Array({ maxLength: 6 }), (a, b) => {
        const want = Buffer.compare(Buffer.from(a), Buffer.from(b));
        expect(Math.sign(compareBytes(a, b))).toBe(want);
      }),
      { numRuns: runs(300) },
    );
  });

  it('utf8 round-trips well-formed strings and keeps a BOM', () => {
    expect(utf8Decode(utf8Encode('\ufeffé水𐅑'))).toBe('\ufeffé水𐅑');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Decode(utf8Encode(s))).toBe(s);
      }),
      { numRuns: runs(300) },
    );
  });

  it('utf8Decode is fatal on invalid UTF-8', () => {
    for (const bad of ['ff', 'c0af', 'eda080', 'f4908080', 'e282', '80']) {
      expect(isUtf8(h(bad))).toBe(false);
      expect(malformed(() => utf8Decode(h(bad), 'name'), 'UTF8_INVALID').field).toBe('name');
    }
    expect(isUtf8(h('e282ac'))).toBe(true);
  });

  it('utf8Encode refuses unpaired surrogates', () => {
    malformed(() => utf8Encode('a\ud800'), 'TEXT_LONE_SURROGATE');
    malformed(() => utf8Encode('\udc00b'), 'TEXT_LONE_SURROGATE');
  });

  it('u64be and readU64be', () => {
    expect(u64be(1)).toEqual(h('0000000000000001'));
    expect(u64be(2n ** 64n - 1n)).toEqual(h('ffffffffffffffff'));
    expect(readU64be(h('ff 0000000000000102'), 1)).toBe(258n);
    for (const n of [-1, 1.5, 2 ** 53, -1n, 2n ** 64n]) expect(() => u64be(n)).toThrow(UsageError);
    malformed(() => readU64be(h('00000000000000'), 0), 'U64_TRUNCATED');
    malformed(() => readU64be(h('0000000000000000'), 1), 'U64_TRUNCATED');
    malformed(() => readU64be(h('0000000000000000'), -1), 'U64_TRUNCATED');
  });
});
