/** The witness log entry: the bytes witnessLogLeaf writes are the deterministic CBOR of the entry map. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWitnessLogEntry, witnessLogLeaf, witnessLogLeafHash } from '../../../ceremony/bundle/index.js';
import { concatBytes, encodeCbor, hexEncode } from '../../../ceremony/codec/index.js';
import { sha256 } from '../../../ceremony/crypto/index.js';
import { MAX_STATEMENT_BYTES } from '../../../ceremony/statement/index.js';
import { codeOf, runs } from './helpers.js';

const entry = fc.record({
  statement: fc.uint8Array({ minLength: 1, maxLength: MAX_STATEMENT_BYTES }),
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  keyId: fc.integer({ min: 0, max: 255 }),
});

describe('witnessLogLeaf', () => {
  it('is encodeCbor({0: 1, 1: statement, 2: signature, 3: keyId}) and decodes back', () => {
    fc.assert(
      fc.property(entry, (e) => {
        const leaf = witnessLogLeaf(e);
        const want = encodeCbor(
          new Map<number, number | Uint8Array>([
            [0, 1],
            [1, e.statement],
            [2, e.signature],
            [3, e.keyId],
          ]),
        );
        expect(hexEncode(leaf)).toBe(hexEncode(want));
        expect(decodeWitnessLogEntry(leaf)).toEqual(e);
        expect(witnessLogLeafHash(e)).toEqual(sha256(concatBytes(Uint8Array.of(0), leaf)));
      }),
      { numRuns: runs(200) },
    );
  });

  it('has this exact byte layout (docs/formats.md)', () => {
    const leaf = witnessLogLeaf({
      statement: Uint8Array.of(0xaa, 0xbb),
      signature: new Uint8Array(64).fill(0x11),
      keyId: 188,
    });
    expect(hexEncode(leaf)).toBe('a400010142aabb025840' + '11'.repeat(64) + '0318bc');
  });

  it('refuses bad parts as usage errors naming the field', () => {
    const ok = { statement: Uint8Array.of(1), signature: new Uint8Array(64), keyId: 1 };
    expect(codeOf(() => witnessLogLeaf({ ...ok, statement: new Uint8Array(0) }))).toBe('FIELD_LENGTH');
    expect(codeOf(() => witnessLogLeaf({ ...ok, signature: new Uint8Array(65) }))).toBe('FIELD_LENGTH');
    expect(codeOf(() => witnessLogLeaf({ ...ok, keyId: 256 }))).toBe('FIELD_RANGE');
    expect(codeOf(() => witnessLogLeaf({ ...ok, keyId: 1.5 }))).toBe('FIELD_TYPE');
    expect(codeOf(() => witnessLogLeaf(null as never))).toBe('FIELD_TYPE');
    expect(
      codeOf(() =>
        decodeWitnessLogEntry(
          encodeCbor(
            new Map<number, number | Uint8Array>([
              [0, 2],
              [1, Uint8Array.of(1)],
              [2, new Uint8Array(64)],
              [3, 0],
            ]),
          ),
        ),
      ),
    ).toBe('LOG_ENTRY_VERSION_UNSUPPORTED');
  });
});
