/** Strict YAML: each kind of YAML-level problem gives its code, line and reason. */
import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_BYTES } from '../../../../ceremony/runner/script/index.js';
import { ScriptError, parseScript } from '../../../../ceremony/runner/script/index.js';
import { GOOD, expectOne, issuesOf, mutate } from './fixture.js';

describe('script YAML', () => {
  it('accepts the good fixture', () => {
    expect(() => parseScript(new TextEncoder().encode(GOOD), 'ceremony.yaml')).not.toThrow();
  });

  it('a syntax error: its line and the parser’s reason', () => {
    const { text, line } = mutate('  fleetId: fleet-rehearsal', '  fleetId: [fleet-rehearsal');
    const issues = issuesOf(text);
    expect(issues[0]!.code).toBe('SCRIPT_YAML_SYNTAX');
    expect(issues[0]!.line).toBeGreaterThanOrEqual(line);
    expect(issues[0]!.message).toMatch(/^YAML syntax error: /);
  });

  it('a duplicate key: the line of the second one', () => {
    const { text, line } = mutate('  epoch: 1\n', '  epoch: 1\n  epoch: 2\n');
    expectOne(issuesOf(text), 'SCRIPT_YAML_DUPLICATE_KEY', line + 1, 'appears twice');
  });

  it('a tab: its line and column', () => {
    const { text, line } = mutate('  epoch: 1', '  epoch:\t1');
    const issues = issuesOf(text);
    expectOne(issues, 'SCRIPT_YAML_TAB', line, 'tab');
    expect(issues[0]!.column).toBe(9);
  });

  it('an anchor and an alias', () => {
    const { text, line } = mutate(
      '    site: Rehearsal room, rack A',
      '    site: &room Rehearsal room, rack A',
    );
    expectOne(issuesOf(text), 'SCRIPT_YAML_ALIAS', line, 'anchor');
    const both = mutate('    site: Rehearsal room, rack B', '    site: *room', text);
    expect(issuesOf(both.text).map((i) => [i.code, i.line])).toEqual([
      ['SCRIPT_YAML_ALIAS', line],
      ['SCRIPT_YAML_ALIAS', both.line],
    ]);
  });

  it('a second document', () => {
    const issues = issuesOf(GOOD + '---\nformat: x\n');
    expect(issues.map((i) => i.code)).toEqual(['SCRIPT_YAML_MULTIPLE_DOCUMENTS']);
    expect(issues[0]!.line).toBe(GOOD.split('\n').length);
  });

  it('an explicit tag', () => {
    const { text, line } = mutate('  epoch: 1', '  epoch: !!int 1');
    expectOne(issuesOf(text), 'SCRIPT_YAML_TAG', line, '!!int');
  });

  it('a key that is not a string', () => {
    const { text, line } = mutate('  epoch: 1\n', '  epoch: 1\n  7: x\n');
    expectOne(issuesOf(text), 'SCRIPT_YAML_KEY', line + 1, 'plain string');
  });

  it('an empty script', () => {
    expectOne(issuesOf('# nothing\n'), 'SCRIPT_EMPTY', 1, 'empty');
  });

  it('more than the size bound, before parsing', () => {
    const issues = issuesOf(GOOD + '#'.repeat(MAX_SCRIPT_BYTES));
    expect(issues.map((i) => i.code)).toEqual(['SCRIPT_TOO_LARGE']);
  });

  it('bytes that are not UTF-8', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(GOOD), 0xff]);
    expect(() => parseScript(bytes, 'x.yaml')).toThrow(expect.objectContaining({ code: 'SCRIPT_BAD_UTF8' }));
  });

  it('throws one ScriptError naming the file, the first issue’s line and the count', () => {
    const text = GOOD.replace('  epoch: 1', '  epoch:\t1').replace('  fleetId:', '\tfleetId:');
    try {
      parseScript(new TextEncoder().encode(text), 'ceremony.yaml');
      expect.fail('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ScriptError);
      const err = e as ScriptError;
      expect(err.file).toBe('ceremony.yaml');
      expect(err.message).toMatch(/^line \d+, column \d+: .*\(and 1 more problem\)$/);
      expect(err.exitCode).toBe(2);
    }
  });
});
