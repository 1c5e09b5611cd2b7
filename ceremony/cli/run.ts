/**
 * The one place errors become exit codes (DESIGN §5): 0 ok, 1 verification failed,
 * 2 bad usage or malformed input; anything else is a bug (exit 70, with a stack trace).
 */
import { isCeremonyError } from '../errors.js';
import type { CeremonyError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_VERIFICATION_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 70;

/** Human text goes to stderr; stdout carries only what `--json` promises (or the command's output). */
export function say(message: string): void {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** Uint8Array → lowercase hex, bigint → decimal string, Date → ISO 8601. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Wraps a command handler: maps typed errors to exit codes and prints one clear line. The handler
 * returns the exit code (default 0).
 */
export function command<A>(handler: (args: A) => Promise<number | void>): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      const code = await handler(args);
      process.exitCode = code ?? EXIT_OK;
    } catch (e) {
      process.exitCode = exitCodeFor(e);
      say(`fleet-ceremony: ${describeError(e)}`);
      if (process.exitCode === EXIT_BUG && e instanceof Error && e.stack) say(e.stack);
    }
  };
}

export function exitCodeFor(e: unknown): number {
  if (isCeremonyError(e)) return e.exitCode;
  return EXIT_BUG;
}

export function describeError(e: unknown): string {
  if (isCeremonyError(e)) return e.describe();
  if (e instanceof Error) return `internal error: ${e.message}`;
  return `internal error: ${String(e)}`;
}

/** A typed error as `--json` output reports it: code, field, file, message, exit code. */
export function errorJson(e: CeremonyError): Record<string, unknown> {
  return {
    code: e.code,
    field: e.field ?? null,
    file: e.file ?? null,
    message: e.message,
    exitCode: e.exitCode,
  };
}
