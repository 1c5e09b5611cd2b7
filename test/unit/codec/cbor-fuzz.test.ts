/**
 * Property and fuzz tests of the CBOR codec (fast-check; FLEET_LONG_TESTS=1 runs 50× more):
 * - any encodable value round-trips, and its encoding is what the reference decoder accepts;
 * - random bytes and mutated valid encodings give a value or a MalformedError, never another
 *   exception, and agree with the slow reference decoder (./cbor-reference.ts);
 * - whatever is accepted re-encodes to identical bytes.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import type { CborInput, CborValue } from '../../../ceremony/codec/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { referenceDecode } from './cbor-reference.js';
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

/** Mutations of a valid encoding: flip, set, insert or delete a byte; truncate; append. */
const mutated = fc
  .tuple(
    value,
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom('flip', 'set', 'insert', 'delete', 'cut', 'append'),
  )
  .map(([v, i, b, op]) => {
    const e = encodeCbor(v);
    const at = i % e.length;
    switch (op) {
      case 'flip':
        e[at] = e[at]! ^ (1 << (b % 8));
        return e;
      case 'set':
        e[at] = b;
        return e;
      case 'insert':
        return Uint8Array.from([...e.subarray(0, at), b, ...e.subarray(at)]);
      case 'delete':
        return Uint8Array.from([...e.subarray(0, at), ...e.subarray(at + 1)]);
      case 'cut':
        return e.subarray(0, at);
      default:
        return Uint8Array.from([...e, b]);
    }
  });

/** decodeCbor agrees with the reference: same verdict, same value, and accepted bytes re-encode. */
function agreesWithReference(bytes: Uint8Array): void {
  const got = attempt(() => decodeCbor(bytes));
  const want = referenceDecode(bytes);
  if (got instanceof MalformedError) {
    expect(want, `reference accepted what decodeCbor refused (${got.code})`).toBeUndefined();
    return;
  }
  expect(want, 'decodeCbor accepted what the reference refused').not.toBeUndefined();
  expect(got).toEqual(want);
  expect(encodeCbor(got)).toEqual(bytes);
}

describe('CBOR properties', () => {
  it('encode then decode gives the value back (objects as Maps, safe bigints as numbers)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCbor(v);
        const back = decodeCbor(bytes);
        expect(back).toEqual(expectedDecoded(v));
        expect(encodeCbor(back)).toEqual(bytes);
        expect(referenceDecode(bytes)).toEqual(back);
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
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), agreesWithReference), { numRuns: runs(3000) });
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
    fc.assert(fc.property(mutated, agreesWithReference), { numRuns: runs(2000) });
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

  it('never throws anything but MalformedError on hostile headers', () => {
    const heads = [0x5b, 0x7b, 0x9b, 0xbb, 0x5a, 0x7a, 0x9a, 0xba];
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.uint8Array({ minLength: 0, maxLength: 12 }), (b, rest) => {
        const v = attempt(() => decodeCbor(Uint8Array.from([b, ...rest])));
        if (!(v instanceof MalformedError))
          expect(encodeCbor(v as CborValue)).toEqual(Uint8Array.from([b, ...rest]));
      }),
      { numRuns: runs(500) },
    );
  });
});
