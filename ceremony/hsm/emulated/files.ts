/**
 * Bounded reads of the emulated HSM's state files. The durable writes live in `ceremony/io/`
 * (docs/hsm.md §2.3).
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../../errors.js';

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
