/**
 * The transcript appender. The format it writes (records, chaining, verification) is in
 * ceremony/transcript/. Re-exports only.
 */
export { TranscriptWriter } from './writer.js';
export type { AppendedRecord, ReopenedTranscript, TranscriptWriterOptions } from './writer.js';
