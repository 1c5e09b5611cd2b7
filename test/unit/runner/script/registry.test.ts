/**
 * Script checks the step registry adds for registered kinds: their parameters, their own rules,
 * and the outputs read-aloud fields refer to.
 */
import { describe, it } from 'vitest';
import { createStepRegistry } from '../../../../ceremony/runner/registry.js';
import { expectOne, issuesOf, mutate } from './fixture.js';

describe('script checks of the step registry', () => {
  const checkStep = createStepRegistry().check;

  it('an unknown parameter of a step kind', () => {
    const { text, line } = mutate(
      '    description: Record the UTC time',
      '    with:\n      requireUTC: true\n    description: Record the UTC time',
    );
    expectOne(
      issuesOf(text, { checkStep }),
      'SCRIPT_UNKNOWN_KEY',
      line + 1,
      'steps[0].with.requireUTC is not a parameter of check-environment (it takes requireUtc)',
    );
  });

  it('a parameter of the wrong type', () => {
    const { text, line } = mutate(
      '    description: Record the UTC time',
      '    with:\n      requireUtc: yes\n    description: Record the UTC time',
    );
    expectOne(
      issuesOf(text, { checkStep }),
      'SCRIPT_WRONG_TYPE',
      line + 1,
      'steps[0].with.requireUtc can only be true or false',
    );
  });

  it('an output the step kind does not have', () => {
    const { text, line } = mutate(
      '        value: environment.toolSha256',
      '        value: environment.toolDigest',
    );
    expectOne(
      issuesOf(text, { checkStep }),
      'SCRIPT_BAD_REFERENCE',
      line,
      'step environment (check-environment) has no output toolDigest',
    );
  });

  it('a signoff step without sign-offs', () => {
    const { text, line } = mutate(
      '    title: Crypto officers approve the fleet key set\n    signoffs:\n      - role: crypto-officer\n        count: quorum\n      - role: administrator\n',
      '    title: Crypto officers approve the fleet key set\n',
    );
    expectOne(
      issuesOf(text, { checkStep }),
      'SCRIPT_MISSING_FIELD',
      line - 2,
      'steps[5].signoffs is required for a signoff step',
    );
  });
});
