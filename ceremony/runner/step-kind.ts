/**
 * The step-kind contract (docs/runner.md, "Step kinds"). A script step names a kind; the kind's
 * code runs it. Kinds are plug-ins: the engine knows none of them by name and runs whatever the
 * registry holds. A kind's `run` must be idempotent: after an interruption the engine runs an
 * unfinished step again, and the kind finds what its earlier attempt did (keys by label, files by
 * name, its own records in `ctx.earlier`) and checks it instead of doing it twice.
 */
import type { Hsm } from '../hsm/index.js';
import type { Prompts } from './prompts.js';
import type { PendingIssue } from './script/issues.js';
import type { LoadedScript } from './script/load.js';
import type { CeremonyScript, ScriptStep } from './script/types.js';
import type { ResolvedParticipant } from './participants.js';
import type { AppendedRecord } from './transcript/writer.js';
import type { JsonObject, OutputValue, ParsedRecord } from '../transcript/records.js';

/** What a step produces for later steps and read-aloud fields (`<step-id>.<name>`). */
export type StepOutputs = Record<string, OutputValue>;

/** The flags a run was started with. */
export interface RunFlags {
  /** Unattended: confirmations assumed, secrets from the environment only. */
  yes: boolean;
  /** Plan only: nothing is written or opened. */
  dryRun: boolean;
  /** No colours in human output (`NO_COLOR`). */
  noColor: boolean;
}

/** Record kinds a step may write itself (the engine writes the others). */
export type StepRecordKind = 'environment' | 'note' | 'read-aloud' | 'confirmation';

/** Everything a step kind's `run` can use. */
export interface StepContext {
  readonly loaded: LoadedScript;
  readonly script: CeremonyScript;
  /** Directory of the script: relative paths in it resolve from here. */
  readonly scriptDir: string;
  readonly step: ScriptStep;
  /** 0-based position of the step in the script. */
  readonly index: number;
  /** 1 on the first run of this step, more after interruptions. */
  readonly attempt: number;
  /** The ceremony's working directory (created, locked, holds the transcript). */
  readonly workdir: string;
  readonly flags: RunFlags;
  readonly participants: readonly ResolvedParticipant[];
  readonly prompts: Prompts;
  /** Records this step wrote in earlier attempts, oldest first (empty on the first attempt). */
  readonly earlier: readonly ParsedRecord[];
  /** Appends a record for this step to the transcript (fsync'ed when it returns). */
  record(kind: StepRecordKind, data: JsonObject): AppendedRecord;
  /** An output of an earlier step (or undefined). */
  output(stepId: string, name: string): OutputValue | undefined;
  /** The HSM with this script id, opened once (PIN from its variable or a hidden prompt). */
  hsm(id: string): Promise<Hsm>;
  /**
   * Shows a hex digest as hex and PGP words, records it (`read-aloud`), and has the operator type
   * the first words back (`confirmation`; assumed under `--yes`).
   */
  readAloud(label: string, hex: string, o?: { ref?: string; confirmWords?: number }): Promise<void>;
  /** Human output, shown with the task list (never put secrets in it). */
  say(text: string): void;
  /** The engine's clock. */
  now(): Date;
  /** Hash of the last transcript record. */
  head(): string;
}

/** A kind of step: data in the script, code here. */
export interface StepKind {
  /** The name scripts use in `kind:`. */
  readonly kind: string;
  /** One line on what the kind does (docs, plans, errors). */
  readonly summary: string;
  /** The outputs `run` returns; read-aloud references are checked against them. */
  readonly outputs?: readonly string[];
  /** Parameters accepted under the step's `with:`, name → description; others are refused. */
  readonly params?: Readonly<Record<string, string>>;
  /** True for the kind that seals the transcript once its sign-offs are in. */
  readonly seals?: boolean;
  /** Checks of the step's script entry beyond the generic rules (parameter values, fields it needs). */
  validate?(step: ScriptStep, index: number, script: CeremonyScript): PendingIssue[];
  /** What the step will do, as plan lines for `--dry-run` and the paper script. Pure. */
  describe(step: ScriptStep, script: CeremonyScript): string[];
  /** Does the step's work; idempotent; returns its outputs. */
  run(ctx: StepContext): Promise<StepOutputs | void>;
}
