/**
 * Witness private keys as files in `DIR/keys/` (directory 0700, files 0600, created exclusively
 * and atomically, never overwritten):
 *
 *     statement-<n>.key   64 lowercase hex digits: the Ed25519 seed, then a newline
 *     log.key             C2SP signer key, type 0x01, named as the log origin
 *     cosigner.key        C2SP signer key, type 0x04 (cosignature/v1), named as the witness
 *
 * Reading refuses a file that other users may read (mode & 0o077), so a key copied carelessly is
 * noticed. Error messages name the file, never its content.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hexDecode, hexEncode } from '../../codec/index.js';
import { UsageError } from '../../errors.js';
import { writeFileExclusive } from '../../io/index.js';

/** Largest key file read. */
const MAX_KEY_FILE_BYTES = 4096;

/** Creates `DIR/keys` (0700) if missing; returns its path. */
export function ensureKeyDir(dir: string): string {
  const keys = join(dir, 'keys');
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  return keys;
}

/**
 * Writes a key file exclusively with mode 0600.
 * @param relative - path relative to the data directory (`keys/<name>`).
 * @throws UsageError `WITNESS_OUTPUT_EXISTS` if the file exists.
 */
export function writeKeyFile(dir: string, relative: string, text: string): void {
  ensureKeyDir(dir);
  writeFileExclusive(join(dir, relative), text, 0o600, 'WITNESS_OUTPUT_EXISTS');
}

/**
 * Reads a key file, refusing one that is missing, too large, or readable by others.
 * @throws UsageError `WITNESS_KEY_MISSING`, `WITNESS_KEY_INVALID`.
 */
export function readKeyFile(dir: string, relative: string): string {
  const file = join(dir, relative);
  const st = statSync(file, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile())
    throw new UsageError('WITNESS_KEY_MISSING', 'key file does not exist', { file });
  if ((st.mode & 0o077) !== 0) {
    throw new UsageError(
      'WITNESS_KEY_INVALID',
      `key file mode is ${(st.mode & 0o777).toString(8)}, want 600 (readable by its owner only)`,
      { file },
    );
  }
  if (st.size > MAX_KEY_FILE_BYTES)
    throw new UsageError('WITNESS_KEY_INVALID', 'key file is too large', { file });
  return readFileSync(file, 'utf8');
}

/** The text of a statement key file for a 32-byte seed. */
export function formatSeedFile(seed: Uint8Array): string {
  return hexEncode(seed) + '\n';
}

/**
 * Parses a statement key file (64 hex digits and a newline).
 * @throws UsageError `WITNESS_KEY_INVALID` (the message never shows the content).
 */
export function parseSeedFile(text: string, file: string): Uint8Array {
  if (!/^[0-9a-f]{64}\n$/.test(text)) {
    throw new UsageError('WITNESS_KEY_INVALID', 'want 64 lowercase hex digits and a newline', { file });
  }
  return hexDecode(text.slice(0, 64), 'seed', 32);
}
