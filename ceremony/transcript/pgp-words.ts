/**
 * Digests read aloud as PGP words (ceremony/transcript/pgp-word-list.ts): byte `i` of the input is
 * `PGP_EVEN_WORDS[b]` when `i` is even and `PGP_ODD_WORDS[b]` when `i` is odd. The encoding is
 * the one PGP uses for fingerprints, so a listener can check it against any other implementation.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';
import { PGP_EVEN_WORDS, PGP_ODD_WORDS } from './pgp-word-list.js';

export { PGP_EVEN_WORDS, PGP_ODD_WORDS } from './pgp-word-list.js';

/** Largest input {@link pgpWords} encodes: a SHA-512 digest. Digests are read, not documents. */
export const MAX_PGP_WORDS_BYTES = 64;

const lookup = (() => {
  const even = new Map<string, number>();
  const odd = new Map<string, number>();
  PGP_EVEN_WORDS.forEach((w, i) => even.set(w.toLowerCase(), i));
  PGP_ODD_WORDS.forEach((w, i) => odd.set(w.toLowerCase(), i));
  return { even, odd };
})();

/**
 * The PGP words of `bytes`, one per byte, alternating even and odd lists.
 *
 * @throws MalformedError `PGP_WORDS_TOO_LONG` for more than {@link MAX_PGP_WORDS_BYTES} bytes.
 * @example pgpWords(hexDecode('e582')) // ['topmost', 'Istanbul']
 */
export function pgpWords(bytes: Uint8Array): string[] {
  if (bytes.length > MAX_PGP_WORDS_BYTES)
    throw new MalformedError(
      'PGP_WORDS_TOO_LONG',
      `got ${bytes.length} bytes, at most ${MAX_PGP_WORDS_BYTES} are read aloud`,
      { field: 'bytes' },
    );
  return Array.from(bytes, (b, i) => (i % 2 === 0 ? PGP_EVEN_WORDS[b]! : PGP_ODD_WORDS[b]!));
}

/**
 * The bytes of a sequence of PGP words (case-insensitive), the inverse of {@link pgpWords}. A word
 * from the wrong list at its position is refused, which is how a swapped or dropped word shows.
 *
 * @throws MalformedError `PGP_WORDS_UNKNOWN_WORD` (in neither list), `PGP_WORDS_WRONG_LIST` (an odd
 *   word at an even position or the reverse), `PGP_WORDS_TOO_LONG`.
 */
export function pgpWordsDecode(words: readonly string[]): Uint8Array {
  if (words.length > MAX_PGP_WORDS_BYTES)
    throw new MalformedError(
      'PGP_WORDS_TOO_LONG',
      `got ${words.length} words, at most ${MAX_PGP_WORDS_BYTES}`,
      {
        field: 'words',
      },
    );
  return Uint8Array.from(words, (word, i) => {
    const w = word.toLowerCase();
    const [mine, other] = i % 2 === 0 ? [lookup.even, lookup.odd] : [lookup.odd, lookup.even];
    const b = mine.get(w);
    if (b !== undefined) return b;
    const [position, list] = i % 2 === 0 ? ['even', 'odd'] : ['odd', 'even'];
    if (other.has(w))
      throw new MalformedError(
        'PGP_WORDS_WRONG_LIST',
        `word ${i + 1} "${word}" is an ${list}-list word where an ${position}-list word belongs: a word was swapped, repeated or dropped`,
        { field: `words[${i}]` },
      );
    throw new MalformedError(
      'PGP_WORDS_UNKNOWN_WORD',
      `word ${i + 1} "${word.slice(0, 32)}" is not a PGP word`,
      {
        field: `words[${i}]`,
      },
    );
  });
}

/**
 * `words` grouped for reading aloud: four words a line, each line numbered by its first byte.
 * @example formatPgpWords(['topmost', 'Istanbul']) // '1: topmost Istanbul'
 */
export function formatPgpWords(words: readonly string[], perLine = 4): string {
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += perLine)
    lines.push(`${i + 1}: ${words.slice(i, i + perLine).join(' ')}`);
  return lines.join('\n');
}
