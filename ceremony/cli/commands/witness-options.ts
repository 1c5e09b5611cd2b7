/**
 * Shared flags of the `witness` subcommands (./witness.ts): `--json`, `--data DIR`, the PKCS#11
 * token selector, and time arguments.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';

/** `--json`. */
export interface JsonArgs {
  json: boolean;
}
/** `--data DIR` and `--json`. */
export interface DataArgs extends JsonArgs {
  data: string;
}
/** A PKCS#11 token selector. */
export interface TokenArgs {
  module?: string;
  'token-label'?: string;
  'token-serial'?: string;
  'pin-env': string;
}

/** The library, loaded when a command runs. */
export const witnessLib = () => import('../../witness/index.js');

/** Adds `--json`. */
export const withJson = <T>(y: Argv<T>) =>
  y.option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' });

/** Adds `--data DIR` and `--json`. */
export const withData = <T>(y: Argv<T>) =>
  withJson(y).option('data', { type: 'string', demandOption: true, describe: 'the witness data directory' });

/** Adds the PKCS#11 token flags. */
export const withToken = <T>(y: Argv<T>) =>
  y
    .option('module', { type: 'string', describe: 'PKCS#11 module (keys in a token)' })
    .option('token-label', { type: 'string', describe: 'PKCS#11 token label' })
    .option('token-serial', { type: 'string', describe: 'PKCS#11 token serial' })
    .option('pin-env', {
      type: 'string',
      default: 'FLEET_HSM_PIN',
      describe: 'environment variable with the PIN',
    });

/**
 * `2025-06-01T00:00:00Z` or milliseconds since the Unix epoch.
 * @throws UsageError `WITNESS_KEY_ROTATION_INVALID`.
 */
export function parseTime(text: string, field: string): number {
  const t = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(t)) {
    throw new UsageError('WITNESS_KEY_ROTATION_INVALID', `${field}: want ISO 8601 or milliseconds`, {
      field,
    });
  }
  return t;
}

/** ISO 8601 of a time in ms. */
export const iso = (ms: number): string => new Date(ms).toISOString();
