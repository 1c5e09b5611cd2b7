/**
 * Durable file writes (DESIGN §6: writes that matter are atomic and fsync'ed; outputs are created
 * exclusively and never overwritten). Node-side: the emulated HSM, the witness, evidence packages
 * and the runner all write through these helpers.
 *
 * - {@link writeFileAtomic}: replace-in-place that never leaves a torn file: write a temporary
 *   sibling (created with O_EXCL), fsync it, rename it over the target, fsync the directory. A crash
 *   leaves either the old or the new content (plus, at worst, a stray `.tmp-*` file, see
 *   {@link removeStrayTemporaries}).
 * - {@link writeFileExclusive}: create-only, and atomic too: the complete temporary file is
 *   hard-linked to the target name, which fails if the name exists, so no reader ever sees a
 *   half-written output.
 * - {@link writeFileOnce}: create-only, but an existing file with the same bytes is accepted (a write
 *   resumed after a crash); the caller fsyncs the directories.
 * - {@link createDirExclusive}: a directory and everything in it, all or nothing (a temporary sibling
 *   directory renamed onto the target).
 *
 * Each consumer keeps its own error codes: the helpers take them as {@link OutputErrors}.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

/** How a helper reports a target that exists and a file-system error an operator can fix. */
export interface OutputErrors {
  /** UsageError code when the target exists (default `HSM_OUTPUT_EXISTS`). */
  readonly exists?: string;
  /** Its message (default: `already exists; outputs are never overwritten`). */
  readonly existsMessage?: string;
  /**
   * UsageError code for an fs error an operator can fix, a missing or read-only directory (default
   * `HSM_OUTPUT_UNWRITABLE`); `null`: such errors are thrown as they are.
   */
  readonly unwritable?: string | null;
}

/**
 * The codes of the first consumer (the emulated HSM), kept as defaults because the runner, the demo
 * and several CLI commands report them and test for them.
 */
const DEFAULTS = { exists: 'HSM_OUTPUT_EXISTS', unwritable: 'HSM_OUTPUT_UNWRITABLE' } as const;

/** A bare string is the `exists` code. */
function errorsOf(errors: string | OutputErrors): OutputErrors {
  return typeof errors === 'string' ? { exists: errors } : errors;
}

function existsError(path: string, errors: OutputErrors, message: string): UsageError {
  return new UsageError(errors.exists ?? DEFAULTS.exists, errors.existsMessage ?? message, { file: path });
}

/** File-system errors an operator can fix (a missing or read-only directory, a full disk). */
const OPERATOR_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOSPC']);

/**
 * Maps an fs error an operator can fix to UsageError `code` (`cannot write here (<errno>)`) naming
 * `path`; anything else, or any error when `code` is null, is returned unchanged.
 */
export function operatorError(e: unknown, path: string, code: string | null = DEFAULTS.unwritable): unknown {
  const errno = (e as NodeJS.ErrnoException).code;
  if (code === null || errno === undefined || !OPERATOR_ERRORS.has(errno)) return e;
  return new UsageError(code, `cannot write here (${errno})`, { file: path, cause: e });
}

/** fsyncs a directory (or file) so the names created, renamed or removed in it survive a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** True if something (file, directory, dangling link) exists at `path`. */
export function pathExists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return false; // a path through a regular file
    throw e;
  }
}

/** The bytes of `path`, or undefined if it does not exist. @throws other fs errors. */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Writes `data` to a new temporary sibling of `path` (`.<name>.tmp-<12 hex>`, O_EXCL), fsync'ed.
 * @returns the temporary file's path.
 * @throws the fs error of creating it, mapped by {@link operatorError} with `unwritable`; a failed
 *   write or fsync as it is (the temporary file is then removed).
 */
function writeTemp(path: string, data: Uint8Array | string, mode: number, unwritable: string | null): string {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (e) {
    throw operatorError(e, path, unwritable);
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

/**
 * Atomically replaces (or creates) `path` with `data`, durable on return.
 * @param mode - permission bits of a newly created file (default 0600).
 * @param errors - only `unwritable` is used.
 * @throws UsageError `unwritable` if the directory cannot be written; other fs errors as they are
 *   (the target is unchanged).
 */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  mode = 0o600,
  errors: OutputErrors = {},
): void {
  const unwritable = errors.unwritable === undefined ? DEFAULTS.unwritable : errors.unwritable;
  const tmp = writeTemp(path, data, mode, unwritable);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  fsyncDir(dirname(path));
}

/**
 * Creates `path` with `data`, refusing to overwrite anything; durable on return.
 * @param errors - the codes to report, or just the `exists` code.
 * @throws UsageError `exists` if `path` already exists (nothing is written); UsageError
 *   `unwritable` if it cannot be written.
 * @example writeFileExclusive('out.pem', pem, 0o644, 'WITNESS_OUTPUT_EXISTS')
 */
export function writeFileExclusive(
  path: string,
  data: Uint8Array | string,
  mode = 0o600,
  errors: string | OutputErrors = {},
): void {
  const errs = errorsOf(errors);
  const exists = () => existsError(path, errs, 'already exists; outputs are never overwritten');
  if (pathExists(path)) throw exists();
  const unwritable = errs.unwritable === undefined ? DEFAULTS.unwritable : errs.unwritable;
  const tmp = writeTemp(path, data, mode, unwritable);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
    throw operatorError(e, path, unwritable);
  } finally {
    unlinkSync(tmp);
  }
  fsyncDir(dirname(path));
}

/**
 * Creates `path` (and its parent directories) with `data` unless it exists with the same bytes.
 * The file's content is fsync'ed; the caller fsyncs the directories before relying on the names
 * (one fsync per directory instead of one per file).
 *
 * @param conflict - the code and message when `path` exists with other bytes.
 * @returns whether the file was written (false: it was already there, identical).
 * @throws UsageError `conflict.exists` if `path` exists with other bytes (nothing is changed).
 */
export function writeFileOnce(path: string, data: Uint8Array, mode: number, conflict: OutputErrors): boolean {
  const same = (existing: Uint8Array): false => {
    if (Buffer.compare(existing, data) !== 0)
      throw existsError(path, conflict, 'exists with other content; outputs are never overwritten');
    return false;
  };
  mkdirSync(dirname(path), { recursive: true });
  const existing = readIfExists(path);
  if (existing !== undefined) return same(existing);
  const tmp = writeTemp(path, data, mode, null);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return same(readFileSync(path));
  } finally {
    unlinkSync(tmp);
  }
  return true;
}

/**
 * Creates directory `dir` with everything `fill` writes into it, all or nothing: `fill` works in a
 * temporary sibling directory that is then fsync'ed and renamed onto `dir` (POSIX rename replaces
 * only a missing or empty directory). The parent directory is created if needed and fsync'ed.
 * `fill` fsyncs what it writes (and any subdirectories it creates).
 * @throws UsageError `exists` if `dir` exists and is not an empty directory (nothing is changed);
 *   UsageError `unwritable` if it cannot be created; whatever `fill` throws (nothing is left).
 */
export async function createDirExclusive(
  dir: string,
  mode: number,
  fill: (tmp: string) => void | Promise<void>,
  errors: OutputErrors = {},
): Promise<void> {
  const exists = () => existsError(dir, errors, 'already exists and is not empty; it is never overwritten');
  const unwritable = errors.unwritable === undefined ? DEFAULTS.unwritable : errors.unwritable;
  if (pathExists(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) throw exists();
  const parent = dirname(dir);
  const tmp = join(parent, `.${basename(dir)}.init-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp, { mode });
  } catch (e) {
    throw operatorError(e, dir, unwritable);
  }
  try {
    await fill(tmp);
    fsyncDir(tmp);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR')
        throw exists();
      throw operatorError(e, dir, unwritable);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDir(parent);
}

/**
 * Removes the temporary files an interrupted {@link writeFileAtomic} may have left in `dir`
 * (`.<name>.tmp-<12 hex>`). Precondition: the caller holds the directory's lock, so no write is in
 * flight.
 */
export function removeStrayTemporaries(dir: string): void {
  for (const name of readdirSync(dir))
    if (/^\..+\.tmp-[0-9a-f]{12}$/.test(name)) rmSync(join(dir, name), { force: true });
}
