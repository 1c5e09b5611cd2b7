/**
 * Durable file writes for exported tiles and monitor state (DESIGN §6: writes that matter are
 * atomic and fsync'ed; outputs are created exclusively).
 *
 * - {@link writeFileAtomic}: replace-in-place via a fsync'ed temporary sibling and rename; a crash
 *   leaves the old or the new content, never a torn file.
 * - {@link writeFileOnce}: create-only, atomically (the complete temporary file is hard-linked to
 *   its name, which fails if the name exists). An existing file with the same bytes is accepted
 *   (an export resumed after a crash), a different one is a conflict.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../../errors.js';
import type { LogUsageErrorCode } from './codes.js';

/** fsyncs a directory so the names created, renamed or removed in it survive a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeTemp(path: string, data: Uint8Array, mode: number): string {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

const utf8 = (data: Uint8Array | string): Uint8Array =>
  typeof data === 'string' ? new TextEncoder().encode(data) : data;

/**
 * Atomically replaces (or creates) `path`; durable on return (the directory is fsync'ed).
 * @throws the underlying fs error; the old content is then unchanged.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o644): void {
  const tmp = writeTemp(path, utf8(data), mode);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  fsyncDir(dirname(path));
}

/**
 * Creates `path` (and its parent directories) with `data` unless it exists with the same bytes.
 * The file's content is fsync'ed; the caller fsyncs the directories it returns before relying on
 * the names (one fsync per directory instead of one per file).
 *
 * @returns whether the file was written (false: it was already there, identical).
 * @throws UsageError `LOG_EXPORT_CONFLICT` if `path` exists with other bytes (nothing is changed).
 */
export function writeFileOnce(path: string, data: Uint8Array, mode = 0o644): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const existing = readIfExists(path);
  if (existing !== undefined) return same(path, existing, data);
  const tmp = writeTemp(path, data, mode);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return same(path, readFileSync(path), data);
  } finally {
    unlinkSync(tmp);
  }
  return true;
}

function same(path: string, existing: Uint8Array, data: Uint8Array): false {
  if (Buffer.compare(existing, data) !== 0) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_EXPORT_CONFLICT',
      'exists with other content; outputs are never overwritten (is this directory another log?)',
      { file: path },
    );
  }
  return false;
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
