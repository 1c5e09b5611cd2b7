/**
 * One step of the engine: `step-start`, the kind's `run`, the step's read-aloud values, `step-end`
 * with the duration and outputs, then the sign-off gate, and for a sealing kind the `seal` record.
 * A step already ended (after a resume) goes straight to its gate.
 */
import { performance } from 'node:perf_hooks';
import { UsageError } from '../errors.js';
import type { RunState } from './context.js';
import { stepContext } from './context.js';
import type { GateOptions } from './gate.js';
import type { StepKind, StepOutputs } from './step-kind.js';
import { testKillPoint } from './steps/ceremony/test-kill.js';
import { OUTPUT_NAME } from '../transcript/fields.js';
import type { OutputValue } from '../transcript/records.js';

/** Runs a gate for a step (the engine supplies the collector). */
export type GateRunner = (o: Omit<GateOptions, 'collector'>) => Promise<string[]>;

function checkOutputs(kind: StepKind, stepId: string, outputs: StepOutputs): void {
  for (const [name, v] of Object.entries(outputs)) {
    const ok =
      OUTPUT_NAME.test(name) &&
      (kind.outputs === undefined || kind.outputs.includes(name)) &&
      (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v)));
    if (!ok)
      throw new UsageError(
        'RUNNER_STEP_OUTPUT',
        `step ${stepId} (${kind.kind}) returned output ${name}, which is undeclared or not a string, integer or boolean`,
      );
  }
}

/** The value a read-aloud reference names. */
function resolveValue(run: RunState, ref: string, own: StepOutputs, stepId: string): OutputValue | undefined {
  if (ref === 'script.sha256') return run.loaded.sha256;
  if (ref === 'transcript.head') return run.writer.head;
  const dot = ref.indexOf('.');
  const [id, name] = [ref.slice(0, dot), ref.slice(dot + 1)];
  return id === stepId ? own[name] : run.progress.find((p) => p.id === id)?.outputs?.[name];
}

/** Runs step `k` with `kind`, printing through `say`. */
export async function runStep(
  run: RunState,
  kind: StepKind,
  k: number,
  say: (text: string) => void,
  gate: GateRunner,
): Promise<void> {
  const step = run.loaded.script.steps[k]!;
  const p = run.progress[k]!;
  if (p.status === 'pending' || p.status === 'running') {
    const attempt = p.attempts + 1;
    run.writer.append('step-start', { index: k, kind: step.kind, title: step.title, attempt }, step.id);
    p.status = 'running';
    p.attempts = attempt;
    const t0 = performance.now();
    const ctx = stepContext(run, k, attempt, say);
    testKillPoint(`${step.id}:before`);
    const outputs = (await kind.run(ctx)) ?? {};
    testKillPoint(`${step.id}:after`);
    checkOutputs(kind, step.id, outputs);
    for (const item of step.readAloud ?? []) {
      const value = resolveValue(run, item.value, outputs, step.id);
      if (typeof value !== 'string')
        throw new UsageError(
          'RUNNER_READ_ALOUD_MISSING',
          `step ${step.id}: ${item.value} has no value to read aloud`,
          {
            field: `steps.${step.id}.readAloud`,
          },
        );
      await ctx.readAloud(item.label, value, {
        ref: item.value,
        ...(item.confirmWords === undefined ? {} : { confirmWords: item.confirmWords }),
      });
    }
    const durationMs = Math.round(performance.now() - t0);
    const end = run.writer.append('step-end', { index: k, durationMs, outputs }, step.id);
    Object.assign(p, {
      status: (step.signoffs?.length ?? 0) > 0 ? 'ended' : 'done',
      endHash: end.hash,
      outputs,
      durationMs,
    });
  }
  if (p.status === 'ended')
    await gate({
      script: run.loaded.script,
      step,
      progress: p,
      participants: run.participants,
      append: (data) => run.writer.append('signoff', data, step.id),
      say,
    });
  if (kind.seals === true && !run.writer.isClosed) {
    run.writer.append('seal', { head: p.endHash!, steps: run.progress.length, signers: [...p.signers] });
    run.writer.close();
    run.sealed = true;
    say(`Transcript sealed. Head: ${run.writer.head}`);
  }
}
