import { describe, it, expect } from 'vitest';
import { decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import { UsageError } from '../../../ceremony/errors.js';
import { h, malformed } from './helpers.js';

/** A good encoding and its one-byte mutation (offset, new byte) that breaks exactly one rule. */
interface Mutation {
  rule: string;
  good: string;
  at: number;
  to: number;
  code: string;
  opts?: { maxDepth?: number };
}

const nest = (n: number, inner: string): string => '81'.repeat(n) + inner;

const mutations: Mutation[] = [
  { rule: 'shortest integer (1-byte form for 23)', good: '1818', at: 1, to: 0x17, code: 'CBOR_NON_SHORTEST' },
  {
    rule: 'shortest integer (2-byte form < 256)',
    good: '190100',
    at: 1,
    to: 0x00,
    code: 'CBOR_NON_SHORTEST',
  },
  {
    rule: 'shortest integer (4-byte form < 65536)',
    good: '1a00010000',
    at: 2,
    to: 0x00,
    code: 'CBOR_NON_SHORTEST',
  },
  {
    rule: 'shortest integer (8-byte form < 2^32)',
    good: '1b0000000100000000',
    at: 4,
    to: 0x00,
    code: 'CBOR_NON_SHORTEST',
  },
  { rule: 'shortest negative integer', good: '3818', at: 1, to: 0x00, code: 'CBOR_NON_SHORTEST' },
  {
    rule: 'shortest string length',
    good: '7818' + '61'.repeat(24),
    at: 1,
    to: 0x05,
    code: 'CBOR_NON_SHORTEST',
  },
  {
    rule: 'shortest array count',
    good: '9818' + '00'.repeat(24),
    at: 1,
    to: 0x01,
    code: 'CBOR_NON_SHORTEST',
  },
  { rule: 'definite-length array', good: '83010203', at: 0, to: 0x9f, code: 'CBOR_INDEFINITE_LENGTH' },
  { rule: 'definite-length byte string', good: '420102', at: 0, to: 0x5f, code: 'CBOR_INDEFINITE_LENGTH' },
  { rule: 'definite-length text string', good: '626162', at: 0, to: 0x7f, code: 'CBOR_INDEFINITE_LENGTH' },
  { rule: 'definite-length map', good: 'a10102', at: 0, to: 0xbf, code: 'CBOR_INDEFINITE_LENGTH' },
  {
    rule: 'no break outside indefinite items',
    good: '83010203',
    at: 3,
    to: 0xff,
    code: 'CBOR_UNEXPECTED_BREAK',
  },
  { rule: 'no reserved additional information', good: '83010203', at: 3, to: 0x1c, code: 'CBOR_RESERVED' },
  { rule: 'no ai 31 on integers', good: '83010203', at: 3, to: 0x1f, code: 'CBOR_RESERVED' },
  { rule: 'no tags', good: '8301021a514b67b0', at: 3, to: 0xc1, code: 'CBOR_TAG' },
  { rule: 'no half floats', good: '83010203', at: 0, to: 0xf9, code: 'CBOR_FLOAT' },
  { rule: 'no single floats', good: '82011b3ff199999999999a', at: 2, to: 0xfa, code: 'CBOR_FLOAT' },
  { rule: 'no double floats', good: '82011b3ff199999999999a', at: 2, to: 0xfb, code: 'CBOR_FLOAT' },
  { rule: 'no undefined', good: '8301f5f6', at: 3, to: 0xf7, code: 'CBOR_SIMPLE_VALUE' },
  { rule: 'no other simple values', good: '8301f5f6', at: 3, to: 0xf0, code: 'CBOR_SIMPLE_VALUE' },
  { rule: 'no two-byte simple values', good: '8301f518ff', at: 3, to: 0xf8, code: 'CBOR_SIMPLE_VALUE' },
  { rule: 'valid UTF-8', good: '63616263', at: 2, to: 0xff, code: 'CBOR_INVALID_UTF8' },
  { rule: 'UTF-8 without surrogates', good: '63e6b0b4', at: 1, to: 0xed, code: 'CBOR_INVALID_UTF8' },
  { rule: 'UTF-8 without overlong forms', good: '62c3bc', at: 1, to: 0xc0, code: 'CBOR_INVALID_UTF8' },
  { rule: 'map keys sorted', good: 'a201020304', at: 1, to: 0x05, code: 'CBOR_UNSORTED_KEYS' },
  { rule: 'text map keys sorted', good: 'a26161006162' + '00', at: 5, to: 0x60, code: 'CBOR_UNSORTED_KEYS' },
  {
    rule: 'negative keys after unsigned',
    good: 'a2170020' + '00',
    at: 3,
    to: 0x16,
    code: 'CBOR_UNSORTED_KEYS',
  },
  { rule: 'map keys unique', good: 'a201020304', at: 3, to: 0x01, code: 'CBOR_DUPLICATE_KEY' },
  { rule: 'map keys are integers or text', good: 'a201020304', at: 1, to: 0x40, code: 'CBOR_KEY_TYPE' },
  { rule: 'no array as map key', good: 'a201020304', at: 1, to: 0x80, code: 'CBOR_KEY_TYPE' },
  { rule: 'no bool as map key', good: 'a201020304', at: 1, to: 0xf5, code: 'CBOR_KEY_TYPE' },
  { rule: 'no trailing bytes', good: '83010203', at: 0, to: 0x82, code: 'CBOR_TRAILING_BYTES' },
  { rule: 'no truncated array', good: '83010203', at: 0, to: 0x84, code: 'CBOR_TRUNCATED' },
  { rule: 'no truncated string', good: '63616263', at: 0, to: 0x64, code: 'CBOR_TRUNCATED' },
  { rule: 'no truncated argument', good: '821901000a', at: 1, to: 0x1a, code: 'CBOR_TRUNCATED' },
  { rule: 'no truncated map', good: 'a201020304', at: 0, to: 0xa3, code: 'CBOR_TRUNCATED' },
  { rule: 'nesting at most maxDepth', good: nest(16, '00'), at: 16, to: 0x80, code: 'CBOR_TOO_DEEP' },
  {
    rule: 'nesting at most maxDepth (maps)',
    good: 'a101' + 'a101'.repeat(2) + '00',
    at: 6,
    to: 0xa0,
    code: 'CBOR_TOO_DEEP',
    opts: { maxDepth: 3 },
  },
];

describe('decodeCbor: each rule, by a one-byte change of a good encoding', () => {
  for (const m of mutations) {
    it(`${m.rule}: ${m.code}`, () => {
      const good = h(m.good);
      const v = decodeCbor(good, m.opts);
      expect(encodeCbor(v, m.opts)).toEqual(good);
      const bad = good.slice();
      expect(bad[m.at]).not.toBe(m.to);
      bad[m.at] = m.to;
      malformed(() => decodeCbor(bad, m.opts), m.code);
    });
  }
});

describe('decodeCbor: other refusals', () => {
  it('empty input', () => {
    malformed(() => decodeCbor(new Uint8Array(0)), 'CBOR_TRUNCATED');
  });

  it('input above maxBytes, before any parsing', () => {
    const good = encodeCbor(new Uint8Array(100));
    expect(decodeCbor(good, { maxBytes: good.length })).toEqual(new Uint8Array(100));
    malformed(() => decodeCbor(good, { maxBytes: good.length - 1 }), 'CBOR_TOO_LARGE');
    malformed(() => decodeCbor(new Uint8Array((1 << 20) + 1)), 'CBOR_TOO_LARGE');
  });

  it('declared lengths beyond the input, without allocating them', () => {
    for (const x of [
      '5bffffffffffffffff',
      '7b0000000100000000',
      '9bffffffffffffffff',
      'bb7fffffffffffffff',
      '9a7fffffff00',
    ]) {
      malformed(() => decodeCbor(h(x)), 'CBOR_TRUNCATED');
    }
  });

  it('the text of the error names the byte offset and the field', () => {
    const e = malformed(() => decodeCbor(h('83 01 02 f97e00'), { field: 'bundle.keys' }), 'CBOR_FLOAT');
    expect(e.message).toContain('byte 3');
    expect(e.field).toBe('bundle.keys');
    expect(e.message).toContain('bundle.keys');
  });

  it('the first violation wins, in input order', () => {
    malformed(() => decodeCbor(h('82 1800 c0')), 'CBOR_NON_SHORTEST');
    malformed(() => decodeCbor(h('82 c0 1800')), 'CBOR_TAG');
  });

  it('the first violation wins where two rules meet at one head', () => {
    // A container's depth before its declared count; a map key's type before the key is read.
    malformed(() => decodeCbor(h('81 9b 0020000000000000'), { maxDepth: 1 }), 'CBOR_TOO_DEEP');
    malformed(() => decodeCbor(h('81 9b 0020000000000000'), { maxDepth: 2 }), 'CBOR_TRUNCATED');
    malformed(() => decodeCbor(h('83 f7')), 'CBOR_TRUNCATED'); // count checked before the items
    malformed(() => decodeCbor(h('a1 c0 00')), 'CBOR_KEY_TYPE');
    malformed(() => decodeCbor(h('a1 ff 00')), 'CBOR_KEY_TYPE');
    malformed(() => decodeCbor(h('a1 1c 00')), 'CBOR_RESERVED');
  });

  it('a declared length too large for a safe integer is named exactly', () => {
    const e = malformed(() => decodeCbor(h('5b ffffffffffffffff 00')), 'CBOR_TRUNCATED');
    expect(e.message).toContain('length 18446744073709551615 needs 18446744073709551615 bytes, 1 remain');
  });

  it('input that is not a Uint8Array', () => {
    for (const x of ['00', [0], new ArrayBuffer(1), null]) {
      const e = malformed(() => decodeCbor(x as unknown as Uint8Array, { field: 'bundle' }), 'FIELD_TYPE');
      expect(e.field).toBe('bundle');
    }
  });

  it('invalid options', () => {
    for (const o of [{ maxBytes: 0 }, { maxBytes: 1.5 }, { maxDepth: -1 }, { maxDepth: 1000 }]) {
      expect(() => decodeCbor(h('00'), o)).toThrow(UsageError);
    }
  });
});

describe('decodeCbor: the value model', () => {
  it('integers: number when safe, else bigint', () => {
    expect(decodeCbor(h('1b001fffffffffffff'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeCbor(h('1b0020000000000000'))).toBe(2n ** 53n);
    expect(decodeCbor(h('3b001ffffffffffffe'))).toBe(-Number.MAX_SAFE_INTEGER);
    expect(decodeCbor(h('3b001fffffffffffff'))).toBe(-(2n ** 53n));
    expect(decodeCbor(h('3a7fffffff'))).toBe(-(2 ** 31));
    expect(decodeCbor(h('1a00010000'))).toBe(65536);
  });

  it('byte strings are fresh plain Uint8Arrays', () => {
    const input = h('420102');
    const v = decodeCbor(input) as Uint8Array;
    expect(Object.getPrototypeOf(v)).toBe(Uint8Array.prototype);
    input[1] = 9;
    expect([...v]).toEqual([1, 2]);
  });

  it('a Buffer input gives plain Uint8Arrays that do not share its memory', () => {
    const input = Buffer.from('82420102a0', 'hex');
    const v = decodeCbor(input) as [Uint8Array, Map<never, never>];
    expect(Object.getPrototypeOf(v[0])).toBe(Uint8Array.prototype);
    input[2] = 9;
    expect([...v[0]]).toEqual([1, 2]);
  });

  it('text strings: ASCII and not, short and long', () => {
    for (const t of ['', 'a'.repeat(32), 'a'.repeat(33), 'é', 'aé'.repeat(20), '\u0000\u007f', '😀']) {
      expect(decodeCbor(encodeCbor(t))).toBe(t);
    }
    for (const x of ['6180', '61ff', '7821' + '61'.repeat(32) + '80', '62c328', '63eda080', '64f4908080']) {
      malformed(() => decodeCbor(h(x)), 'CBOR_INVALID_UTF8');
    }
  });

  it('accepts a subarray view of a larger buffer', () => {
    const big = h('ff 83010203 ff');
    expect(decodeCbor(big.subarray(1, 5))).toEqual([1, 2, 3]);
  });

  it('maps are Maps in encoded order, integer and text keys together', () => {
    const v = decodeCbor(h('a3 01 f5 20 f4 6161 f6'));
    expect(v).toBeInstanceOf(Map);
    expect([...(v as Map<unknown, unknown>)]).toEqual([
      [1, true],
      [-1, false],
      ['a', null],
    ]);
  });

  it('maxDepth counts arrays and maps; scalars at the top are depth 0', () => {
    expect(decodeCbor(h('00'), { maxDepth: 0 })).toBe(0);
    malformed(() => decodeCbor(h('80'), { maxDepth: 0 }), 'CBOR_TOO_DEEP');
    expect(decodeCbor(h('80'), { maxDepth: 1 })).toEqual([]);
  });
});

describe('decodeCbor: verifyReencoding', () => {
  it('accepts what the default accepts, and refuses with the same code', () => {
    const good = h('a3 01 f5 20 f4 6161 f6');
    expect(decodeCbor(good, { verifyReencoding: true })).toEqual(decodeCbor(good));
    for (const m of mutations) {
      const bad = h(m.good);
      bad[m.at] = m.to;
      malformed(() => decodeCbor(bad, { ...m.opts, verifyReencoding: true }), m.code);
    }
  });
});
