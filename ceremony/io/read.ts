/**
 * Bounded reads (DESIGN §6: every input has a size bound, checked before it is read). One open
 * file descriptor does the whole job, so the size checked is the size of the file read, and a file
 * that changes while it is read is refused rather than returned torn.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** How {@link readFileBounded} names the file and its failures. */
export interface BoundedRead {
  /** What the file is, for messages: `trust file`, `bundle`. */
  what: string;
  /** Code for a file that is missing, unreadable or not a regular file (default `FILE_UNREADABLE`). */
  missingCode?: string;
  /** Code for a file larger than the bound (default `FILE_TOO_LARGE`). */
  tooLargeCode?: string;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * Reads a whole regular file of at most `maxBytes`.
 *
 * @throws UsageError `missingCode` (the file is missing, unreadable or not a regular file),
 *   `tooLargeCode` (larger than `maxBytes`), `FILE_CHANGED` (its size changed while it was read);
 *   each names the file.
 * @example readFileBounded('trust.json', 1 << 20, { what: 'trust file' }).toString('utf8')
 */
export function readFileBounded(path: string, maxBytes: number, o: BoundedRead): Buffer {
  const missingCode = o.missingCode ?? 'FILE_UNREADABLE';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code !== undefined && MISSING.has(code) ? 'no such file' : (cause as Error).message;
    throw new UsageError(missingCode, `cannot read the ${o.what}: ${why}`, { file: path, cause });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new UsageError(missingCode, `cannot read the ${o.what}: not a regular file`, { file: path });
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
      throw new UsageError('FILE_CHANGED', `the ${o.what} changed while it was read`, { file: path });
    return buf;
  } finally {
    closeSync(fd);
  }
}
