/**
 * The PGP word list and its encoding: the list's published shape (256 + 256 distinct words, the
 * first and last of each), the worked example of Wikipedia's "PGP word list" article, a digest of
 * the whole list that an independent copy pins, and a property-based round trip.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexDecode } from '../../../ceremony/codec/index.js';
import {
  PGP_EVEN_WORDS,
  PGP_ODD_WORDS,
  formatPgpWords,
  pgpWords,
  pgpWordsDecode,
} from '../../../ceremony/transcript/pgp-words.js';

describe('PGP word list', () => {
  it('has 256 distinct two-syllable and 256 distinct three-syllable words, no word in both', () => {
    const even = new Set(PGP_EVEN_WORDS.map((w) => w.toLowerCase()));
    const odd = new Set(PGP_ODD_WORDS.map((w) => w.toLowerCase()));
    expect(even.size).toBe(256);
    expect(odd.size).toBe(256);
    expect([...even].filter((w) => odd.has(w))).toEqual([]);
  });

  it('starts and ends with the published words', () => {
    expect([PGP_EVEN_WORDS[0], PGP_EVEN_WORDS[255]]).toEqual(['aardvark', 'Zulu']);
    expect([PGP_ODD_WORDS[0], PGP_ODD_WORDS[255]]).toEqual(['adroitness', 'Yucatan']);
    // The spot where one circulating copy has "basalt" instead of "banjo".
    expect(PGP_EVEN_WORDS[0x17]).toBe('banjo');
  });

  it('matches the digest an independent copy pins for the whole list', () => {
    // SHA-256 of EVEN.join("\n") + "\n" + ODD.join("\n"), as pinned by a separate implementation.
    const digest = createHash('sha256')
      .update(PGP_EVEN_WORDS.join('\n') + '\n' + PGP_ODD_WORDS.join('\n'))
      .digest('hex');
    expect(digest).toBe('e9b7b0052233a74aa56724ed3f79c272036aed68d8f4c0856e833c8043b9ac62');
  });

  it('encodes the fingerprint of the published example', () => {
    const fingerprint = hexDecode('e58294f2e9a227486e8b061b31cc528fd7fa3f19');
    expect(pgpWords(fingerprint).join(' ')).toBe(
      'topmost Istanbul Pluto vagabond treadmill Pacific brackish dictator goldfish Medusa ' +
        'afflict bravado chatter revolver Dupont midsummer stopwatch whimsical cowbell bottomless',
    );
  });

  it('alternates the lists by position', () => {
    expect(pgpWords(Uint8Array.from([0, 0, 255, 255]))).toEqual([
      'aardvark',
      'adroitness',
      'Zulu',
      'Yucatan',
    ]);
  });

  it('round-trips any digest, case-insensitively', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        const words = pgpWords(bytes);
        expect(pgpWordsDecode(words)).toEqual(bytes);
        expect(pgpWordsDecode(words.map((w) => w.toUpperCase()))).toEqual(bytes);
      }),
    );
  });

  it('catches a swapped pair as a word from the wrong list', () => {
    const words = pgpWords(hexDecode('e582'));
    expect(() => pgpWordsDecode([words[1]!, words[0]!])).toThrow(
      expect.objectContaining({ code: 'PGP_WORDS_WRONG_LIST' }),
    );
  });

  it('refuses unknown words and over-long input', () => {
    expect(() => pgpWordsDecode(['aardvark', 'zebra'])).toThrow(
      expect.objectContaining({ code: 'PGP_WORDS_UNKNOWN_WORD' }),
    );
    expect(() => pgpWords(new Uint8Array(65))).toThrow(
      expect.objectContaining({ code: 'PGP_WORDS_TOO_LONG' }),
    );
  });

  it('formats four words a line, numbered', () => {
    expect(formatPgpWords(pgpWords(hexDecode('e58294f2e9')))).toBe(
      '1: topmost Istanbul Pluto vagabond\n5: treadmill',
    );
  });
});
