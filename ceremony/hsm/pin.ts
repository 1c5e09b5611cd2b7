/**
 * Where a PIN comes from: an environment variable (rehearsals, CI) or a hidden prompt on the
 * terminal (ceremonies). The PIN is never logged, echoed or put in an error message: the prompt
 * switches the terminal to raw mode and prints nothing for the characters typed (not even `*`,
 * which would reveal the length).
 */
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../errors.js';

/** Environment variable the CLI reads the PIN from by default. */
export const DEFAULT_PIN_ENV = 'FLEET_HSM_PIN';

/** A readable terminal: what {@link readHiddenLine} needs of `process.stdin`. */
export interface TtyInput extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Options of {@link resolvePin}. */
export interface ResolvePinOptions {
  /** Name of the environment variable holding the PIN (e.g. `FLEET_HSM_PIN`). */
  env?: string;
  /** Prompt on the terminal when the variable is unset (default true). */
  prompt?: boolean;
  /** What the PIN is for, shown in the prompt and in errors, e.g. `PIN of device SN-1`. */
  label: string;
  /** Ask twice and require the same answer (when setting a new PIN). */
  confirm?: boolean;
  /** Terminal input (default `process.stdin`). */
  input?: TtyInput;
  /** Where the prompt is written (default `process.stderr`; never stdout, which carries --json). */
  output?: NodeJS.WritableStream;
  /** Environment (default `process.env`). */
  environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads one line from a terminal in raw mode without echoing it: nothing at all is written for
 * the characters typed, so onlookers learn neither the PIN nor its length. Backspace deletes a
 * character, Ctrl-U the whole line; Enter ends; Ctrl-C or Ctrl-D aborts. Escape sequences (arrow
 * and function keys) are ignored rather than taken into the line. The one no-echo reader of the
 * project: `resolvePin` and the runner's prompts (ceremony/runner/prompts.ts) both use it.
 * @throws UsageError `HSM_PIN_ABORTED` when the user aborts or input ends.
 */
export function readHiddenLine(
  input: TtyInput,
  output: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let line = '';
    const finish = (err?: Error) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const aborted = () => new UsageError('HSM_PIN_ABORTED', `${prompt}: entry aborted`, { field: 'pin' });
    const onEnd = () => finish(aborted());
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      // Escape sequences (ESC, `[` or `O`, parameter bytes, a final byte @..~) come whole in one
      // read, as a terminal sends a key: an ESC the person typed alone skips nothing after it.
      let escape: 'none' | 'start' | 'body' = 'none';
      for (const ch of text) {
        // Enter and Ctrl-C/Ctrl-D act whatever came before them.
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(aborted());
        if (escape === 'start') {
          // CSI or SS3 goes on; ESC then a key (Alt-key) is one keystroke, not PIN text.
          escape = ch === '[' || ch === 'O' ? 'body' : 'none';
          continue;
        }
        if (escape === 'body') {
          if (ch >= ' ' && ch <= '?') continue; // parameter and intermediate bytes
          escape = 'none';
          if (ch >= '@' && ch <= '~') continue; // the final byte
          // Anything else ends the sequence and is taken as typed.
        }
        if (ch === '\u001b') escape = 'start';
        else if (ch === '\u0015') line = '';
        else if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else if (ch >= ' ') line += ch;
      }
    };
    // Raw mode (no echo) before the prompt shows, so nothing typed after seeing it is echoed.
    input.setRawMode?.(true);
    output.write(`${prompt}: `);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

/**
 * Resolves a PIN: from the environment variable `env` if it is set, else from a hidden prompt if
 * the input is a terminal and `prompt` is not false.
 * @throws UsageError `HSM_PIN_REQUIRED` (variable unset or empty and no terminal — the message names
 *   the variable to set), `HSM_PIN_MISMATCH` (the confirmation differs), `HSM_PIN_ABORTED`.
 */
export async function resolvePin(o: ResolvePinOptions): Promise<string> {
  const environment = o.environment ?? process.env;
  if (o.env !== undefined) {
    const value = environment[o.env];
    if (value !== undefined) {
      if (value === '')
        throw new UsageError(
          'HSM_PIN_REQUIRED',
          `${o.label}: environment variable ${o.env} is set but empty`,
          {
            field: o.env,
          },
        );
      return value;
    }
  }
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stderr;
  if (o.prompt === false || input.isTTY !== true) {
    const how =
      o.env === undefined ? 'run on a terminal to be prompted' : `set the environment variable ${o.env}`;
    throw new UsageError(
      'HSM_PIN_REQUIRED',
      `${o.label} is needed and there is no terminal to ask on: ${how}`,
      {
        field: o.env ?? 'pin',
      },
    );
  }
  const pin = await readHiddenLine(input, output, o.label);
  if (o.confirm === true) {
    const again = await readHiddenLine(input, output, `${o.label} (again)`);
    if (again !== pin)
      throw new UsageError('HSM_PIN_MISMATCH', `${o.label}: the two entries differ`, { field: 'pin' });
  }
  return pin;
}
