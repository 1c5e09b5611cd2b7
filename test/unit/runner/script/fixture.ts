/**
 * A good script (templates/rehearsal.yaml) and one-change mutations of it, for the script suites:
 * each negative case replaces one exact snippet and expects issues at that snippet's line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { utf8Encode } from '../../../../ceremony/codec/index.js';
import { ScriptError, parseScript } from '../../../../ceremony/runner/script/index.js';
import type { LoadScriptOptions, ScriptIssue } from '../../../../ceremony/runner/script/index.js';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const GOOD = readFileSync(join(repo, 'templates/rehearsal.yaml'), 'utf8');

/** The 1-based line of the first occurrence of `snippet` in `text` (which must occur once). */
export function lineOf(text: string, snippet: string): number {
  const i = text.indexOf(snippet);
  expect(i, `snippet not found: ${snippet}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(snippet, i + 1), `snippet occurs twice: ${snippet}`).toBe(-1);
  return text.slice(0, i).split('\n').length;
}

/** GOOD with `from` (occurring once) replaced by `to`; also returns the line of the change. */
export function mutate(from: string, to: string, base = GOOD): { text: string; line: number } {
  const line = lineOf(base, from);
  return { text: base.replace(from, to), line };
}

/** The issues parseScript reports for `text` (fails the test if it is valid). */
export function issuesOf(text: string, o: LoadScriptOptions = {}): ScriptIssue[] {
  try {
    parseScript(utf8Encode(text), 'ceremony.yaml', o);
  } catch (e) {
    if (e instanceof ScriptError) return [...e.issues];
    throw e;
  }
  return expect.fail('the script was accepted');
}

/** Exactly one issue, with this code, at this line, whose message contains every `words`. */
export function expectOne(issues: ScriptIssue[], code: string, line: number, ...words: string[]): void {
  expect(issues.map((i) => `${i.code}@${i.line}`)).toEqual([`${code}@${line}`]);
  for (const w of words) expect(issues[0]!.message).toContain(w);
}
