/**
 * Schema errors: each kind (unknown key, wrong type, bad enum value, missing field, bad format,
 * out of range, a value outside an anyOf) gives its code, the YAML line and a reason naming the
 * path and the allowed values.
 */
import { describe, expect, it } from 'vitest';
import { expectOne, issuesOf, mutate } from './fixture.js';

describe('script schema', () => {
  it('an unknown key: at the key, with the keys that are allowed', () => {
    const { text, line } = mutate('  epoch: 1\n', '  epoch: 1\n  epochs: 2\n');
    const issues = issuesOf(text);
    expectOne(issues, 'SCRIPT_UNKNOWN_KEY', line + 1, 'ceremony.epochs is not a known key', 'id, name, kind');
    expect(issues[0]!.column).toBe(3);
  });

  it('a wrong type', () => {
    const { text, line } = mutate('  epoch: 1', '  epoch: one');
    expectOne(issuesOf(text), 'SCRIPT_WRONG_TYPE', line, 'ceremony.epoch must be an integer, not a string');
  });

  it('a bad enum value: the path and every allowed value', () => {
    const { text, line } = mutate(
      '    backend: emulated\n    dir: hsms/hsm-2',
      '    backend: softhsm\n    dir: hsms/hsm-2',
    );
    const issues = issuesOf(text);
    expectOne(
      issues,
      'SCRIPT_BAD_VALUE',
      line,
      'hsms[1].backend can only be emulated or pkcs11 (got "softhsm")',
    );
    expect(issues[0]!.column).toBe(14);
  });

  it('a missing required field: at the object that lacks it', () => {
    const { text, line } = mutate('    pinEnv: FLEET_HSM3_PIN\n', '');
    expectOne(issuesOf(text), 'SCRIPT_MISSING_FIELD', line - 6, 'hsms[2].pinEnv is missing');
  });

  it('a malformed value: what the format is', () => {
    const { text, line } = mutate('    pinEnv: FLEET_HSM2_PIN', '    pinEnv: fleet-hsm2-pin');
    expectOne(
      issuesOf(text),
      'SCRIPT_BAD_FORMAT',
      line,
      'hsms[1].pinEnv must be an environment variable name',
    );
  });

  it('a malformed read-aloud reference', () => {
    const { text, line } = mutate('        value: assemble.digest', '        value: assemble');
    expectOne(
      issuesOf(text),
      'SCRIPT_BAD_FORMAT',
      line,
      '<step-id>.<output>, script.sha256 or transcript.head',
    );
  });

  it('a value out of range', () => {
    const { text, line } = mutate('    days: 365', '    days: 0');
    expectOne(issuesOf(text), 'SCRIPT_OUT_OF_RANGE', line, 'ceremony.validity.days must be at least 1');
  });

  it('a value outside an anyOf: one issue listing the alternatives', () => {
    const { text, line } = mutate(
      '  - id: generate\n    kind: generate-keys\n    title: Generate the fleet keys inside the HSMs\n    description: Each HSM generates its keys and self-tests them. Existing keys are checked, never replaced.\n    signoffs:\n      - role: crypto-officer\n        count: quorum',
      '  - id: generate\n    kind: generate-keys\n    title: Generate the fleet keys inside the HSMs\n    description: Each HSM generates its keys and self-tests them. Existing keys are checked, never replaced.\n    signoffs:\n      - role: crypto-officer\n        count: most',
    );
    expectOne(
      issuesOf(text),
      'SCRIPT_BAD_VALUE',
      line + 6,
      'count can only be an integer from 1 to 64, quorum or all (got "most")',
    );
  });

  it('a wrong format version', () => {
    const { text, line } = mutate('format: fleet-ceremony/script/v1', 'format: fleet-ceremony/script/v2');
    expectOne(issuesOf(text), 'SCRIPT_BAD_VALUE', line, 'format can only be fleet-ceremony/script/v1');
  });

  it('an unknown step kind: the kinds there are', () => {
    const { text, line } = mutate('    kind: collect-attestations', '    kind: collect-attestation');
    expectOne(issuesOf(text), 'SCRIPT_BAD_VALUE', line, 'steps[3].kind can only be check-environment');
  });

  it('reports every schema problem at once, in line order', () => {
    const a = mutate('  epoch: 1', '  epoch: one');
    const b = mutate('    pinEnv: FLEET_HSM2_PIN', '    pinEnv: x', a.text);
    expect(issuesOf(b.text).map((i) => [i.code, i.line])).toEqual([
      ['SCRIPT_WRONG_TYPE', a.line],
      ['SCRIPT_BAD_FORMAT', b.line],
    ]);
  });
});
