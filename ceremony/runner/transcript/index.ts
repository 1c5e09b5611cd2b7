/** The ceremony transcript (docs/transcript.md): records, chaining, reading, verifying, appending. Re-exports only. */
export { canonicalJson, parseCanonicalJson, MAX_JSON_DEPTH } from '../../transcript/canonical-json.js';
export type { JsonValue } from '../../transcript/canonical-json.js';
export {
  GENESIS_TEXT,
  encodeRecord,
  isRecordTime,
  lineHash,
  transcriptGenesis,
} from '../../transcript/chain.js';
export { MAX_LINE_BYTES, MAX_TRANSCRIPT_BYTES, parseTranscript } from '../../transcript/parse.js';
export type { ParseTranscriptOptions, ParsedTranscript, TornTail } from '../../transcript/parse.js';
export { RECORD_KINDS, TRANSCRIPT_FORMAT } from '../../transcript/records.js';
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
} from '../../transcript/records.js';
export { readCeremonyStart } from '../../transcript/start.js';
export type { CeremonyStart } from '../../transcript/start.js';
export { verifyTranscript } from '../../transcript/verify.js';
export type {
  InterruptionSummary,
  StepProgress,
  TranscriptVerification,
  VerifyTranscriptOptions,
} from '../../transcript/verify.js';
export { TranscriptWriter } from './writer.js';
export type { AppendedRecord, ReopenedTranscript, TranscriptWriterOptions } from './writer.js';
