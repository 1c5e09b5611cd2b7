/**
 * The step engine (docs/runner.md): runs a validated script's steps in order through the kinds of
 * a {@link StepRegistry}, writing `step-start` and `step-end` records (with timings and outputs)
 * around each, reading the step's values aloud, and holding the step's sign-off gate. Its state is
 * the transcript: a step with a `step-end` is done, one without is run again (kinds are
 * idempotent), sign-offs already recorded count. So {@link continueCeremony} can pick up any
 * transcript a kill left behind.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Hsm } from '../hsm/index.js';
import { VerificationError, isCeremonyError } from '../errors.js';
import type { SignoffCollector } from './collectors.js';
import type { RunState } from './context.js';
import { runGate } from './gate.js';
import { resolveRunParticipants } from './participants.js';
import type { ResolvedParticipant } from './participants.js';
import { ceremonyPlan, ceremonyStartData } from './plan.js';
import type { Prompts } from './prompts.js';
import { defaultStepRegistry } from './registry.js';
import type { StepRegistry } from './registry.js';
import type { LoadedScript } from './script/load.js';
import type { RunFlags } from './step-kind.js';
import { runTasks } from './tasklist.js';
import type { TaskListMode } from './tasklist.js';
import { toolVersion } from './tool-digest.js';
import type { StepProgress } from '../transcript/steps.js';
import type { TranscriptVerification } from '../transcript/verify.js';
import { TranscriptWriter } from './transcript/writer.js';
import { runStep } from './run-step.js';
import { WORKDIR_FILES, createWorkdir, lockWorkdir } from './workdir.js';

/** Options of {@link runCeremony} and {@link continueCeremony}. */
export interface EngineOptions {
  loaded: LoadedScript;
  /** Directory relative script paths resolve from. */
  scriptDir: string;
  /** The ceremony's working directory (created by runCeremony). */
  workdir: string;
  /** Step kinds (default: the default registry). */
  registry?: StepRegistry;
  prompts: Prompts;
  collector: SignoffCollector;
  flags: RunFlags;
  /** Task list renderer (default `auto`). */
  tasks?: TaskListMode;
  clock?: () => Date;
  environment?: Readonly<Record<string, string | undefined>>;
  /** Human output (default stderr). */
  output?: Writable & { isTTY?: boolean };
  /** Record an interruption and exit 130 on SIGINT/SIGTERM (the CLI sets it). */
  handleSignals?: boolean;
}

/** How a run ended. */
export interface RunResult {
  workdir: string;
  transcript: string;
  /** Hash of the last record written. */
  head: string;
  records: number;
  sealed: boolean;
  steps: { id: string; status: StepProgress['status']; durationMs?: number; signers: string[] }[];
}

/** Every kind the script names, or the error listing the registered ones. */
function requireKinds(o: EngineOptions, registry: StepRegistry): void {
  o.loaded.script.steps.forEach((s, i) => registry.require(s.kind, `steps[${i}] (${s.id})`));
}

/**
 * Starts a ceremony: checks every step kind is registered, resolves participants' keys, creates
 * the working directory and the transcript (exclusively), then runs every step.
 * @throws UsageError `RUNNER_STEP_KIND_NOT_REGISTERED` (before anything is written),
 *   `RUNNER_WORKDIR_IN_USE`, `RUNNER_WORKDIR_NOT_EMPTY`, `RUNNER_WORKDIR_BUSY`; whatever a step
 *   throws (recorded first as an `interruption`).
 */
export async function runCeremony(o: EngineOptions): Promise<RunResult> {
  const registry = o.registry ?? defaultStepRegistry();
  requireKinds(o, registry);
  const participants = await resolveRunParticipants(o.loaded.script.participants, o.scriptDir, o);
  const clock = o.clock ?? (() => new Date());
  const plan = ceremonyPlan(o.loaded.script, registry);
  const start = ceremonyStartData(o.loaded, participants, plan, toolVersion());
  await createWorkdir(o.workdir, o.loaded, clock());
  const release = lockWorkdir(o.workdir);
  let writer: TranscriptWriter;
  try {
    writer = TranscriptWriter.create(join(o.workdir, WORKDIR_FILES.transcript), start, { clock });
  } catch (e) {
    release();
    throw e;
  }
  const progress = plan.map((p): StepProgress => ({
    id: p.id,
    kind: p.kind,
    title: p.title,
    status: 'pending',
    attempts: 0,
    signers: [],
    signoffs: [],
  }));
  return execute(o, registry, { writer, progress, entries: [], participants, clock }, release);
}

/**
 * Continues a ceremony from its transcript (the engine half of `resume`): `writer` and `found` come
 * from `TranscriptWriter.reopen`, the caller holds the working directory's lock (`release` frees
 * it). Writes a `resume` record, then runs what is left: unfinished steps again, missing sign-offs.
 * @throws VerificationError `TRANSCRIPT_SCRIPT_MISMATCH` (another script than the one that
 *   started), `TRANSCRIPT_PARTICIPANTS_MISMATCH`; as {@link runCeremony}.
 */
export async function continueCeremony(
  o: EngineOptions & { writer: TranscriptWriter; found: TranscriptVerification; release?: () => void },
): Promise<RunResult> {
  const registry = o.registry ?? defaultStepRegistry();
  const release = o.release ?? (() => {});
  try {
    if (o.found.scriptSha256 !== o.loaded.sha256)
      throw new VerificationError(
        'TRANSCRIPT_SCRIPT_MISMATCH',
        `the ceremony started with script ${o.found.scriptSha256}; this one is ${o.loaded.sha256}`,
        {
          file: o.loaded.file,
        },
      );
    requireKinds(o, registry);
    const participants = await resolveRunParticipants(o.loaded.script.participants, o.scriptDir, o);
    for (const p of o.found.start.signers) {
      const q = participants.find((x) => x.id === p.id);
      if (q === undefined || q.role !== p.role || Buffer.compare(q.publicKey, p.publicKey) !== 0)
        throw new VerificationError(
          'TRANSCRIPT_PARTICIPANTS_MISMATCH',
          `participant ${p.id} is not the one the ceremony started with`,
          { file: o.loaded.file },
        );
    }
    const done = o.found.steps.filter((s) => s.status === 'done').map((s) => s.id);
    o.writer.append('resume', { tool: toolVersion(), stepsDone: done });
    const clock = o.clock ?? (() => new Date());
    return await execute(
      o,
      registry,
      { writer: o.writer, progress: o.found.steps, entries: o.found.entries, participants, clock },
      release,
    );
  } catch (e) {
    if (!o.writer.isClosed) o.writer.close();
    release();
    throw e;
  }
}

interface Started {
  writer: TranscriptWriter;
  progress: StepProgress[];
  entries: RunState['entries'];
  participants: readonly ResolvedParticipant[];
  clock: () => Date;
}

async function execute(
  o: EngineOptions,
  registry: StepRegistry,
  s: Started,
  release: () => void,
): Promise<RunResult> {
  const run: RunState = {
    loaded: o.loaded,
    scriptDir: o.scriptDir,
    workdir: o.workdir,
    flags: o.flags,
    prompts: o.prompts,
    participants: s.participants,
    writer: s.writer,
    progress: s.progress,
    entries: s.entries,
    hsms: new Map<string, Promise<Hsm>>(),
    clock: s.clock,
    ...(o.environment === undefined ? {} : { environment: o.environment }),
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!run.writer.isClosed) run.writer.append('interruption', { reason: 'signal', detail: signal });
    process.exit(130);
  };
  if (o.handleSignals === true) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const script = o.loaded.script;
  try {
    await runTasks(
      script.steps.map((step, k) => ({
        title: `${k + 1}. ${step.title}`,
        ...(run.progress[k]!.status === 'done' && registry.get(step.kind)?.seals !== true
          ? { skip: 'done before the interruption' }
          : {}),
        run: (say: (text: string) => void) =>
          runStep(run, registry.require(step.kind, step.id), k, say, (gate) =>
            runGate({ ...gate, collector: o.collector }),
          ),
      })),
      {
        mode: o.tasks ?? 'auto',
        interactive: o.prompts.interactive,
        noColor: o.flags.noColor,
        ...(o.output === undefined ? {} : { output: o.output }),
      },
    );
  } catch (e) {
    if (!run.writer.isClosed) {
      const cancelled = isCeremonyError(e) && e.code === 'RUNNER_CANCELLED';
      const detail = isCeremonyError(e) ? `${e.code}: ${e.message}` : 'internal error';
      run.writer.append('interruption', {
        reason: cancelled ? 'cancelled' : 'error',
        detail: detail.slice(0, 1000),
      });
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    for (const h of run.hsms.values()) await h.then((x) => x.close()).catch(() => {});
    if (!run.writer.isClosed) run.writer.close();
    release();
  }
  return {
    workdir: o.workdir,
    transcript: run.writer.path,
    head: run.writer.head,
    records: run.writer.nextSeq,
    sealed: run.sealed === true,
    steps: run.progress.map((p) => ({
      id: p.id,
      status: p.status,
      ...(p.durationMs === undefined ? {} : { durationMs: p.durationMs }),
      signers: [...p.signers],
    })),
  };
}
