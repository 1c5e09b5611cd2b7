/** Canonical JSON (RFC 8785, integers only): one text per value, and everything else refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, parseCanonicalJson } from '../../../ceremony/transcript/canonical-json.js';

describe('canonical JSON', () => {
  it('sorts members, drops undefined, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, A: { z: 0, y: -5 } })).toBe(
      '{"A":{"y":-5,"z":0},"a":[true,null,"x"],"b":1}',
    );
  });

  it('escapes strings as JSON.stringify does and keeps UTF-8', () => {
    expect(canonicalJson('a"\\\n\u0001é€😀')).toBe('"a\\"\\\\\\n\\u0001é€😀"');
  });

  it.each([
    ['a float', 1.5],
    ['an unsafe integer', 2 ** 53],
    ['-0', -0],
    ['NaN', NaN],
    ['a lone surrogate', '\ud800'],
    ['a Date', new Date(0)],
    ['a function', () => 1],
    ['a bigint', 1n],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson({ v: value })).toThrow(
      expect.objectContaining({ code: 'JSON_NOT_CANONICAL_VALUE' }),
    );
  });

  it('refuses nesting deeper than 16', () => {
    let v: unknown = 1;
    for (let i = 0; i < 17; i++) v = [v];
    expect(() => canonicalJson(v)).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP' }));
  });

  it.each([
    ['whitespace', '{"a": 1}'],
    ['unsorted members', '{"b":1,"a":2}'],
    ['a duplicate member', '{"a":1,"a":1}'],
    ['a float', '{"a":1.0}'],
    ['an exponent', '{"a":1e2}'],
    ['an escaped letter', '{"a":"\\u0061"}'],
    ['a rounded integer', '{"a":9007199254740993}'],
  ])('parse refuses %s', (_name, text) => {
    expect(() => parseCanonicalJson(text)).toThrow(expect.objectContaining({ code: 'JSON_NOT_CANONICAL' }));
  });

  it('parse refuses text that is not JSON', () => {
    expect(() => parseCanonicalJson('{"a":')).toThrow(expect.objectContaining({ code: 'JSON_SYNTAX' }));
  });

  it('round-trips canonical values', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.maxSafeInteger().filter((n) => !Object.is(n, -0)),
        fc.string({ unit: 'grapheme' }),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(parseCanonicalJson(text))).toBe(text);
      }),
    );
  });
});
