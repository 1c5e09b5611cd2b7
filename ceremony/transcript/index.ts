/**
 * The ceremony transcript format (docs/transcript.md): records, chaining, canonical JSON, parsing,
 * verification, sign-offs and quorum, roles, PGP words. Portable (the offline verifier and browsers
 * read it); the appender lives in ceremony/runner/transcript/writer.ts. Re-exports only.
 */
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
export {
  MAX_PGP_WORDS_BYTES,
  PGP_EVEN_WORDS,
  PGP_ODD_WORDS,
  formatPgpWords,
  pgpWords,
  pgpWordsDecode,
} from './pgp-words.js';
export { ROLES, isRole, listOr } from './roles.js';
export type { Participant, Role } from './roles.js';
export { SIGNOFF_CONTEXT, signoffMessage, verifyQuorum } from './signoff.js';
export type { QuorumRequirement, QuorumResult, Signoff } from './signoff.js';
