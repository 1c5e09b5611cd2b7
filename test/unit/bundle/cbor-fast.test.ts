/**
 * The one-pass decoder of the bundle's hot path against the codec's `decodeCbor` (scanner, cbor-x
 * and re-encoding): on random values, random bytes and mutated valid encodings, both accept the
 * same inputs with equal values, and refuse the same inputs with the same code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCborFast } from '../../../ceremony/bundle/cbor-fast.js';
import { decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import type { CborInput, CborValue } from '../../../ceremony/codec/index.js';
import { isCeremonyError } from '../../../ceremony/errors.js';
import { runs } from './helpers.js';

const MAX = 2n ** 64n - 1n;
const scalar = fc.oneof(
  fc.integer({ min: -70000, max: 70000 }),
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
    2 ** 53 - 1,
    -(2 ** 53) + 1,
    2n ** 53n,
    -(2n ** 53n),
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(true, false, null),
);
const key = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.string({ maxLength: 8 }));
const value: fc.Arbitrary<CborInput> = fc.letrec<{ v: CborInput }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 5 }),
    fc.uniqueArray(fc.tuple(key, tie('v')), { maxLength: 5, selector: (e) => e[0] }).map((es) => new Map(es)),
  ),
})).v;

type Outcome = { ok: true; value: CborValue } | { ok: false; code: string };
function outcome(f: () => CborValue): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    return { ok: false, code: e.code };
  }
}

function agree(bytes: Uint8Array): void {
  const slow = outcome(() => decodeCbor(bytes, { maxDepth: 16 }));
  const fast = outcome(() => decodeCborFast(bytes, { maxDepth: 16 }));
  expect(fast).toEqual(slow);
}

describe('decodeCborFast', () => {
  it('decodes every encodable value as decodeCbor does', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCbor(v);
        agree(bytes);
      }),
      { numRuns: runs(400) },
    );
  });

  it('agrees with decodeCbor on mutated encodings (flips, truncations, insertions)', () => {
    const mutated = fc
      .tuple(
        value,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('set', 'cut', 'insert')), {
          minLength: 1,
          maxLength: 3,
        }),
      )
      .map(([v, edits]) => {
        let b = Array.from(encodeCbor(v));
        for (const [pos, byte, op] of edits) {
          const i = b.length === 0 ? 0 : pos % b.length;
          if (op === 'set') b[i] = byte;
          else if (op === 'cut') b = b.slice(0, i);
          else b.splice(i, 0, byte);
        }
        return Uint8Array.from(b);
      });
    fc.assert(fc.property(mutated, agree), { numRuns: runs(1500) });
  });

  it('agrees with decodeCbor on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), agree), { numRuns: runs(1500) });
  });

  it('refuses each profile violation with the codec code', () => {
    const cases: [number[], string][] = [
      [[], 'CBOR_TRUNCATED'],
      [[0x18, 0x05], 'CBOR_NON_SHORTEST'],
      [[0x1b, 0, 0, 0, 0, 0, 0, 0, 1], 'CBOR_NON_SHORTEST'],
      [[0x5f, 0xff], 'CBOR_INDEFINITE_LENGTH'],
      [[0xc2, 0x40], 'CBOR_TAG'],
      [[0xf9, 0, 0], 'CBOR_FLOAT'],
      [[0xf7], 'CBOR_SIMPLE_VALUE'],
      [[0xff], 'CBOR_UNEXPECTED_BREAK'],
      [[0x1c], 'CBOR_RESERVED'],
      [[0x62, 0xc3, 0x28], 'CBOR_INVALID_UTF8'],
      [[0xa2, 0x01, 0x00, 0x00, 0x00], 'CBOR_UNSORTED_KEYS'],
      [[0xa2, 0x01, 0x00, 0x01, 0x00], 'CBOR_DUPLICATE_KEY'],
      [[0xa1, 0x40, 0x00], 'CBOR_KEY_TYPE'],
      [[0x00, 0x00], 'CBOR_TRAILING_BYTES'],
      [[0x9b, 0, 0, 0, 1, 0, 0, 0, 0], 'CBOR_TRUNCATED'],
    ];
    for (const [bytes, code] of cases) {
      const got = outcome(() => decodeCborFast(Uint8Array.from(bytes)));
      expect(got, JSON.stringify(bytes)).toEqual({ ok: false, code });
      agree(Uint8Array.from(bytes));
    }
    expect(outcome(() => decodeCborFast(Uint8Array.of(0x81, 0x81, 0x80), { maxDepth: 2 }))).toEqual({
      ok: false,
      code: 'CBOR_TOO_DEEP',
    });
    expect(outcome(() => decodeCborFast(new Uint8Array(11), { maxBytes: 10 }))).toEqual({
      ok: false,
      code: 'CBOR_TOO_LARGE',
    });
  });
});
