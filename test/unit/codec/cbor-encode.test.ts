import { describe, it, expect } from 'vitest';
import { decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import type { CborInput } from '../../../ceremony/codec/index.js';
import { UsageError } from '../../../ceremony/errors.js';

const hex = (v: CborInput): string => Buffer.from(encodeCbor(v)).toString('hex');

function usage(fn: () => unknown, code: string): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).code).toBe(code);
    return e as UsageError;
  }
  throw new Error(`expected UsageError ${code}`);
}

describe('encodeCbor: integers in the shortest form (RFC 8949 §4.2.1)', () => {
  const cases: [CborInput, string][] = [
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [255, '18ff'],
    [256, '190100'],
    [65535, '19ffff'],
    [65536, '1a00010000'],
    [2 ** 32 - 1, '1affffffff'],
    [2 ** 32, '1b0000000100000000'],
    [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
    [2n ** 64n - 1n, '1bffffffffffffffff'],
    [-1, '20'],
    [-24, '37'],
    [-25, '3818'],
    [-256, '38ff'],
    [-257, '390100'],
    [-(2 ** 32), '3affffffff'],
    [-(2 ** 32) - 1, '3b0000000100000000'],
    [-(2n ** 64n), '3bffffffffffffffff'],
    [-0, '00'],
  ];
  for (const [v, want] of cases) {
    it(`${String(v)} → ${want}`, () => expect(hex(v)).toBe(want));
  }

  it('encodes a bigint and the equal number identically', () => {
    for (const n of [0, 1, 23, 24, 255, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -(2 ** 40)]) {
      expect(hex(BigInt(n))).toBe(hex(n));
    }
  });
});

describe('encodeCbor: strings, bytes, arrays, simple values', () => {
  it('uses the shortest length forms', () => {
    expect(hex('')).toBe('60');
    expect(hex('a'.repeat(23))).toBe('77' + '61'.repeat(23));
    expect(hex('a'.repeat(24)).slice(0, 4)).toBe('7818');
    expect(hex('a'.repeat(256)).slice(0, 6)).toBe('790100');
    expect(hex('é'.repeat(12)).slice(0, 4)).toBe('7818'); // length counts UTF-8 bytes
    expect(hex(new Uint8Array(0))).toBe('40');
    expect(hex(new Uint8Array(65536)).slice(0, 10)).toBe('5a00010000');
    expect(hex(new Array(24).fill(0)).slice(0, 4)).toBe('9818');
  });

  it('encodes booleans and null', () => {
    expect(hex([false, true, null])).toBe('83f4f5f6');
  });

  it('writes a plain Uint8Array for a subarray view', () => {
    const big = Uint8Array.of(9, 1, 2, 9);
    expect(hex(big.subarray(1, 3))).toBe('420102');
  });
});

describe('encodeCbor: maps sorted by encoded keys (RFC 8949 §4.2.1)', () => {
  it('sorts integer and text keys bytewise by encoding, whatever the insertion order', () => {
    // §4.2.1's example order, restricted to our key types: 10, 100, -1, "z", "aa".
    const m = new Map<string | number, CborInput>([
      ['aa', 5],
      ['z', 4],
      [-1, 3],
      [100, 2],
      [10, 1],
    ]);
    expect(hex(m)).toBe('a5' + '0a01' + '186402' + '2003' + '617a04' + '62616105');
  });

  it('encodes a plain object like the Map with the same text keys', () => {
    const obj = { b: 1, a: [2], aa: { x: null } };
    const map = new Map<string, CborInput>([
      ['aa', new Map([['x', null]])],
      ['a', [2]],
      ['b', 1],
    ]);
    expect(hex(obj)).toBe(hex(map));
    expect(hex(obj)).toBe('a3' + '616181' + '02' + '616201' + '626161a1' + '6178f6');
  });

  it('accepts null-prototype objects', () => {
    const o = Object.assign(Object.create(null) as Record<string, CborInput>, { k: 1 });
    expect(hex(o)).toBe('a1616b01');
  });

  it('round-trips through decodeCbor', () => {
    const v = new Map<string | number | bigint, CborInput>([
      [1, 'one'],
      [-3, new Uint8Array([1, 2])],
      ['k', [true, null, -5n, 2n ** 63n]],
    ]);
    const bytes = encodeCbor(v);
    expect(encodeCbor(decodeCbor(bytes))).toEqual(bytes);
  });
});

describe('encodeCbor: refuses values outside the profile', () => {
  it('floats, NaN and infinities', () => {
    for (const v of [1.5, -0.25, NaN, Infinity, -Infinity]) usage(() => encodeCbor(v), 'CBOR_FLOAT');
  });
  it('unsafe integral numbers (pass a bigint)', () => {
    usage(() => encodeCbor(2 ** 53), 'CBOR_UNSAFE_INTEGER');
    usage(() => encodeCbor(-(2 ** 60)), 'CBOR_UNSAFE_INTEGER');
  });
  it('bigints outside -2^64 … 2^64-1', () => {
    usage(() => encodeCbor(2n ** 64n), 'CBOR_INTEGER_RANGE');
    usage(() => encodeCbor(-(2n ** 64n) - 1n), 'CBOR_INTEGER_RANGE');
  });
  it('strings with an unpaired surrogate', () => {
    usage(() => encodeCbor(['ok', 'x\ud800']), 'CBOR_INVALID_TEXT');
  });
  it('undefined, functions, symbols, class instances, with the path', () => {
    const e = usage(
      () => encodeCbor({ keys: [1, { pub: undefined }] } as unknown as CborInput),
      'CBOR_UNSUPPORTED_VALUE',
    );
    expect(e.field).toBe('$.keys[1].pub');
    usage(() => encodeCbor((() => 1) as unknown as CborInput), 'CBOR_UNSUPPORTED_VALUE');
    usage(() => encodeCbor(Symbol('s') as unknown as CborInput), 'CBOR_UNSUPPORTED_VALUE');
    usage(() => encodeCbor(new Date(0) as unknown as CborInput), 'CBOR_UNSUPPORTED_VALUE');
    usage(() => encodeCbor(new Set([1]) as unknown as CborInput), 'CBOR_UNSUPPORTED_VALUE');
    const sparse: unknown[] = [1];
    sparse[2] = 3; // a hole at index 1
    usage(() => encodeCbor(sparse as CborInput), 'CBOR_UNSUPPORTED_VALUE');
  });
  it('map keys other than integers and text', () => {
    usage(() => encodeCbor(new Map([[true, 1]]) as unknown as CborInput), 'CBOR_KEY_TYPE');
    usage(() => encodeCbor(new Map([[new Uint8Array(1), 1]]) as unknown as CborInput), 'CBOR_KEY_TYPE');
    usage(() => encodeCbor(new Map([[1.5, 1]])), 'CBOR_FLOAT');
  });
  it('keys that encode identically', () => {
    usage(
      () =>
        encodeCbor(
          new Map<number | bigint, number>([
            [1, 1],
            [1n, 2],
          ]),
        ),
      'CBOR_DUPLICATE_KEY',
    );
  });
  it('nesting deeper than maxDepth, and cycles', () => {
    let v: CborInput = 0;
    for (let i = 0; i < 16; i++) v = [v];
    expect(encodeCbor(v).length).toBe(17);
    usage(() => encodeCbor([v]), 'CBOR_TOO_DEEP');
    expect(encodeCbor([v], { maxDepth: 17 }).length).toBe(18);
    usage(() => encodeCbor([], { maxDepth: 0 }), 'CBOR_TOO_DEEP');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    usage(() => encodeCbor(cyclic as CborInput), 'CBOR_TOO_DEEP');
  });
  it('invalid options', () => {
    for (const maxDepth of [-1, 1.5, 257, NaN]) usage(() => encodeCbor(1, { maxDepth }), 'CBOR_BAD_OPTION');
  });
});
