/**
 * The ceremony kinds in a registry: registered once (again is harmless), every shipped template
 * validates with their parameter and output checks, and their parameters are checked when a
 * script is loaded (a typo in `with:` is refused with the path and the parameters the kind takes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../../ceremony/runner/init.js';
import { createStepRegistry } from '../../../../ceremony/runner/registry.js';
import { ScriptError, loadScript, parseScript } from '../../../../ceremony/runner/script/index.js';
import {
  ceremonyStepKinds,
  registerCeremonyStepKinds,
} from '../../../../ceremony/runner/steps/ceremony/index.js';
import { repoRoot } from '../../../support/cli.js';

const registry = () => registerCeremonyStepKinds(createStepRegistry());

describe('ceremony step kinds', () => {
  it('register next to the built-ins, once', () => {
    const r = registry();
    registerCeremonyStepKinds(r);
    expect(r.kinds()).toEqual(
      [
        'assemble-key-set',
        'build-evidence',
        'build-validation-bundle',
        'check-environment',
        'collect-attestations',
        'countersign',
        'generate-keys',
        'read-aloud',
        'seal',
        'signoff',
        'verify-hsm-identity',
        'witness-submit',
      ].sort(),
    );
    expect(ceremonyStepKinds.every((k) => k.summary.length > 20 && k.outputs !== undefined)).toBe(true);
  });

  for (const name of TEMPLATES)
    it(`templates/${name}.yaml validates with them, and every step kind is registered`, () => {
      const r = registry();
      const loaded = loadScript(join(repoRoot, 'templates', `${name}.yaml`), { checkStep: r.check });
      for (const s of loaded.script.steps) expect(r.get(s.kind), s.kind).toBeDefined();
      const described = loaded.script.steps.flatMap((s) => r.get(s.kind)!.describe(s, loaded.script));
      expect(described.join('\n')).toMatch(/generate .* key/);
    });

  it('refuses an unknown parameter and a bad value, naming the step path', () => {
    const text = readFileSync(join(repoRoot, 'templates/rehearsal.yaml'), 'utf8');
    const bad = text.replace(
      '    with:\n      operatorKey: generate\n',
      '    with:\n      operatorKey: maybe\n      labels: x\n',
    );
    expect(bad).not.toBe(text);
    try {
      parseScript(new TextEncoder().encode(bad), 'bad.yaml', { checkStep: registry().check });
      expect.fail('the script was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ScriptError);
      const issues = (e as ScriptError).issues.map((i) => `${i.code} ${i.path}`);
      expect(issues).toEqual(
        expect.arrayContaining([
          'SCRIPT_BAD_VALUE steps[2].with.operatorKey',
          'SCRIPT_UNKNOWN_KEY steps[2].with.labels',
        ]),
      );
    }
  });
});
