import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { base64Decode, base64Encode } from '../../../ceremony/codec/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { attempt, malformed, runs } from './helpers.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('base64 (RFC 4648 §4)', () => {
  // RFC 4648 §10 test vectors.
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, enc] of vectors) {
    it(`"${plain}" ⇄ "${enc}"`, () => {
      expect(base64Encode(utf8(plain))).toBe(enc);
      expect(base64Decode(enc)).toEqual(utf8(plain));
    });
  }

  it('uses the standard alphabet (+ and /)', () => {
    expect(base64Encode(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
    expect(base64Decode('+/+/')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf));
  });

  it('refuses non-canonical text, one change from "Zm8="', () => {
    const cases: [string, string][] = [
      ['Zm9=', 'BASE64_NON_CANONICAL'], // pad bits set (RFC 4648 §3.5)
      ['Zh==', 'BASE64_NON_CANONICAL'],
      ['Zm8', 'BASE64_BAD_LENGTH'], // padding missing
      ['Zm8==', 'BASE64_BAD_LENGTH'], // padding extra
      ['Zm8===', 'BASE64_BAD_PADDING'],
      ['Z=8=', 'BASE64_BAD_PADDING'], // '=' inside
      ['Zm8=Zm8=', 'BASE64_BAD_PADDING'], // concatenated blocks
      ['Zm 8=', 'BASE64_BAD_CHARACTER'],
      ['Zm8=\n', 'BASE64_BAD_CHARACTER'],
      ['Zm-=', 'BASE64_BAD_CHARACTER'], // URL-safe alphabet (§5)
      ['Zm_=', 'BASE64_BAD_CHARACTER'],
      ['Zmé=', 'BASE64_BAD_CHARACTER'],
      ['====', 'BASE64_BAD_PADDING'],
      ['=', 'BASE64_BAD_LENGTH'],
    ];
    for (const [text, code] of cases) malformed(() => base64Decode(text), code);
  });

  it('names the field in errors', () => {
    const e = malformed(() => base64Decode('Zm8', 'note.sig'), 'BASE64_BAD_LENGTH');
    expect(e.field).toBe('note.sig');
    expect(e.message).toContain('note.sig');
  });

  it('agrees with Node (Buffer) on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const text = base64Encode(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(base64Decode(text)).toEqual(b);
      }),
      { numRuns: runs(500) },
    );
  });

  it('fuzz: anything accepted re-encodes identically; else a MalformedError', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n-_';
    const chars = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(chars, fc.string({ maxLength: 16 })), (text) => {
        const r = attempt(() => base64Decode(text));
        if (!(r instanceof MalformedError)) expect(base64Encode(r)).toBe(text);
      }),
      { numRuns: runs(3000) },
    );
  });
});
