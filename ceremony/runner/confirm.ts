/**
 * Digests read aloud, the way IANA's key ceremonies do it: the administrator reads the digest as
 * hex and as PGP words, and the operator types the first words back. A mismatch stops the
 * ceremony: what was heard is not what is on the screen.
 */
import { hexDecode } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { formatPgpWords, pgpWords } from '../transcript/pgp-words.js';
import type { Prompts } from './prompts.js';

/** Words typed back when a script does not say (4 words = 32 bits). */
export const DEFAULT_CONFIRM_WORDS = 4;
/** Attempts before a typed confirmation fails. */
export const CONFIRM_ATTEMPTS = 3;

/** How a read-aloud value was confirmed. */
export interface Confirmation {
  method: 'typed' | 'assumed';
  words: number;
}

/** `e582 94f2 ...`: hex in groups of four digits, eight groups a line. */
export function formatHex(hex: string): string {
  const groups = hex.match(/.{1,4}/g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += 8) lines.push(groups.slice(i, i + 8).join(' '));
  return lines.join('\n');
}

/** The text shown for a value read aloud: label, hex and numbered PGP words. */
export function readAloudText(label: string, hex: string): string {
  const words = pgpWords(hexDecode(hex, label));
  const indent = (s: string) => s.replace(/^/gm, '    ');
  return `${label}\n  hex:\n${indent(formatHex(hex))}\n  PGP words:\n${indent(formatPgpWords(words))}`;
}

/** Words as typed: split on spaces and commas, lowercased. */
function normalise(typed: string): string[] {
  return typed
    .split(/[\s,]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/**
 * Has the operator type the first `count` of `words` back. Unattended runs (`--yes`) assume it.
 * @throws UsageError `RUNNER_CONFIRMATION_FAILED` after {@link CONFIRM_ATTEMPTS} wrong answers;
 *   `RUNNER_CANCELLED`.
 */
export async function confirmTyped(
  prompts: Prompts,
  label: string,
  words: readonly string[],
  count = DEFAULT_CONFIRM_WORDS,
): Promise<Confirmation> {
  const n = Math.min(count, words.length);
  if (!prompts.interactive) return { method: 'assumed', words: 0 };
  const want = words.slice(0, n).map((w) => w.toLowerCase());
  for (let attempt = 1; attempt <= CONFIRM_ATTEMPTS; attempt++) {
    const typed = normalise(await prompts.text(`${label}: type the first ${n} PGP words you heard`));
    if (typed.length === n && typed.every((w, i) => w === want[i])) return { method: 'typed', words: n };
  }
  throw new UsageError(
    'RUNNER_CONFIRMATION_FAILED',
    `${label}: the words typed back did not match ${CONFIRM_ATTEMPTS} times; stop and compare the digest on every screen`,
  );
}
