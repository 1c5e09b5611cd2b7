/**
 * Reading a transcript file: split into lines, check each line is canonical JSON of a record with
 * the right `seq` and `prev`, and hash it. The semantic rules (plan order, sign-offs, seal) are
 * in ./verify.ts.
 *
 * A last line without its LF is a *torn tail*: what a kill during a write leaves. It is refused
 * unless the caller allows it (resume does, and records the cut as an interruption; see
 * docs/transcript.md, "Torn writes").
 *
 * Portable: no `node:` imports.
 */
import { isUtf8, utf8Decode, utf8Encode } from '../codec/index.js';
import { MalformedError, VerificationError } from '../errors.js';
import { parseCanonicalJson } from './canonical-json.js';
import { isRecordTime, lineHash, transcriptGenesis } from './chain.js';
import { ID, obj, str } from './fields.js';
import { RECORD_KINDS } from './records.js';
import type { ParsedRecord, RecordKind } from './records.js';

/** Largest transcript accepted, in bytes. */
export const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;
/** Largest line accepted, in bytes. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** The bytes after the last LF of a transcript that did not end with one. */
export interface TornTail {
  /** Byte offset where the torn line starts (= the length of the intact part). */
  offset: number;
  bytes: number;
  /** Hex SHA-256 of the torn bytes. */
  sha256: string;
}

/** A transcript split into checked records. */
export interface ParsedTranscript {
  records: ParsedRecord[];
  /** Hash of the last complete line (the genesis value for an empty transcript). */
  head: string;
  tornTail?: TornTail;
}

/** Options of {@link parseTranscript}. */
export interface ParseTranscriptOptions {
  /** Accept (and report) a torn last line instead of refusing the transcript. */
  allowTornTail?: boolean;
}

function malformed(code: string, line: number, reason: string): never {
  throw new MalformedError(code, `line ${line}: ${reason}`, { field: `line ${line}` });
}

/**
 * Splits and checks a transcript.
 *
 * @param input - the file's bytes (a string is encoded as UTF-8 first).
 * @throws MalformedError `TRANSCRIPT_TOO_LARGE`, `TRANSCRIPT_EMPTY`, `TRANSCRIPT_TORN_TAIL`,
 *   `TRANSCRIPT_LINE_TOO_LONG`, `TRANSCRIPT_BAD_UTF8`, `JSON_SYNTAX`, `JSON_NOT_CANONICAL`,
 *   `TRANSCRIPT_BAD_FIELD`, `TRANSCRIPT_UNKNOWN_KIND`, `TRANSCRIPT_BAD_TIME`; VerificationError
 *   `TRANSCRIPT_BAD_SEQ` (a line missing, repeated or moved), `TRANSCRIPT_CHAIN_BROKEN` (`prev` is
 *   not the previous line's hash).
 */
export function parseTranscript(
  input: Uint8Array | string,
  o: ParseTranscriptOptions = {},
): ParsedTranscript {
  const bytes = typeof input === 'string' ? utf8Encode(input) : input;
  if (bytes.length > MAX_TRANSCRIPT_BYTES)
    throw new MalformedError(
      'TRANSCRIPT_TOO_LARGE',
      `${bytes.length} bytes, at most ${MAX_TRANSCRIPT_BYTES}`,
    );
  if (bytes.length === 0) throw new MalformedError('TRANSCRIPT_EMPTY', 'no records');
  const records: ParsedRecord[] = [];
  let head = transcriptGenesis();
  let start = 0;
  while (start < bytes.length) {
    const lf = bytes.indexOf(0x0a, start);
    const n = records.length + 1;
    if (lf < 0) {
      if (o.allowTornTail !== true)
        malformed(
          'TRANSCRIPT_TORN_TAIL',
          n,
          `the last ${bytes.length - start} bytes have no newline: a write was cut short`,
        );
      const torn = bytes.subarray(start);
      return { records, head, tornTail: { offset: start, bytes: torn.length, sha256: lineHash(torn) } };
    }
    const line = bytes.subarray(start, lf);
    if (line.length > MAX_LINE_BYTES)
      malformed('TRANSCRIPT_LINE_TOO_LONG', n, `${line.length} bytes, at most ${MAX_LINE_BYTES}`);
    const record = parseLine(line, n, head);
    records.push(record);
    head = record.hash;
    start = lf + 1;
  }
  return { records, head };
}

function parseLine(line: Uint8Array, n: number, prevHash: string): ParsedRecord {
  if (line.length === 0) malformed('JSON_SYNTAX', n, 'an empty line');
  if (!isUtf8(line)) malformed('TRANSCRIPT_BAD_UTF8', n, 'not valid UTF-8');
  const at = `line ${n}`;
  const value = parseCanonicalJson(utf8Decode(line), at);
  const r = obj(value, at, ['seq', 'time', 'kind', 'data', 'prev'], ['step']);
  if (r['seq'] !== n - 1)
    throw new VerificationError(
      'TRANSCRIPT_BAD_SEQ',
      `${at}: seq is ${JSON.stringify(r['seq'])}, want ${n - 1} (a record was removed, inserted or moved)`,
      { field: `${at}.seq` },
    );
  const time = str(r['time'], `${at}.time`);
  if (!isRecordTime(time))
    malformed('TRANSCRIPT_BAD_TIME', n, `time ${JSON.stringify(time)} is not UTC ISO 8601 with milliseconds`);
  const kind = str(r['kind'], `${at}.kind`);
  if (!(RECORD_KINDS as readonly string[]).includes(kind))
    malformed('TRANSCRIPT_UNKNOWN_KIND', n, `kind ${JSON.stringify(kind.slice(0, 40))} is not a record kind`);
  const step = r['step'] === undefined ? undefined : str(r['step'], `${at}.step`, ID);
  const data = obj(r['data'], `${at}.data`, [], Object.keys(r['data'] ?? {}));
  const prev = str(r['prev'], `${at}.prev`, /^[0-9a-f]{64}$/);
  if (prev !== prevHash)
    throw new VerificationError(
      'TRANSCRIPT_CHAIN_BROKEN',
      `${at}: prev ${prev} is not the hash of the line before (${prevHash}): the transcript was altered`,
      { field: `${at}.prev` },
    );
  return {
    seq: n - 1,
    time,
    kind: kind as RecordKind,
    ...(step === undefined ? {} : { step }),
    data,
    prev,
    line: n,
    hash: lineHash(line),
  };
}
