/**
 * Script rules about steps: sign-off requirements that can be met, read-aloud references to
 * steps that exist and have run, and the seal as the single last step.
 */
import type { Role } from '../../transcript/roles.js';
import type { ScriptPath } from './issues.js';
import type { CeremonyScript, SignoffRequirement } from './types.js';

type Add = (code: string, path: ScriptPath, message: string) => void;

/** The values a read-aloud can name besides step outputs. */
export const BUILTIN_VALUES = ['script.sha256', 'transcript.head'] as const;

/** Resolves a sign-off requirement's count to a number (`quorum` → M, `all` → every holder). */
export function requiredCount(req: SignoffRequirement, script: CeremonyScript): number {
  const holders = script.participants.filter((p) => p.role === req.role).length;
  const count = req.count ?? (req.role === 'crypto-officer' ? 'quorum' : 1);
  if (count === 'quorum') return req.role === 'crypto-officer' ? script.quorum.threshold : 1;
  if (count === 'all') return holders;
  return count;
}

/** Adds the step issues of `script` through `add`. */
export function checkStepRules(script: CeremonyScript, add: Add, holders: (role: Role) => number): void {
  const ids = script.steps.map((s) => s.id);
  const seals = script.steps.flatMap((s, i) => (s.kind === 'seal' ? [i] : []));
  const last = script.steps.length - 1;
  if (seals.length === 0)
    add(
      'SCRIPT_MISSING_STEP',
      ['steps'],
      'steps must end with a step of kind seal (the final sign-offs close the transcript)',
    );
  for (const i of seals)
    if (i !== last)
      add('SCRIPT_STEP_ORDER', ['steps', i, 'kind'], `steps[${i}] is a seal: it can only be the last step`);

  script.steps.forEach((step, i) => {
    const roles = new Set<string>();
    (step.signoffs ?? []).forEach((req, j) => {
      const at = ['steps', i, 'signoffs', j];
      if (roles.has(req.role))
        add('SCRIPT_DUPLICATE_ID', [...at, 'role'], `steps[${i}].signoffs lists role ${req.role} twice`);
      roles.add(req.role);
      const have = holders(req.role);
      if (req.count === 'quorum' && req.role !== 'crypto-officer')
        add(
          'SCRIPT_BAD_VALUE',
          [...at, 'count'],
          `steps[${i}].signoffs[${j}].count can only be quorum for role crypto-officer`,
        );
      const need = requiredCount(req, script);
      // A quorum larger than the officers is reported once, at quorum.threshold.
      if (
        req.role === 'crypto-officer' &&
        (req.count ?? 'quorum') === 'quorum' &&
        script.quorum.threshold > script.quorum.of
      )
        return;
      if (have === 0)
        add(
          'SCRIPT_BAD_REFERENCE',
          [...at, 'role'],
          `steps[${i}].signoffs[${j}] needs a ${req.role}, and no participant has that role`,
        );
      else if (need > have)
        add(
          'SCRIPT_QUORUM_INVALID',
          [...at, 'count'],
          `steps[${i}].signoffs[${j}].count (${need}) is more than the ${have} participant(s) with role ${req.role}`,
        );
    });
    (step.readAloud ?? []).forEach((item, j) => {
      if ((BUILTIN_VALUES as readonly string[]).includes(item.value)) return;
      const ref = item.value.slice(0, item.value.indexOf('.'));
      const k = ids.indexOf(ref);
      const path = ['steps', i, 'readAloud', j, 'value'];
      if (k < 0)
        add(
          'SCRIPT_BAD_REFERENCE',
          path,
          `steps[${i}].readAloud[${j}].value names step "${ref}", which does not exist (use <step-id>.<output>, ${BUILTIN_VALUES.join(' or ')})`,
        );
      else if (k > i)
        add(
          'SCRIPT_BAD_REFERENCE',
          path,
          `steps[${i}].readAloud[${j}].value names step "${ref}", which runs later`,
        );
    });
  });
}
