/**
 * Fuzzing decodeSignatureMessage with fast-check: random bytes and good encodings with a few byte
 * edits either decode to something that re-encodes to exactly the same bytes (one canonical form)
 * or throw a MalformedError, never another exception. CI-sized; FLEET_LONG_TESTS=1 runs more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedError } from '../../../ceremony/errors.js';
import { decodeSignatureMessage, encodeSignatureMessage } from '../../../ceremony/statement/index.js';
import { runs } from '../tlog/helpers.js';

const goods = [1, 2].map((ciphersuite) =>
  encodeSignatureMessage({
    ciphersuite,
    namespace: 'ns.example',
    timestamp: 1717084639921n,
    epoch: 300,
    digest: new Uint8Array(32).fill(0xab),
  }),
);

const edited = fc
  .tuple(
    fc.constantFrom(...goods),
    fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
  )
  .map(([good, edits]) => {
    let b = Array.from(good);
    for (const [pos, kind, v] of edits) {
      const at = pos % (b.length + 1);
      if (kind === 0) b = [...b.slice(0, at), ...b.slice(at + 1)];
      else if (kind === 1) b = [...b.slice(0, at), v, ...b.slice(at)];
      else b = [...b.slice(0, at), v, ...b.slice(at + 1)];
    }
    return Uint8Array.from(b);
  });

describe('fuzz decodeSignatureMessage', () => {
  it('decodes canonically or throws MalformedError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), edited), (bytes) => {
        let decoded;
        try {
          decoded = decodeSignatureMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedError);
          return;
        }
        expect(encodeSignatureMessage(decoded)).toEqual(bytes);
      }),
      { numRuns: runs(2000) },
    );
  });
});
