/**
 * The ceremony transcript, as the evidence verifier reads it: the runner's portable verifier
 * (`verifyTranscript`: hash chain, plan order, quorum sign-offs, seal), then what the evidence adds
 * (docs/evidence.md, "Transcript"): the witness-signed fleet key set names one of its records, the
 * ceremony it describes is the fleet key set's, and the attestation nonce is recorded in it.
 *
 * The transcript format and its verifier live in ceremony/transcript/ (portable), shared with the
 * runner that writes transcripts, so there is one definition of a valid transcript.
 *
 * Portable: no `node:` imports.
 */
import { hexEncode } from '../codec/index.js';
import { VerificationError } from '../errors.js';
import type { FleetKeySet } from '../bundle/index.js';
import { type TranscriptVerification, verifyTranscript } from '../transcript/index.js';

/** What `verifyTranscript` establishes (the runner's type). */
export type { TranscriptVerification };

/** The plan step kind whose `step-end` outputs carry the attestation nonce. */
export const NONCE_STEP_KIND = 'collect-attestations';
/** The output name, in that step's `step-end`, of the attestation nonce (64 lowercase hex digits). */
export const NONCE_OUTPUT = 'nonce';

/**
 * Verifies a sealed transcript.
 *
 * @throws MalformedError / VerificationError with the runner's `TRANSCRIPT_*` and `SIGNOFF_*` codes.
 */
export function readTranscript(bytes: Uint8Array): TranscriptVerification {
  return verifyTranscript(bytes);
}

function refuse(code: string, field: string, reason: string): never {
  throw new VerificationError(code, reason, { field });
}

/**
 * The transcript must be the one the fleet key set was made in: `transcriptDigest` (signed by the
 * witness, through the set's digest) is the hash of one of its records, and the ceremony it
 * starts is the set's namespace, epoch and fleet.
 *
 * @returns the 1-based line of the bound record.
 * @throws VerificationError `EVIDENCE_TRANSCRIPT_NOT_BOUND`, `EVIDENCE_CEREMONY_MISMATCH`.
 */
export function checkTranscriptBinding(t: TranscriptVerification, ks: FleetKeySet): number {
  const want = hexEncode(ks.transcriptDigest);
  const bound = t.entries.find((e) => e.hash === want);
  if (bound === undefined) {
    refuse(
      'EVIDENCE_TRANSCRIPT_NOT_BOUND',
      'fleetKeySet.transcriptDigest',
      `the fleet key set's transcriptDigest ${want} is the hash of no record of transcript.jsonl: this is not the transcript the set was made in`,
    );
  }
  const c = t.ceremony;
  const mismatch: string[] = [];
  if (c.namespace !== ks.namespace)
    mismatch.push(`namespace ${JSON.stringify(c.namespace)} (the set's: ${JSON.stringify(ks.namespace)})`);
  if (BigInt(c.epoch) !== ks.epoch) mismatch.push(`epoch ${c.epoch} (the set's: ${ks.epoch})`);
  if (c.fleetId !== ks.fleetId)
    mismatch.push(`fleet ${JSON.stringify(c.fleetId)} (the set's: ${JSON.stringify(ks.fleetId)})`);
  if (mismatch.length > 0)
    refuse(
      'EVIDENCE_CEREMONY_MISMATCH',
      'line 1 data.ceremony',
      `the transcript's ceremony has ${mismatch.join(', ')}`,
    );
  return bound.line;
}

/**
 * The attestation nonce the transcript records: the `nonce` output of its `collect-attestations`
 * step(s), which must all agree.
 *
 * @throws VerificationError `EVIDENCE_NONCE_MISSING` (no such output), `EVIDENCE_NONCE_MISMATCH`
 *   (steps disagree, or not 64 lowercase hex digits).
 */
export function transcriptNonce(t: TranscriptVerification): string {
  const values = t.steps.filter((s) => s.kind === NONCE_STEP_KIND).map((s) => s.outputs?.[NONCE_OUTPUT]);
  const found = values.filter((v) => v !== undefined);
  if (found.length === 0) {
    refuse(
      'EVIDENCE_NONCE_MISSING',
      'transcript',
      `no ${NONCE_STEP_KIND} step of the transcript records a ${NONCE_OUTPUT} output: the attestations cannot be tied to this ceremony`,
    );
  }
  const first = found[0];
  if (typeof first !== 'string' || !/^[0-9a-f]{64}$/.test(first) || found.some((v) => v !== first)) {
    refuse(
      'EVIDENCE_NONCE_MISMATCH',
      'transcript',
      `the ${NONCE_STEP_KIND} steps record ${found.map((v) => JSON.stringify(v)).join(', ')}; want one value of 64 lowercase hex digits`,
    );
  }
  return first;
}
