/**
 * The content checks of a package, in order: the validation bundle, the loose copies of its parts,
 * the transcript, every key's attestation, the HSMs' identity chains. The verifier runs them once
 * the package's integrity is established; the evidence writer runs them on what it is about to
 * publish (it refuses to publish evidence that does not verify) and renders the report from the
 * facts they return.
 *
 * Portable: no `node:` imports.
 */
import type { Trust } from '../bundle/index.js';
import { CHECKS } from './checks.js';
import type { CheckRecorder } from './report.js';
import { attestationSteps } from './steps-attestations.js';
import type { AttestationFact } from './steps-attestations.js';
import { bundleSteps } from './steps-bundle.js';
import type { BundleFacts } from './steps-bundle.js';
import { deviceSteps } from './steps-devices.js';
import { fileSteps } from './steps-files.js';
import { transcriptSteps } from './steps-transcript.js';
import type { TranscriptFacts } from './steps-transcript.js';

/** Everything the content checks establish (parts are absent when their check could not run). */
export interface EvidenceFacts {
  bundle?: BundleFacts;
  transcript?: TranscriptFacts;
  attestations: AttestationFact[];
  /** True when any HSM of the fleet key set has attestation level `emulated`. */
  rehearsal: boolean;
}

/** Options of {@link contentSteps}. */
export interface ContentOptions {
  profile: 'production' | 'rehearsal';
  /** Time to judge at (ms), when the caller names one. */
  now?: number;
  /** When the package was made (ms); judged at otherwise. */
  createdAt: number;
  lastSeen?: { epoch: bigint; digest: Uint8Array };
  /** The ceremony nonce (hex), as stated by the manifest. */
  nonce: string;
  /** The attestation format of each key, as stated by the manifest. */
  formats: ReadonlyMap<string, string>;
}

/** Runs every content check on `files`, recording each in `rec`. */
export async function contentSteps(
  files: ReadonlyMap<string, Uint8Array>,
  trust: Trust,
  o: ContentOptions,
  rec: CheckRecorder,
): Promise<EvidenceFacts> {
  const bundle = await bundleSteps(
    files,
    trust,
    {
      createdAt: o.createdAt,
      ...(o.now === undefined ? {} : { now: o.now }),
      ...(o.lastSeen === undefined ? {} : { lastSeen: o.lastSeen }),
    },
    rec,
  );
  const facts: EvidenceFacts = {
    attestations: [],
    rehearsal: bundle?.keySet.hsms.some((h) => h.attestationLevel === 'emulated') ?? false,
    ...(bundle === undefined ? {} : { bundle }),
  };
  if (bundle !== undefined) {
    const operator =
      bundle.verified?.operatorKey ?? trust.operatorKeys.find((k) => k.keyId === bundle.bundle.operatorKeyId);
    await fileSteps(files, bundle, operator?.algorithm, rec);
  } else {
    for (const id of [
      'files.fleet-key-set',
      'files.fleet-key-set-json',
      'files.witness',
      'files.log',
    ] as const)
      rec.skip(id, CHECKS[id], 'not checked: bundle.cbor does not decode');
  }
  const transcript = await transcriptSteps(files, bundle?.keySet, o.nonce, rec);
  if (transcript !== undefined) facts.transcript = transcript;
  if (bundle === undefined) {
    rec.skip(
      'attestation:<keyId>',
      CHECKS['attestation:<keyId>'],
      'not checked: bundle.cbor does not decode, so the keys are unknown',
    );
    rec.skip('devices', CHECKS.devices, 'not checked: bundle.cbor does not decode');
    return facts;
  }
  const at = new Date(o.now ?? o.createdAt);
  facts.attestations = await attestationSteps(
    files,
    bundle.keySet,
    trust,
    { profile: o.profile, at, nonce: o.nonce, formats: o.formats },
    rec,
  );
  await deviceSteps(files, bundle.keySet, trust, facts.attestations, rec);
  return facts;
}
