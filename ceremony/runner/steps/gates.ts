/**
 * The built-in kinds that do no work of their own: `read-aloud` (the engine reads the step's
 * `readAloud` values), `signoff` (a quorum gate: the engine collects the step's sign-offs) and
 * `seal` (the final sign-offs; the engine then writes the `seal` record and closes the transcript).
 */
import type { PendingIssue } from '../script/issues.js';
import type { ScriptStep } from '../script/types.js';
import type { StepKind } from '../step-kind.js';

function needs(field: 'readAloud' | 'signoffs', what: string) {
  return (step: ScriptStep, i: number): PendingIssue[] =>
    (step[field]?.length ?? 0) > 0
      ? []
      : [
          {
            code: 'SCRIPT_MISSING_FIELD',
            path: ['steps', i],
            message: `steps[${i}].${field} is required for a ${step.kind} step (${what})`,
          },
        ];
}

/** `read-aloud`: shows values as hex and PGP words and has them typed back. */
export const readAloud: StepKind = {
  kind: 'read-aloud',
  summary: 'read values aloud as hex and PGP words; the operator types the first words back',
  validate: needs('readAloud', 'the values to read'),
  describe: (step) => (step.readAloud ?? []).map((r) => `Read aloud: ${r.label} (${r.value}).`),
  run: () => Promise.resolve(),
};

/** `signoff`: a quorum gate over the transcript head. */
export const signoffGate: StepKind = {
  kind: 'signoff',
  summary: 'collect the sign-offs the step lists, over the transcript head',
  validate: needs('signoffs', 'who signs'),
  describe: () => ['Collect the sign-offs over the transcript head.'],
  run: () => Promise.resolve(),
};

/** `seal`: the final sign-offs; the transcript is closed afterwards. */
export const seal: StepKind = {
  kind: 'seal',
  summary: 'collect the final sign-offs over the whole transcript, then seal and close it',
  seals: true,
  validate: needs('signoffs', 'the final sign-offs'),
  describe: () => [
    'Collect the final sign-offs over the whole transcript; seal it. Nothing can be added afterwards.',
  ],
  run: () => Promise.resolve(),
};
