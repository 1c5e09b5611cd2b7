/**
 * Typed errors shared by every layer.
 *
 * Each error carries a fine-grained `code` (e.g. `CHECKPOINT_MALFORMED` apart from
 * `CHECKPOINT_SIGNATURE_INVALID`), and optionally the `field` (a dotted path) and the `file` it
 * concerns. The CLI maps the class, once, onto the exit codes of DESIGN §5:
 *
 * - {@link VerificationError}: the evidence is wrong (exit 1).
 * - {@link MalformedError}: input that cannot be parsed or violates a canonical encoding (exit 2).
 * - {@link UsageError}: bad flags, missing files, outputs that already exist, a locked HSM (exit 2).
 *
 * Messages never contain secrets (PINs, private keys, wrapped key blobs): callers pass field names
 * and public values only.
 *
 * Portable: no `node:` imports.
 */

export interface ErrorDetails {
  /** Dotted path of the offending field, e.g. `keys[2].publicKey`. */
  field?: string;
  /** File the input came from, when known. */
  file?: string;
  cause?: unknown;
}

export abstract class CeremonyError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly field: string | undefined;
  readonly file: string | undefined;
  /** Exit code the CLI uses for this class of error. */
  abstract readonly exitCode: 1 | 2;

  constructor(code: Code, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.field = details.field;
    this.file = details.file;
  }

  /** A copy of this error that names the file it concerns (keeps code, field and cause). */
  withFile(file: string): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this, { file, message: this.message, stack: this.stack });
    return copy;
  }

  /** `file: field: message [CODE]`, the one line the CLI prints. */
  describe(): string {
    const where = [this.file, this.field].filter((x) => x !== undefined && x !== '').join(': ');
    return `${where === '' ? '' : where + ': '}${this.message} [${this.code}]`;
  }
}

/** The evidence does not verify: a signature, digest, proof or policy check failed. Exit 1. */
export class VerificationError<Code extends string = string> extends CeremonyError<Code> {
  override readonly name = 'VerificationError';
  readonly exitCode = 1 as const;
}

/** Input is unreadable or not in its one canonical encoding. Exit 2. */
export class MalformedError<Code extends string = string> extends CeremonyError<Code> {
  override readonly name = 'MalformedError';
  readonly exitCode = 2 as const;
}

/** Bad usage or a state that forbids the operation (existing output, locked device). Exit 2. */
export class UsageError<Code extends string = string> extends CeremonyError<Code> {
  override readonly name = 'UsageError';
  readonly exitCode = 2 as const;
}

export function isCeremonyError(e: unknown): e is CeremonyError {
  return e instanceof CeremonyError;
}

/**
 * Runs `f`, which reads the contents of `file`; a typed error from it that names no file is given
 * `file`, so the message says where the bad input came from.
 * @example const trust = inFile('trust.json', () => parseTrustFile(text))
 */
export function inFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw isCeremonyError(e) && e.file === undefined ? e.withFile(file) : e;
  }
}
