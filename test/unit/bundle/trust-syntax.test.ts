/**
 * Strict ISO 8601 UTC times of the trust file, and fuzzed trust files: they parse or give a
 * TRUST_ MalformedError, never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoUtc, parseTrustFile } from '../../../ceremony/bundle/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { softwareHsm, world } from './fixture.js';
import { runs } from './helpers.js';

const w = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519', cosigners: 2, quorum: 1 });

describe('parseIsoUtc', () => {
  it('accepts Z times with 0–3 fractional digits and refuses the rest', () => {
    expect(parseIsoUtc('2025-06-01T00:00:00Z')).toBe(Date.UTC(2025, 5, 1));
    expect(parseIsoUtc('2025-06-01T00:00:00.1Z')).toBe(Date.UTC(2025, 5, 1, 0, 0, 0, 100));
    for (const bad of [
      '2025-06-01',
      '2025-06-01T00:00:00',
      '2025-06-01T24:00:00Z',
      '2025-06-01T00:00:60Z',
      '2025-13-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2025-06-01T00:00:00.1234Z',
      ' 2025-06-01T00:00:00Z',
    ]) {
      expect(parseIsoUtc(bad), bad).toBeUndefined();
    }
  });
});

describe('fuzzing the trust file parser', () => {
  it('mutated trust files parse or give a TRUST_ MalformedError, never another exception', () => {
    const text = w.trustText;
    const edits = fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '1', 'a', '\\', ' ', '\u00e9', ''),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(edits, (list) => {
        let t = text;
        for (const [pos, ch, replace] of list) {
          const i = pos % (t.length + 1);
          t = t.slice(0, i) + ch + t.slice(replace ? i + 1 : i);
        }
        try {
          parseTrustFile(t, 'trust.json');
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedError);
          expect((e as MalformedError).code).toMatch(/^TRUST_/);
        }
      }),
      { numRuns: runs(1500) },
    );
  });
});
