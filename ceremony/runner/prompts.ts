/**
 * How the runner asks people things: confirmations, typed words, PINs, choices. Two
 * implementations: {@link clackPrompts} on a terminal (@clack/prompts, written to stderr; PINs
 * with the no-echo reader of ceremony/hsm/pin.ts, which shows nothing as they are typed), and
 * {@link unattendedPrompts} for `--yes` runs (rehearsals, CI), which confirms what can be assumed
 * and refuses to invent anything else: a PIN or a choice must then come from the environment.
 */
import { confirm, isCancel, select, text } from '@clack/prompts';
import type { Readable, Writable } from 'node:stream';
import { UsageError, isCeremonyError } from '../errors.js';
import { readHiddenLine } from '../hsm/pin.js';
import type { TtyInput } from '../hsm/pin.js';

/** One option of {@link Prompts.select}. */
export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

/** Options of {@link Prompts.text}. */
export interface TextOptions {
  placeholder?: string;
  initialValue?: string;
  /** Returns a reason to refuse the answer, or undefined to accept it. */
  validate?: (value: string) => string | undefined;
}

/** The questions the runner asks. Every method throws UsageError `RUNNER_CANCELLED` on Ctrl-C. */
export interface Prompts {
  /** False for `--yes` runs: nothing can be typed. */
  readonly interactive: boolean;
  confirm(message: string): Promise<boolean>;
  text(message: string, o?: TextOptions): Promise<string>;
  /** A hidden entry (PINs): nothing typed is shown (not even a mask character), echoed or logged. */
  password(message: string): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[]): Promise<T>;
}

function cancelled(): UsageError {
  return new UsageError('RUNNER_CANCELLED', 'cancelled by the operator');
}

function answer<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) throw cancelled();
  return value as Exclude<T, symbol>;
}

/** Prompts on a terminal with @clack/prompts. Output goes to `output` (default stderr). */
export function clackPrompts(o: { input?: Readable; output?: Writable } = {}): Prompts {
  const io = { input: o.input ?? process.stdin, output: o.output ?? process.stderr };
  return {
    interactive: true,
    confirm: async (message) => answer(await confirm({ ...io, message })),
    text: async (message, t = {}) =>
      answer(
        await text({
          ...io,
          message,
          ...(t.placeholder === undefined ? {} : { placeholder: t.placeholder }),
          ...(t.initialValue === undefined ? {} : { initialValue: t.initialValue }),
          ...(t.validate === undefined ? {} : { validate: (v: string | undefined) => t.validate!(v ?? '') }),
        }),
      ),
    password: (message) => hiddenEntry(io.input, io.output, message),
    select: async <T extends string>(message: string, choices: readonly Choice<T>[]) =>
      answer(
        await select<string>({
          ...io,
          message,
          options: choices.map((c) => ({
            value: c.value as string,
            label: c.label,
            ...(c.hint === undefined ? {} : { hint: c.hint }),
          })),
        }),
      ) as T,
  };
}

/** Suffix of a PIN prompt: the person typing sees nothing and should know why. */
export const HIDDEN_ENTRY_HINT = '(nothing is shown as you type)';

/**
 * A PIN from the terminal with {@link readHiddenLine} (raw mode, nothing written per character, so
 * the PIN's length is not shown either). Ctrl-C or Ctrl-D is `RUNNER_CANCELLED`, as in every prompt.
 */
async function hiddenEntry(input: Readable, output: Writable, message: string): Promise<string> {
  try {
    return await readHiddenLine(input as Readable & TtyInput, output, `${message} ${HIDDEN_ENTRY_HINT}`);
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'HSM_PIN_ABORTED') throw cancelled();
    throw e;
  }
}

/**
 * Prompts for unattended (`--yes`) runs: confirmations are answered yes (and the transcript records
 * that they were assumed); anything that needs a value refuses with UsageError
 * `RUNNER_INPUT_REQUIRED`, naming the question, so the operator can supply it by environment.
 */
export function unattendedPrompts(): Prompts {
  const refuse = (message: string): never => {
    throw new UsageError(
      'RUNNER_INPUT_REQUIRED',
      `"${message}" needs an answer, and --yes runs cannot ask: supply it by environment or flag`,
    );
  };
  return {
    interactive: false,
    confirm: () => Promise.resolve(true),
    text: (message) => Promise.resolve(refuse(message)),
    password: (message) => Promise.resolve(refuse(message)),
    select: (message) => Promise.resolve(refuse(message)),
  };
}

/**
 * A secret (PIN) from the environment variable `env` if set and not empty, else from a hidden
 * entry when `prompts` is interactive.
 * @throws UsageError `RUNNER_PIN_REQUIRED` naming the variable to set.
 */
export async function resolveSecret(o: {
  env?: string;
  label: string;
  prompts: Prompts;
  environment?: Readonly<Record<string, string | undefined>>;
}): Promise<string> {
  const environment = o.environment ?? process.env;
  const value = o.env === undefined ? undefined : environment[o.env];
  if (value !== undefined && value !== '') return value;
  if (o.prompts.interactive) return o.prompts.password(o.label);
  throw new UsageError(
    'RUNNER_PIN_REQUIRED',
    `${o.label} is needed: ${o.env === undefined ? 'run interactively' : `set the environment variable ${o.env}`}`,
    { field: o.env ?? 'pin' },
  );
}
