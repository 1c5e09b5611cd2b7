/**
 * Durable file writes for the emulated HSM's state and for the CLI's outputs.
 *
 * - {@link writeFileAtomic}: replace-in-place that never leaves a torn file: write a temporary
 *   sibling (created with O_EXCL), fsync it, rename it over the target, fsync the directory. A crash
 *   leaves either the old or the new content (plus, at worst, a stray `.tmp-*` file).
 * - {@link writeFileExclusive}: create-only (DESIGN §6: outputs are never overwritten), and atomic
 *   too: the complete temporary file is hard-linked to the target name, which fails if the name
 *   exists, so no reader ever sees a half-written output.
 */
import {
  closeSync,
  mkdirSync,
  readdirSync,
  rmSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../../errors.js';

/** fsyncs a directory so a rename or unlink inside it survives a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** File-system errors an operator can fix (a missing or read-only directory), as UsageError. */
const OPERATOR_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOSPC']);

/**
 * Maps an fs error an operator can fix to UsageError `HSM_OUTPUT_UNWRITABLE` naming `path`;
 * anything else is returned unchanged.
 */
export function operatorError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined || !OPERATOR_ERRORS.has(code)) return e;
  return new UsageError('HSM_OUTPUT_UNWRITABLE', `cannot write here (${code})`, { file: path, cause: e });
}

function writeTemp(path: string, data: Uint8Array | string, mode: number): string {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (e) {
    throw operatorError(e, path);
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
 * @throws the underlying fs error (the target is unchanged).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o600): void {
  const tmp = writeTemp(path, data, mode);
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
 * @param code - the error code when the file exists (default `HSM_OUTPUT_EXISTS`).
 * @throws UsageError `code` if `path` already exists (nothing is written).
 */
export function writeFileExclusive(
  path: string,
  data: Uint8Array | string,
  mode = 0o600,
  code = 'HSM_OUTPUT_EXISTS',
): void {
  if (pathExists(path)) throw outputExists(path, code);
  const tmp = writeTemp(path, data, mode);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw outputExists(path, code);
    throw e;
  } finally {
    unlinkSync(tmp);
  }
  fsyncDir(dirname(path));
}

function outputExists(path: string, code: string): UsageError {
  return new UsageError(code, 'already exists; outputs are never overwritten', { file: path });
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

/**
 * Reads a whole file of at most `maxBytes`.
 * @throws UsageError `missingCode` when the file does not exist; UsageError `HSM_STATE_TOO_LARGE`
 *   when it is larger than `maxBytes`.
 */
export function readFileBounded(path: string, maxBytes: number, missingCode: string): Buffer {
  let st;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
    st = undefined; // a path through a regular file: nothing is there
  }
  if (st === undefined) throw new UsageError(missingCode, 'does not exist', { file: path });
  if (st.size > maxBytes)
    throw new UsageError('HSM_STATE_TOO_LARGE', `${st.size} bytes, more than the ${maxBytes} allowed`, {
      file: path,
    });
  return readFileSync(path);
}

/**
 * Creates directory `dir` with everything `fill` writes into it, all or nothing: `fill` works in a
 * temporary sibling directory that is then renamed onto `dir` (POSIX rename replaces only a
 * missing or empty directory). The parent directory is created if needed.
 * @throws UsageError `HSM_OUTPUT_EXISTS` if `dir` exists and is not empty (nothing is changed).
 */
export async function createDirExclusive(
  dir: string,
  mode: number,
  fill: (tmp: string) => void | Promise<void>,
): Promise<void> {
  const exists = () =>
    new UsageError('HSM_OUTPUT_EXISTS', 'already exists and is not empty; it is never overwritten', {
      file: dir,
    });
  if (pathExists(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) throw exists();
  const parent = dirname(dir);
  const tmp = join(parent, `.${basename(dir)}.init-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp, { mode });
  } catch (e) {
    throw operatorError(e, dir);
  }
  try {
    await fill(tmp);
    fsyncDir(tmp);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw exists();
      throw e;
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDir(parent);
}

/**
 * Removes the temporary files an interrupted {@link writeFileAtomic} may have left in `dir`
 * (`.<name>.tmp-<hex>`). Precondition: the caller holds the directory's lock, so no write is in
 * flight.
 */
export function removeStrayTemporaries(dir: string): void {
  for (const name of readdirSync(dir))
    if (/^\..+\.tmp-[0-9a-f]{12}$/.test(name)) rmSync(join(dir, name), { force: true });
}
