/**
 * Hash chaining of transcript lines (docs/transcript.md, "Chaining"):
 *
 * - a record's hash is SHA-256 of its line's exact bytes, without the terminating LF;
 * - the first record's `prev` is {@link transcriptGenesis}: SHA-256 of the ASCII text
 *   `fleet-ceremony transcript v1` (`printf 'fleet-ceremony transcript v1' | sha256sum`);
 * - every later record's `prev` is the hash of the line before it.
 *
 * Portable: no `node:` imports.
 */
import { hexEncode, utf8Encode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { canonicalJson } from './canonical-json.js';
import type { TranscriptRecord } from './records.js';

/** The text whose SHA-256 is the first record's `prev`. */
export const GENESIS_TEXT = 'fleet-ceremony transcript v1';

let genesis: string | undefined;

/** Hex SHA-256 of {@link GENESIS_TEXT}: the `prev` of record 0. */
export function transcriptGenesis(): string {
  return (genesis ??= hexEncode(sha256(utf8Encode(GENESIS_TEXT))));
}

/** Hex SHA-256 of one line's bytes (without its LF). */
export function lineHash(line: Uint8Array): string {
  return hexEncode(sha256(line));
}

/**
 * The canonical line of `record`, without the LF.
 * @throws UsageError `JSON_NOT_CANONICAL_VALUE` for data outside canonical JSON (a float, say).
 */
export function encodeRecord(record: TranscriptRecord): string {
  const { seq, time, kind, step, data, prev } = record;
  return canonicalJson(
    step === undefined ? { seq, time, kind, data, prev } : { seq, time, kind, step, data, prev },
  );
}

const TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** True if `time` is a UTC timestamp as records carry it (`Date.prototype.toISOString`). */
export function isRecordTime(time: string): boolean {
  return TIME.test(time) && new Date(time).toISOString() === time;
}
