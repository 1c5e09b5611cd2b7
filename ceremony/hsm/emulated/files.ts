/**
 * Bounded reads of the emulated HSM's state files. Reads and durable writes live in `ceremony/io/`
 * (docs/hsm.md §2.3); this names the HSM's codes.
 */
import { readFileBounded } from '../../io/index.js';

/**
 * Reads a whole state file of at most `maxBytes`.
 * @throws UsageError `missingCode` when the file does not exist or cannot be read;
 *   `HSM_STATE_TOO_LARGE` when it is larger than `maxBytes`.
 */
export function readStateFile(path: string, maxBytes: number, missingCode: string): Buffer {
  return readFileBounded(path, maxBytes, {
    what: 'HSM state file',
    missingCode,
    tooLargeCode: 'HSM_STATE_TOO_LARGE',
  });
}
