/**
 * Property and differential tests of the CBOR codec (fast-check; FLEET_LONG_TESTS=1 runs 50× more):
 * - any encodable value round-trips, and its encoding is what the reference decoder accepts;
 * - on random bytes and on valid encodings mutated one to three times, `decodeCbor` agrees with
 *   the slow reference decoder (./cbor-reference.ts): the same value, or a MalformedError with the
 *   same code (the first violation in input order), never another exception; at the default
 *   depth limit and at small ones;
 * - whatever is accepted re-encodes to identical bytes, and `verifyReencoding: true` changes no
 *   outcome.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compareBytes, decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import type { CborInput, DecodeCborOptions } from '../../../ceremony/codec/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { referenceDecode } from './cbor-reference.js';
import type { ReferenceOutcome } from './cbor-reference.js';
import { attempt, expectedDecoded, runs } from './helpers.js';

const MAX = 2n ** 64n - 1n;

const integer = fc.oneof(
  fc.integer({ min: -300, max: 300 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -MAX - 1n, max: MAX }),
  fc.constantFrom(
    23,
    24,
    255,
    256,
    65535,
    65536,
    2 ** 32 - 1,
    2 ** 32,
    -24,
    -25,
    -257,
    2 ** 53 - 1,
    -(2 ** 53) + 1,
    2n ** 53n,
    -(2n ** 53n),
    2n ** 64n - 1n,
    -(2n ** 64n),
  ),
);
const text = fc.string({ unit: 'binary', maxLength: 30 });
// Keys never collide by encoding (7 and 7n would): bigint keys only outside the safe range.
const key = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.bigInt({ min: 2n ** 53n, max: MAX }),
  fc.bigInt({ min: -MAX - 1n, max: -(2n ** 53n) }),
  text,
);

const { value } = fc.letrec<{ value: CborInput }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    integer,
    text,
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((es) => new Map(es)),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
}));

type Edit = 'flip' | 'set' | 'insert' | 'delete' | 'cut' | 'append';

/** One edit of an encoding: flip a bit, set, insert or delete a byte, truncate, or append. */
function edit(e: Uint8Array, i: number, b: number, op: Edit): Uint8Array {
  const at = e.length === 0 ? 0 : i % e.length;
  switch (op) {
    case 'flip':
      return e.length === 0 ? e : Uint8Array.from(e, (x, j) => (j === at ? x ^ (1 << (b % 8)) : x));
    case 'set':
      return e.length === 0 ? e : Uint8Array.from(e, (x, j) => (j === at ? b : x));
    case 'insert':
      return Uint8Array.from([...e.subarray(0, at), b, ...e.subarray(at)]);
    case 'delete':
      return Uint8Array.from([...e.subarray(0, at), ...e.subarray(at + 1)]);
    case 'cut':
      return e.slice(0, at);
    default:
      return Uint8Array.from([...e, b]);
  }
}

/** Valid encodings with one to three edits. */
const mutated = fc
  .tuple(
    value,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom<Edit>('flip', 'set', 'insert', 'delete', 'cut', 'append'),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([v, edits]) => edits.reduce((e, [i, b, op]) => edit(e, i, b, op), encodeCbor(v) as Uint8Array));

/** What decodeCbor does with `bytes`, in the reference's terms; any other exception fails the test. */
function outcome(bytes: Uint8Array, options: DecodeCborOptions = {}): ReferenceOutcome {
  const got = attempt(() => decodeCbor(bytes, options));
  return got instanceof MalformedError ? { ok: false, code: got.code } : { ok: true, value: got };
}

/**
 * decodeCbor agrees with the reference: same value, or same refusal code; accepted bytes
 * re-encode; the opt-in re-encoding check changes nothing.
 */
function agreesWithReference(bytes: Uint8Array, maxDepth = 16): void {
  const got = outcome(bytes, { maxDepth });
  expect(got).toEqual(referenceDecode(bytes, maxDepth));
  expect(outcome(bytes, { maxDepth, verifyReencoding: true })).toEqual(got);
  if (got.ok) expect(encodeCbor(got.value, { maxDepth })).toEqual(bytes);
}

/** A head of major type `major` with argument `arg` written in `1 + width` bytes (width 0: in the initial byte). */
function headOfWidth(major: number, arg: bigint, width: 0 | 1 | 2 | 4 | 8): number[] {
  const ai = width === 0 ? Number(arg) : 24 + Math.log2(width);
  const be = Array.from({ length: width }, (_, i) => Number((arg >> BigInt(8 * (width - 1 - i))) & 0xffn));
  return [(major << 5) | ai, ...be];
}

/** Integers and lengths written in every width that holds them, with a well-formed body. */
const anyWidthHead = fc
  .tuple(
    fc.integer({ min: 0, max: 5 }),
    fc.oneof(
      fc.bigInt({ min: 0n, max: 40n }),
      fc.constantFrom(23n, 24n, 255n, 256n, 65535n, 65536n, 2n ** 32n - 1n, 2n ** 32n),
      fc.bigInt({ min: 0n, max: MAX }),
    ),
    fc.constantFrom<0 | 1 | 2 | 4 | 8>(0, 1, 2, 4, 8),
  )
  .filter(
    ([major, arg, width]) =>
      (width === 0 ? arg < 24n : arg < 1n << BigInt(8 * width)) && (major < 2 || arg <= 300n),
  )
  .map(([major, arg, width]) => {
    const n = Number(arg);
    // Text "a"s, zero bytes or items, or the pairs 0: 0, 1: 0, … (sorted: shortest uints sort by value).
    const body =
      major < 2
        ? []
        : major === 5
          ? Array.from({ length: n }, (_, i) => [...encodeCbor(i), 0]).flat()
          : Array<number>(n).fill(major === 3 ? 0x61 : 0);
    const shortest = encodeCbor(major === 1 ? -1n - arg : arg).length - 1;
    return {
      bytes: Uint8Array.from([...headOfWidth(major, arg, width), ...body]),
      shortest: width === shortest,
    };
  });

/** Maps written entry by entry from a small pool of keys (repeats, any order, a few of the wrong type). */
const rawMap = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom<CborInput>(0, 1, 23, 24, -1, -24, 'a', 'b', 'aa', '', new Uint8Array(1), []),
        value,
      ),
      { maxLength: 6 },
    ),
    fc.boolean(),
  )
  .map(([entries, sorted]) => {
    let pairs = entries.map(([k, v]) => [encodeCbor(k), encodeCbor(v)] as const);
    if (sorted) pairs = [...pairs].sort((x, y) => compareBytes(x[0], y[0]));
    return Uint8Array.from([
      ...headOfWidth(5, BigInt(pairs.length), 0),
      ...pairs.flatMap(([k, v]) => [...k, ...v]),
    ]);
  });

describe('CBOR properties', () => {
  it('encode then decode gives the value back (objects as Maps, safe bigints as numbers)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCbor(v);
        const back = decodeCbor(bytes);
        expect(back).toEqual(expectedDecoded(v));
        expect(encodeCbor(back)).toEqual(bytes);
        expect(referenceDecode(bytes)).toEqual({ ok: true, value: back });
      }),
      { numRuns: runs(400) },
    );
  });

  it('the encoding does not depend on map insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (entries) => {
        const m1 = new Map(entries);
        const m2 = new Map([...m1].reverse());
        expect(encodeCbor(m2)).toEqual(encodeCbor(m1));
      }),
      { numRuns: runs(200) },
    );
  });

  it('random bytes: a value or a MalformedError, as the reference says', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => agreesWithReference(b)),
      { numRuns: runs(3000) },
    );
  });

  it('random bytes with a plausible first byte (arrays, maps, strings)', () => {
    const start = fc.constantFrom(0x82, 0x83, 0xa1, 0xa2, 0x62, 0x43, 0x98, 0xb8, 0x19, 0x3b);
    fc.assert(
      fc.property(start, fc.uint8Array({ maxLength: 48 }), (b, rest) =>
        agreesWithReference(Uint8Array.from([b, ...rest])),
      ),
      { numRuns: runs(3000) },
    );
  });

  it('mutated valid encodings: a value or a MalformedError, as the reference says', () => {
    fc.assert(
      fc.property(mutated, (b) => agreesWithReference(b)),
      { numRuns: runs(3000) },
    );
  });

  it('mutated valid encodings under small depth limits, as the reference says', () => {
    fc.assert(fc.property(mutated, fc.integer({ min: 0, max: 4 }), agreesWithReference), {
      numRuns: runs(1500),
    });
  });

  it('heads in every width: only the shortest form is accepted, as the reference says', () => {
    fc.assert(
      fc.property(anyWidthHead, ({ bytes, shortest }) => {
        agreesWithReference(bytes);
        expect(outcome(bytes)).toMatchObject(
          shortest ? { ok: true } : { ok: false, code: 'CBOR_NON_SHORTEST' },
        );
      }),
      { numRuns: runs(1500) },
    );
  });

  it('maps with repeated, unsorted and wrongly typed keys, as the reference says', () => {
    fc.assert(
      fc.property(rawMap, (b) => agreesWithReference(b)),
      { numRuns: runs(1500) },
    );
  });

  it('deep nesting is refused quickly at any depth', () => {
    for (const n of [17, 1000, 100_000]) {
      const bytes = new Uint8Array(n + 1).fill(0x81);
      bytes[n] = 0;
      const e = attempt(() => decodeCbor(bytes));
      expect(e).toBeInstanceOf(MalformedError);
      expect((e as MalformedError).code).toBe('CBOR_TOO_DEEP');
    }
  });

  it('hostile headers (huge declared lengths): a MalformedError, as the reference says', () => {
    const heads = [0x5b, 0x7b, 0x9b, 0xbb, 0x5a, 0x7a, 0x9a, 0xba];
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.uint8Array({ minLength: 0, maxLength: 12 }), (b, rest) =>
        agreesWithReference(Uint8Array.from([b, ...rest])),
      ),
      { numRuns: runs(500) },
    );
  });
});
