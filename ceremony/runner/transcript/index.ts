/** The ceremony transcript (docs/transcript.md): records, chaining, reading, verifying, appending. Re-exports only. */
export { canonicalJson, parseCanonicalJson, MAX_JSON_DEPTH } from './canonical-json.js';
export type { JsonValue } from './canonical-json.js';
export { GENESIS_TEXT, encodeRecord, isRecordTime, lineHash, transcriptGenesis } from './chain.js';
export { MAX_LINE_BYTES, MAX_TRANSCRIPT_BYTES, parseTranscript } from './parse.js';
export type { ParseTranscriptOptions, ParsedTranscript, TornTail } from './parse.js';
export { RECORD_KINDS, TRANSCRIPT_FORMAT } from './records.js';
export type {
  CeremonyStartData,
  ConfirmationData,
  InterruptionData,
  JsonObject,
  OutputValue,
  ParsedRecord,
  PlanEntry,
  ReadAloudData,
  RecordKind,
  SealData,
  SignoffData,
  StepEndData,
  StepStartData,
  TranscriptRecord,
} from './records.js';
export { readCeremonyStart } from './start.js';
export type { CeremonyStart } from './start.js';
export { verifyTranscript } from './verify.js';
export type {
  InterruptionSummary,
  StepProgress,
  TranscriptVerification,
  VerifyTranscriptOptions,
} from './verify.js';
export { TranscriptWriter } from './writer.js';
export type { AppendedRecord, ReopenedTranscript, TranscriptWriterOptions } from './writer.js';
