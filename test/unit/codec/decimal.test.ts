import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MAX_DECIMAL, formatDecimal, parseDecimal } from '../../../ceremony/codec/index.js';
import { MalformedError, UsageError } from '../../../ceremony/errors.js';
import { attempt, malformed, runs } from './helpers.js';

describe('canonical decimal', () => {
  it('parses and formats', () => {
    expect(parseDecimal('0')).toBe(0n);
    expect(parseDecimal('42')).toBe(42n);
    expect(parseDecimal('9223372036854775807')).toBe(MAX_DECIMAL);
    expect(formatDecimal(0)).toBe('0');
    expect(formatDecimal(42n)).toBe('42');
    expect(formatDecimal(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(formatDecimal(MAX_DECIMAL)).toBe('9223372036854775807');
  });

  it('refuses, one change from "42"', () => {
    const cases: [string, string][] = [
      ['', 'DECIMAL_EMPTY'],
      ['042', 'DECIMAL_LEADING_ZERO'],
      ['00', 'DECIMAL_LEADING_ZERO'],
      ['-42', 'DECIMAL_BAD_CHARACTER'],
      ['+42', 'DECIMAL_BAD_CHARACTER'],
      [' 42', 'DECIMAL_BAD_CHARACTER'],
      ['42\n', 'DECIMAL_BAD_CHARACTER'],
      ['4_2', 'DECIMAL_BAD_CHARACTER'],
      ['4.2', 'DECIMAL_BAD_CHARACTER'],
      ['0x2a', 'DECIMAL_BAD_CHARACTER'],
      ['4٢', 'DECIMAL_BAD_CHARACTER'], // Arabic-Indic digit two
      ['9223372036854775808', 'DECIMAL_OUT_OF_RANGE'],
      ['99999999999999999999', 'DECIMAL_OUT_OF_RANGE'],
      ['1' + '0'.repeat(10_000), 'DECIMAL_OUT_OF_RANGE'],
    ];
    for (const [text, code] of cases) malformed(() => parseDecimal(text), code);
    expect(malformed(() => parseDecimal('042', 'checkpoint.size'), 'DECIMAL_LEADING_ZERO').field).toBe(
      'checkpoint.size',
    );
  });

  it('formatDecimal refuses values parseDecimal would', () => {
    for (const n of [-1, 1.5, NaN, Infinity, 2 ** 53, -1n, MAX_DECIMAL + 1n]) {
      expect(() => formatDecimal(n)).toThrow(UsageError);
    }
  });

  it('round-trips every value in range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_DECIMAL }), (n) => {
        expect(parseDecimal(formatDecimal(n))).toBe(n);
      }),
      { numRuns: runs(500) },
    );
  });

  it('fuzz: anything accepted re-formats identically; else a MalformedError', () => {
    const chars = fc.string({ unit: fc.constantFrom(...'0123456789-+ .e'), maxLength: 22 });
    fc.assert(
      fc.property(fc.oneof(chars, fc.string({ maxLength: 8 })), (text) => {
        const r = attempt(() => parseDecimal(text));
        if (!(r instanceof MalformedError)) expect(formatDecimal(r)).toBe(text);
      }),
      { numRuns: runs(2000) },
    );
  });
});
