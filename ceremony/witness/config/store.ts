/**
 * The witness data directory (docs/witness.md, "Data directory"):
 *
 *     DIR/witness.json     configuration (public keys, namespaces, operators, limits)
 *     DIR/keys/            private key files, directory 0700, files 0600, created exclusively
 *     DIR/state.sqlite     signing state: statements per namespace and epoch, request nonces,
 *                          cosigned checkpoints
 *     DIR/log.sqlite       the audit log (ceremony/witness/log)
 *
 * The configuration is replaced atomically (temporary file, fsync, rename, fsync of DIR), and
 * every change is validated by parsing the new text before it is written.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { writeFileAtomic, writeFileExclusive } from '../../io/index.js';
import { formatWitnessConfig, parseWitnessConfig } from './parse.js';
import type { WitnessConfig } from './types.js';

/** Largest configuration file read (it holds vendor roots, so allow some room). */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** The paths of a data directory. */
export interface WitnessPaths {
  dir: string;
  config: string;
  keys: string;
  state: string;
  log: string;
}

/** The paths inside data directory `dir`. */
export function witnessPaths(dir: string): WitnessPaths {
  return {
    dir,
    config: join(dir, 'witness.json'),
    keys: join(dir, 'keys'),
    state: join(dir, 'state.sqlite'),
    log: join(dir, 'log.sqlite'),
  };
}

/**
 * Reads and parses `DIR/witness.json`.
 * @throws UsageError `WITNESS_CONFIG_MISSING`, `WITNESS_CONFIG_MALFORMED`, `WITNESS_CONFIG_INVALID`.
 */
export function readWitnessConfig(dir: string): WitnessConfig {
  const file = witnessPaths(dir).config;
  const st = statSync(file, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) {
    throw new UsageError(
      'WITNESS_CONFIG_MISSING',
      'no witness configuration here; run `witness keygen --data DIR` first',
      { file },
    );
  }
  if (st.size > MAX_CONFIG_BYTES) {
    throw new UsageError('WITNESS_CONFIG_MALFORMED', `${st.size} bytes, more than ${MAX_CONFIG_BYTES}`, {
      file,
    });
  }
  return parseWitnessConfig(readFileSync(file, 'utf8'), file);
}

/** The configuration file's identity (size and modification time), to notice changes cheaply. */
export function configVersion(dir: string): string {
  const st = statSync(witnessPaths(dir).config, { throwIfNoEntry: false });
  return st === undefined ? '' : `${st.size}:${st.mtimeMs}:${st.ino}`;
}

/**
 * Writes a configuration: validated by re-parsing its text, then created exclusively (`create`)
 * or replaced atomically.
 * @throws UsageError `WITNESS_CONFIG_INVALID`; `WITNESS_OUTPUT_EXISTS` when creating over a file.
 */
export function writeWitnessConfig(
  dir: string,
  config: WitnessConfig,
  options: { create?: boolean } = {},
): void {
  const file = witnessPaths(dir).config;
  const text = formatWitnessConfig(config);
  parseWitnessConfig(text, file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (options.create === true) writeFileExclusive(file, text, 0o644, 'WITNESS_OUTPUT_EXISTS');
  else writeFileAtomic(file, text, 0o644);
}

/**
 * Reads the configuration, applies `change` and writes the result atomically. Run one
 * configuration command at a time; a running server notices the change (docs/witness.md).
 */
export function updateWitnessConfig(dir: string, change: (c: WitnessConfig) => WitnessConfig): WitnessConfig {
  const next = change(readWitnessConfig(dir));
  writeWitnessConfig(dir, next);
  return next;
}
