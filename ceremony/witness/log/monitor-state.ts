/**
 * The state file of `log monitor` (docs/witness-log.md, "Monitor state"): the last checkpoint the
 * monitor accepted, as JSON, replaced atomically after each good round and never touched after a
 * failed one.
 *
 *     { "format": "fleet-ceremony/log-monitor-state@v1", "origin": "<log origin>",
 *       "checkpoint": "<signed note>", "updated": "<ISO 8601 UTC>" }
 */
import { MalformedError, UsageError } from '../../errors.js';
import type { LogMalformedErrorCode, LogUsageErrorCode } from './codes.js';
import { readIfExists, writeFileAtomic } from '../../io/index.js';

/** The `format` of state files this version writes. */
export const MONITOR_STATE_FORMAT = 'fleet-ceremony/log-monitor-state@v1';

/** Largest state file read (a checkpoint note is at most 1 MB). */
const MAX_STATE_BYTES = 2 * 1024 * 1024;

/** What a state file holds. */
export interface MonitorState {
  readonly origin: string;
  /** The last accepted checkpoint, signed note verbatim. */
  readonly checkpoint: string;
  /** When it was accepted (ISO 8601). */
  readonly updated: string;
}

function malformed(file: string, reason: string): MalformedError {
  return new MalformedError<LogMalformedErrorCode>('MONITOR_STATE_MALFORMED', reason, { file });
}

/**
 * Reads the state file; undefined if it does not exist (a first run).
 *
 * @throws MalformedError `MONITOR_STATE_MALFORMED` (not this JSON, unknown fields, too large).
 * @throws UsageError `MONITOR_STATE_MISMATCH` if it belongs to a log of another origin.
 */
export function readMonitorState(file: string, origin: string): MonitorState | undefined {
  const bytes = readIfExists(file);
  if (bytes === undefined) return undefined;
  if (bytes.length > MAX_STATE_BYTES)
    throw malformed(file, `got ${bytes.length} bytes, want at most ${MAX_STATE_BYTES}`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw malformed(file, `not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(file, 'want a JSON object');
  const o = value as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !['format', 'origin', 'checkpoint', 'updated'].includes(k));
  if (extra.length > 0) throw malformed(file, `unknown field(s) ${extra.join(', ')}`);
  if (o.format !== MONITOR_STATE_FORMAT)
    throw malformed(file, `format: want ${JSON.stringify(MONITOR_STATE_FORMAT)}`);
  for (const k of ['origin', 'checkpoint', 'updated'] as const) {
    if (typeof o[k] !== 'string') throw malformed(file, `${k}: want a string`);
  }
  if (o.origin !== origin) {
    throw new UsageError<LogUsageErrorCode>(
      'MONITOR_STATE_MISMATCH',
      `belongs to the log ${JSON.stringify(o.origin)}, not ${JSON.stringify(origin)}`,
      { file, field: 'origin' },
    );
  }
  return { origin, checkpoint: o.checkpoint as string, updated: o.updated as string };
}

/**
 * Replaces the state file atomically (temporary file, fsync, rename, fsync of the directory).
 * @throws fs errors; the old state is then unchanged.
 */
export function writeMonitorState(
  file: string,
  origin: string,
  checkpoint: string,
  now = new Date(),
): MonitorState {
  const state: MonitorState = { origin, checkpoint, updated: now.toISOString() };
  writeFileAtomic(file, JSON.stringify({ format: MONITOR_STATE_FORMAT, ...state }, null, 2) + '\n', 0o644, {
    unwritable: null,
  });
  return state;
}
