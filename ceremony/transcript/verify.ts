/**
 * Verifying a transcript (docs/transcript.md, "Verification"): the chain (./parse.ts), then the
 * ceremony's own rules: one `ceremony-start` first; steps started in plan order and ended once;
 * every step's sign-offs meet its quorum before the next step starts; at most one `seal`, last,
 * over the final step. The offline verifier reuses this file.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../codec/index.js';
import { MalformedError, VerificationError } from '../errors.js';
import type { Participant } from './roles.js';
import { parseTranscript } from './parse.js';
import type { ParseTranscriptOptions, TornTail } from './parse.js';
import type { ParsedRecord } from './records.js';
import { readCeremonyStart } from './start.js';
import type { CeremonyStart } from './start.js';
import { StepTracker } from './steps.js';
import type { StepProgress } from './steps.js';

export type { StepProgress } from './steps.js';

/** Options of {@link verifyTranscript}. */
export interface VerifyTranscriptOptions extends ParseTranscriptOptions {
  /**
   * Pinned participants (from the script or a participants file). Without them the keys listed in
   * `ceremony-start` are used, and the result says so: a transcript cannot vouch for itself.
   */
  participants?: readonly Participant[];
  /** Hex SHA-256 the `ceremony-start` record must name as the script's digest. */
  scriptSha256?: string;
  /** Accept a transcript without a `seal` (a ceremony in progress or interrupted). */
  allowUnsealed?: boolean;
  /**
   * Hex hash the last record must have (as an evidence package or a fleet key set pins it): the
   * chain protects every line but the last; this protects the last.
   */
  head?: string;
}

/** An `interruption` record, as listed in the result. */
export interface InterruptionSummary {
  seq: number;
  time: string;
  step?: string;
  reason: string;
  detail?: string;
}

/** What a verified transcript says. */
export interface TranscriptVerification {
  ceremony: CeremonyStart['ceremony'];
  scriptSha256: string;
  records: number;
  /** Hash of the last record: what the evidence package and a seal refer to. */
  head: string;
  sealed: boolean;
  /** Where the keys that checked the sign-offs came from. */
  participantsSource: 'pinned' | 'transcript';
  steps: StepProgress[];
  signoffs: number;
  interruptions: InterruptionSummary[];
  resumes: number;
  tornTail?: TornTail;
  /** Oddities that do not break verification, e.g. the clock going backwards. */
  warnings: string[];
  /** The `ceremony-start` record, checked. */
  start: CeremonyStart;
  /** Every record, parsed, for callers that continue the ceremony. */
  entries: ParsedRecord[];
}

/**
 * Verifies a transcript's chain, structure and sign-offs.
 *
 * @param input - the transcript's bytes (or text, encoded as UTF-8).
 * @throws MalformedError for a line that is not a well-formed record (codes in ./parse.ts) or
 *   `TRANSCRIPT_NO_START`; VerificationError `TRANSCRIPT_CHAIN_BROKEN`, `TRANSCRIPT_BAD_SEQ`,
 *   `TRANSCRIPT_PARTICIPANTS_MISMATCH`, `TRANSCRIPT_SCRIPT_MISMATCH`, `TRANSCRIPT_STEP_ORDER`,
 *   `TRANSCRIPT_READ_ALOUD_MISMATCH`, `TRANSCRIPT_AFTER_SEAL`, `TRANSCRIPT_BAD_SEAL`,
 *   `TRANSCRIPT_NOT_SEALED`, `TRANSCRIPT_HEAD_MISMATCH`, and every `SIGNOFF_*` code of `verifyQuorum`, prefixed with the line.
 */
export function verifyTranscript(
  input: Uint8Array | string,
  o: VerifyTranscriptOptions = {},
): TranscriptVerification {
  const parsed = parseTranscript(input, o);
  const first = parsed.records[0];
  if (first === undefined || first.kind !== 'ceremony-start')
    throw new MalformedError('TRANSCRIPT_NO_START', 'line 1: the first record must be ceremony-start', {
      field: 'line 1',
    });
  const start = readCeremonyStart(first.data, 'line 1 data');
  if (o.scriptSha256 !== undefined && o.scriptSha256 !== start.script.sha256)
    throw new VerificationError(
      'TRANSCRIPT_SCRIPT_MISMATCH',
      `line 1: the ceremony ran script ${start.script.sha256}, not the one given (${o.scriptSha256})`,
      { field: 'line 1 data.script.sha256' },
    );
  const participants = o.participants === undefined ? start.signers : pinned(start, o.participants);
  const tracker = new StepTracker(start, participants);
  const interruptions: InterruptionSummary[] = [];
  const warnings: string[] = [];
  let resumes = 0;
  let sealed = false;
  let lastTime = first.time;
  for (const r of parsed.records.slice(1)) {
    if (sealed)
      throw new VerificationError(
        'TRANSCRIPT_AFTER_SEAL',
        `line ${r.line}: a ${r.kind} record after the seal`,
        {
          field: `line ${r.line}`,
        },
      );
    if (r.time < lastTime)
      warnings.push(`line ${r.line}: time ${r.time} is earlier than the record before (${lastTime})`);
    lastTime = r.time;
    switch (r.kind) {
      case 'ceremony-start':
        throw new VerificationError('TRANSCRIPT_STEP_ORDER', `line ${r.line}: a second ceremony-start`, {
          field: `line ${r.line}`,
        });
      case 'interruption':
        tracker.interrupted();
        interruptions.push(summarise(r));
        break;
      case 'resume':
        resumes++;
        break;
      case 'note':
        break;
      case 'seal':
        tracker.seal(r);
        sealed = true;
        break;
      default:
        tracker.record(r);
    }
  }
  if (!sealed && o.allowUnsealed !== true)
    throw new VerificationError(
      'TRANSCRIPT_NOT_SEALED',
      'the transcript has no seal record: the ceremony did not finish',
      {
        field: `line ${parsed.records.length}`,
      },
    );
  if (o.head !== undefined && o.head !== parsed.head)
    throw new VerificationError(
      'TRANSCRIPT_HEAD_MISMATCH',
      `the last record's hash is ${parsed.head}, want ${o.head}`,
      {
        field: `line ${parsed.records.length}`,
      },
    );
  const steps = tracker.progress();
  return {
    ceremony: start.ceremony,
    scriptSha256: start.script.sha256,
    records: parsed.records.length,
    head: parsed.head,
    sealed,
    participantsSource: o.participants === undefined ? 'transcript' : 'pinned',
    steps,
    signoffs: steps.reduce((n, s) => n + s.signers.length, 0),
    interruptions,
    resumes,
    ...(parsed.tornTail === undefined ? {} : { tornTail: parsed.tornTail }),
    warnings,
    start,
    entries: parsed.records,
  };
}

function summarise(r: ParsedRecord): InterruptionSummary {
  const reason = typeof r.data['reason'] === 'string' ? r.data['reason'] : 'unknown';
  const detail = typeof r.data['detail'] === 'string' ? r.data['detail'] : undefined;
  return {
    seq: r.seq,
    time: r.time,
    ...(r.step === undefined ? {} : { step: r.step }),
    reason,
    ...(detail === undefined ? {} : { detail }),
  };
}

/** The pinned participants, after checking the transcript lists exactly them. */
function pinned(start: CeremonyStart, given: readonly Participant[]): readonly Participant[] {
  const mismatch = (why: string) =>
    new VerificationError('TRANSCRIPT_PARTICIPANTS_MISMATCH', `line 1: ${why}`, {
      field: 'line 1 data.participants',
    });
  const byId = new Map(given.map((p) => [p.id, p]));
  for (const p of start.signers) {
    const g = byId.get(p.id);
    if (g === undefined) throw mismatch(`participant ${p.id} is not among the pinned participants`);
    if (g.role !== p.role) throw mismatch(`participant ${p.id} has role ${p.role} here, ${g.role} pinned`);
    if (!equalBytes(g.publicKey, p.publicKey))
      throw mismatch(`participant ${p.id} has a different key than pinned`);
  }
  if (given.length !== start.signers.length)
    throw mismatch(`${given.length} participants pinned, ${start.signers.length} listed`);
  return given;
}
