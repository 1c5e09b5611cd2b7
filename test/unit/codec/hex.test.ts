import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { hexDecode, hexEncode } from '../../../ceremony/codec/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { attempt, malformed, runs } from './helpers.js';

describe('hex (lowercase, RFC 4648 §8 alphabet)', () => {
  it('encodes lowercase, two digits per byte', () => {
    expect(hexEncode(Uint8Array.of(0x00, 0x0f, 0xab, 0xff))).toBe('000fabff');
    expect(hexEncode(new Uint8Array(0))).toBe('');
  });

  it('decodes lowercase', () => {
    expect(hexDecode('000fabff')).toEqual(Uint8Array.of(0x00, 0x0f, 0xab, 0xff));
    expect(hexDecode('', 'x', 0)).toEqual(new Uint8Array(0));
  });

  it('refuses, one change from "00ab"', () => {
    malformed(() => hexDecode('00aB'), 'HEX_BAD_CHARACTER');
    malformed(() => hexDecode('00ag'), 'HEX_BAD_CHARACTER');
    malformed(() => hexDecode('00a'), 'HEX_ODD_LENGTH');
    malformed(() => hexDecode('00ab0'), 'HEX_ODD_LENGTH');
    malformed(() => hexDecode(' 0ab'), 'HEX_BAD_CHARACTER');
    malformed(() => hexDecode('0xab'), 'HEX_BAD_CHARACTER');
    malformed(() => hexDecode('00ab', 'digest', 32), 'HEX_BAD_LENGTH');
    const e = malformed(() => hexDecode('00aB', 'digest'), 'HEX_BAD_CHARACTER');
    expect(e.message).toContain('offset 3');
    expect(e.field).toBe('digest');
  });

  it('agrees with Node (Buffer) on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(hexEncode(b)).toBe(Buffer.from(b).toString('hex'));
        expect(hexDecode(hexEncode(b))).toEqual(b);
      }),
      { numRuns: runs(300) },
    );
  });

  it('fuzz: anything accepted re-encodes identically; else a MalformedError', () => {
    const chars = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgx '), maxLength: 12 });
    fc.assert(
      fc.property(fc.oneof(chars, fc.string({ maxLength: 8 })), (text) => {
        const r = attempt(() => hexDecode(text));
        if (!(r instanceof MalformedError)) expect(hexEncode(r)).toBe(text);
      }),
      { numRuns: runs(2000) },
    );
  });
});
