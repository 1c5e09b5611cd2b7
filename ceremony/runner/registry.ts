/**
 * The registry of step kinds. The engine runs only kinds registered here; a script naming another
 * kind is refused before anything happens, with the list of registered kinds. The default
 * registry holds the built-in kinds (./steps/); other layers add theirs with
 * {@link registerStepKind}.
 */
import { UsageError } from '../errors.js';
import { listOr } from '../transcript/roles.js';
import type { PendingIssue } from './script/issues.js';
import type { StepCheck } from './script/semantic.js';
import { BUILTIN_VALUES } from './script/semantic-steps.js';
import type { StepKind } from './step-kind.js';
import { builtinStepKinds } from './steps/index.js';

/** A set of step kinds by name. */
export class StepRegistry {
  private readonly byKind = new Map<string, StepKind>();

  /**
   * Adds a kind.
   * @throws UsageError `RUNNER_STEP_KIND_EXISTS` if the name is taken.
   */
  register(kind: StepKind): void {
    if (this.byKind.has(kind.kind))
      throw new UsageError('RUNNER_STEP_KIND_EXISTS', `step kind ${kind.kind} is already registered`, {
        field: 'kind',
      });
    this.byKind.set(kind.kind, kind);
  }

  /** The kind with this name, if registered. */
  get(kind: string): StepKind | undefined {
    return this.byKind.get(kind);
  }

  /** Registered names, sorted. */
  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  /**
   * The kind with this name.
   * @throws UsageError `RUNNER_STEP_KIND_NOT_REGISTERED`, listing the registered kinds.
   */
  require(kind: string, where: string): StepKind {
    const k = this.byKind.get(kind);
    if (k === undefined)
      throw new UsageError(
        'RUNNER_STEP_KIND_NOT_REGISTERED',
        `step kind ${kind} is not available in this version of the runner (registered: ${this.kinds().join(', ')})`,
        { field: where },
      );
    return k;
  }

  /** Script checks of registered kinds: their parameters, their own rules, their outputs. */
  readonly check: StepCheck = (step, i, script) => {
    const kind = this.byKind.get(step.kind);
    const issues: PendingIssue[] = [];
    if (kind !== undefined) {
      const allowed = Object.keys(kind.params ?? {});
      for (const name of Object.keys(step.with ?? {}))
        if (!allowed.includes(name))
          issues.push({
            code: 'SCRIPT_UNKNOWN_KEY',
            path: ['steps', i, 'with', name],
            atKey: true,
            message: `steps[${i}].with.${name} is not a parameter of ${step.kind} (${allowed.length === 0 ? 'it takes none' : `it takes ${listOr(allowed)}`})`,
          });
      issues.push(...(kind.validate?.(step, i, script) ?? []));
    }
    (step.readAloud ?? []).forEach((item, j) => {
      if ((BUILTIN_VALUES as readonly string[]).includes(item.value)) return;
      const dot = item.value.indexOf('.');
      const target = script.steps.find((s) => s.id === item.value.slice(0, dot));
      const outputs = target === undefined ? undefined : this.byKind.get(target.kind)?.outputs;
      const name = item.value.slice(dot + 1);
      if (outputs !== undefined && !outputs.includes(name))
        issues.push({
          code: 'SCRIPT_BAD_REFERENCE',
          path: ['steps', i, 'readAloud', j, 'value'],
          message: `steps[${i}].readAloud[${j}].value: step ${target!.id} (${target!.kind}) has no output ${name} (it has ${listOr([...outputs])})`,
        });
    });
    return issues;
  };
}

/** A registry holding `kinds` (default: the built-in kinds). */
export function createStepRegistry(kinds: readonly StepKind[] = builtinStepKinds): StepRegistry {
  const r = new StepRegistry();
  for (const k of kinds) r.register(k);
  return r;
}

let defaultRegistry: StepRegistry | undefined;

/** The registry the CLI uses: the built-in kinds plus whatever was registered. */
export function defaultStepRegistry(): StepRegistry {
  return (defaultRegistry ??= createStepRegistry());
}

/**
 * Adds a kind to the default registry.
 * @throws UsageError `RUNNER_STEP_KIND_EXISTS`.
 */
export function registerStepKind(kind: StepKind): void {
  defaultStepRegistry().register(kind);
}
