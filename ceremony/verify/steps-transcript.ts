/**
 * The transcript checks of a package: `transcript` (the runner's rules), `transcript.binding`
 * (the witness-signed fleet key set names one of its records; same ceremony) and
 * `transcript.nonce` (the attestation nonce is recorded in it, and is the manifest's).
 *
 * Portable: no `node:` imports.
 */
import type { FleetKeySet } from '../bundle/index.js';
import { VerificationError } from '../errors.js';
import { CHECKS } from './checks.js';
import { EVIDENCE_FILES } from './layout.js';
import type { CheckRecorder } from './report.js';
import { checkTranscriptBinding, readTranscript, transcriptNonce } from './transcript.js';
import type { TranscriptVerification } from './transcript.js';

const TITLES = {
  transcript: CHECKS.transcript,
  binding: CHECKS['transcript.binding'],
  nonce: CHECKS['transcript.nonce'],
} as const;

/** What the transcript steps establish. */
export interface TranscriptFacts {
  transcript: TranscriptVerification;
  /** Line of the record the fleet key set names, when bound. */
  boundLine?: number;
}

/**
 * Records the three transcript checks.
 *
 * @param keySet - the fleet key set (from the bundle), or undefined when the bundle did not decode.
 * @param nonce - the stated nonce (manifest, or the writer's input), hex.
 */
export async function transcriptSteps(
  files: ReadonlyMap<string, Uint8Array>,
  keySet: FleetKeySet | undefined,
  nonce: string,
  rec: CheckRecorder,
): Promise<TranscriptFacts | undefined> {
  const bytes = files.get(EVIDENCE_FILES.transcript) ?? new Uint8Array();
  const t = await rec.run<TranscriptVerification>('transcript', TITLES.transcript, () => {
    const v = readTranscript(bytes);
    const reason = `${v.records} records, ${v.steps.length} steps, ${v.signoffs} sign-offs by keys listed in the transcript (bound by the witness through the fleet key set), sealed at head ${v.head}`;
    return { reason, value: v };
  });
  if (t.value === undefined) {
    rec.skip('transcript.binding', TITLES.binding, 'not checked: the transcript does not verify');
    rec.skip('transcript.nonce', TITLES.nonce, 'not checked: the transcript does not verify');
    return undefined;
  }
  const facts: TranscriptFacts = { transcript: t.value };
  if (keySet === undefined)
    rec.skip('transcript.binding', TITLES.binding, 'not checked: bundle.cbor does not decode');
  else {
    await rec.run('transcript.binding', TITLES.binding, () => {
      facts.boundLine = checkTranscriptBinding(t.value!, keySet);
      return {
        reason: `transcriptDigest is the hash of line ${facts.boundLine} (${t.value!.records} lines); ceremony ${t.value!.ceremony.id} of fleet ${keySet.fleetId}, epoch ${keySet.epoch}`,
      };
    });
  }
  await rec.run('transcript.nonce', TITLES.nonce, () => {
    const recorded = transcriptNonce(t.value!);
    if (recorded !== nonce) {
      throw new VerificationError(
        'EVIDENCE_NONCE_MISMATCH',
        `the transcript records nonce ${recorded}, the package states ${nonce}`,
        { file: EVIDENCE_FILES.manifest, field: '$.ceremony.nonce' },
      );
    }
    return { reason: `nonce ${nonce}` };
  });
  return facts;
}
