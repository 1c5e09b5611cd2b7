/**
 * Bounded reads (DESIGN §6: every input has a size bound, checked before it is read). One open
 * file descriptor does the whole job, so the size checked is the size of the file read, and a file
 * that changes while it is read is refused rather than returned torn. The file is opened
 * non-blocking, so a FIFO or device named by mistake is refused instead of hanging the read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** How {@link readFileBounded} names the file and its failures. */
export interface BoundedRead {
  /** What the file is, for messages: `trust file`, `bundle`. */
  what: string;
  /** Code for a file that does not exist (default `FILE_UNREADABLE`). */
  missingCode?: string;
  /** Code for a file that exists but cannot be read or is not a regular file (default `FILE_UNREADABLE`). */
  unreadableCode?: string;
  /** Code for a file larger than the bound (default `FILE_TOO_LARGE`). */
  tooLargeCode?: string;
  /** Code for a file whose size changed while it was read (default `FILE_CHANGED`). */
  changedCode?: string;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * Reads a whole regular file of at most `maxBytes`.
 *
 * @throws UsageError `missingCode` (no such file), `unreadableCode` (not readable, or not a regular
 *   file), `tooLargeCode` (larger than `maxBytes`), `changedCode` (its size changed while it was
 *   read); each names the file.
 * @example readFileBounded('trust.json', 1 << 20, { what: 'trust file' }).toString('utf8')
 */
export function readFileBounded(path: string, maxBytes: number, o: BoundedRead): Buffer {
  const unreadable = o.unreadableCode ?? 'FILE_UNREADABLE';
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    const missing = MISSING.has((cause as NodeJS.ErrnoException).code ?? '');
    throw new UsageError(
      missing ? (o.missingCode ?? 'FILE_UNREADABLE') : unreadable,
      `cannot read the ${o.what}: ${missing ? 'no such file' : (cause as Error).message}`,
      { file: path, cause },
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new UsageError(unreadable, `cannot read the ${o.what}: not a regular file`, { file: path });
    if (st.size > maxBytes)
      throw new UsageError(
        o.tooLargeCode ?? 'FILE_TOO_LARGE',
        `the ${o.what} is ${st.size} bytes, more than the ${maxBytes} allowed`,
        { file: path },
      );
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    // One more byte past the end means the file grew while it was read.
    if (off !== st.size || readSync(fd, Buffer.alloc(1), 0, 1, off) !== 0)
      throw new UsageError(o.changedCode ?? 'FILE_CHANGED', `the ${o.what} changed while it was read`, {
        file: path,
      });
    return buf;
  } finally {
    closeSync(fd);
  }
}
