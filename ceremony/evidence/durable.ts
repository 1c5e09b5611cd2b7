/**
 * Durable, create-only outputs (DESIGN §6): a package directory appears whole or not at all, and
 * nothing existing is ever overwritten.
 *
 * - {@link writeDirExclusive}: every file is written (created exclusively, fsync'ed) into a
 *   temporary sibling directory, every directory is fsync'ed, then the temporary directory is
 *   renamed onto the target, which must not exist (or be an empty directory), and the parent is
 *   fsync'ed.
 * - {@link writeFileExclusive}: a temporary sibling file, fsync'ed, hard-linked to the target name
 *   (which fails if the name exists), then unlinked; the directory is fsync'ed.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

function exists(path: string): UsageError {
  return new UsageError('EVIDENCE_OUTPUT_EXISTS', 'already exists; evidence is never overwritten', { file: path });
}

function unwritable(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined || !['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR'].includes(code)) return e;
  return new UsageError('EVIDENCE_OUTPUT_UNWRITABLE', `cannot write here (${code})`, { file: path, cause: e });
}

/** fsyncs a file or directory by path. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeNew(path: string, data: Uint8Array, mode: number): void {
  const fd = openSync(path, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function writeNewAsync(path: string, data: Uint8Array, mode: number): Promise<void> {
  const fh = await open(path, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) off += (await fh.write(data, off, data.length - off)).bytesWritten;
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Files written and fsync'ed at once: concurrent fsyncs share journal commits. */
const CONCURRENCY = 32;

/** True if something exists at `path`. */
function present(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/**
 * Creates directory `dir` holding exactly `files` (relative `/` paths → bytes), all or nothing.
 *
 * @throws UsageError `EVIDENCE_OUTPUT_EXISTS` if `dir` exists and is not an empty directory;
 *   `EVIDENCE_OUTPUT_UNWRITABLE` if it cannot be written (nothing is left behind).
 */
export async function writeDirExclusive(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st !== undefined && (!st.isDirectory() || readdirSync(dir).length > 0)) throw exists(dir);
  const parent = dirname(dir);
  const tmp = join(parent, `.${basename(dir)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp, { mode: 0o755 });
  } catch (e) {
    throw unwritable(dir, e);
  }
  try {
    const dirs = new Set<string>([tmp]);
    const todo = [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, bytes]) => {
      const target = join(tmp, ...path.split('/'));
      const d = dirname(target);
      if (!dirs.has(d)) {
        mkdirSync(d, { recursive: true, mode: 0o755 });
        for (let x = d; !dirs.has(x); x = dirname(x)) dirs.add(x);
      }
      return { target, bytes };
    });
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const t = todo[next++]!;
        await writeNewAsync(t.target, t.bytes, 0o644);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncPath(d);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') throw exists(dir);
      throw unwritable(dir, e);
    }
    fsyncPath(parent);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Creates file `path` with `data`, never overwriting; durable on return.
 *
 * @throws UsageError `EVIDENCE_OUTPUT_EXISTS`, `EVIDENCE_OUTPUT_UNWRITABLE`.
 */
export function writeFileExclusive(path: string, data: Uint8Array, mode = 0o644): void {
  if (present(path)) throw exists(path);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    writeNew(tmp, data, mode);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw unwritable(path, e);
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw exists(path);
    throw unwritable(path, e);
  } finally {
    unlinkSync(tmp);
  }
  fsyncPath(dirname(path));
}
