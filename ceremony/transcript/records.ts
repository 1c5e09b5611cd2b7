/**
 * Transcript records (docs/transcript.md): one JSON object per line,
 * `{ data, kind, prev, seq, step?, time }` in canonical JSON. The record's hash is SHA-256 of its
 * line's bytes (without the newline) and is not stored: the next record's `prev` carries it.
 *
 * Portable: no `node:` imports.
 */
import type { Role } from './roles.js';
import type { JsonValue } from './canonical-json.js';

/** Version tag in the `ceremony-start` record; a new chaining or record rule gets a new one. */
export const TRANSCRIPT_FORMAT = 'fleet-ceremony/transcript/v1';

/** Every record kind, in the order a ceremony usually writes them. */
export const RECORD_KINDS = [
  'ceremony-start',
  'environment',
  'step-start',
  'step-end',
  'read-aloud',
  'confirmation',
  'signoff',
  'interruption',
  'resume',
  'note',
  'seal',
] as const;

/** A record kind. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A JSON object, as records carry in `data`. */
export type JsonObject = { [key: string]: JsonValue };

/** One transcript record as written. */
export interface TranscriptRecord {
  /** 0 for the first record, then +1 per line. */
  seq: number;
  /** UTC, ISO 8601 with milliseconds: `2025-06-01T09:30:00.000Z`. */
  time: string;
  kind: RecordKind;
  /** Id of the script step the record belongs to, when it belongs to one. */
  step?: string;
  data: JsonObject;
  /** Hex SHA-256 of the previous line's bytes; for seq 0, the genesis value. */
  prev: string;
}

/** A record read back, with its position and its own hash. */
export interface ParsedRecord extends TranscriptRecord {
  /** 1-based line number in the file. */
  line: number;
  /** Hex SHA-256 of this line's bytes (without the newline). */
  hash: string;
}

/** Data of `ceremony-start`: what the ceremony is and the plan it follows. */
export interface CeremonyStartData {
  format: typeof TRANSCRIPT_FORMAT;
  ceremony: { id: string; name: string; kind: string; namespace: string; epoch: number; fleetId: string };
  /** The script file: its base name and the SHA-256 of its bytes. */
  script: { file: string; sha256: string };
  /** Everyone who may sign, with their pinned Ed25519 keys (hex). */
  participants: { id: string; name: string; role: string; publicKey: string }[];
  quorum: { threshold: number; of: number };
  /** The steps in order, with the sign-offs each requires (counts resolved to numbers). */
  plan: PlanEntry[];
  tool: { name: string; version: string };
}

/** One step of the plan recorded in `ceremony-start`. */
export interface PlanEntry {
  id: string;
  kind: string;
  title: string;
  signoffs: { role: Role; count: number }[];
}

/** Data of `step-start`. */
export interface StepStartData {
  index: number;
  kind: string;
  title: string;
  /** 1 for the first attempt; more after an interruption. */
  attempt: number;
}

/** A step output value: what later steps and read-aloud fields refer to as `<step>.<name>`. */
export type OutputValue = string | number | boolean;

/** Data of `step-end`. */
export interface StepEndData {
  index: number;
  durationMs: number;
  outputs: Record<string, OutputValue>;
}

/** Data of `signoff`: hex-encoded key, head and signature. */
export interface SignoffData {
  participant: string;
  role: string;
  publicKey: string;
  head: string;
  signature: string;
}

/** Data of `read-aloud`. */
export interface ReadAloudData {
  label: string;
  /** The reference read, e.g. `assemble.digest`. */
  value: string;
  hex: string;
  words: string[];
}

/** Data of `confirmation`: `typed` (the operator typed words back) or `assumed` (`--yes`). */
export interface ConfirmationData {
  about: string;
  method: 'typed' | 'assumed';
  words?: number;
}

/** Data of `interruption`: why the ceremony stopped, and for a torn write what was cut. */
export interface InterruptionData {
  reason: 'error' | 'cancelled' | 'signal' | 'process-ended' | 'torn-write';
  detail?: string;
  truncatedBytes?: number;
  truncatedSha256?: string;
}

/** Data of `seal`: the head the final sign-offs cover. */
export interface SealData {
  head: string;
  steps: number;
  signers: string[];
}
