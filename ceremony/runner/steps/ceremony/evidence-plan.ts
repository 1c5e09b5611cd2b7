/**
 * The evidence plan (`evidence-plan.json` in the working directory): what the evidence package of
 * the ceremony will hold, fixed before the seal. The package carries the sealed transcript, so it
 * can only be written after the final sign-offs; the plan names every other input by its SHA-256
 * and is recorded in the transcript, so the seal covers exactly what goes into the package, and
 * the writer after the seal refuses inputs that changed.
 */
import { fleetKeySetDigest } from '../../../bundle/index.js';
import { hexDecode, hexEncode, utf8Decode, utf8Encode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { MalformedError, VerificationError } from '../../../errors.js';
import type { CeremonyScript } from '../../script/types.js';
import { ARTIFACTS, artifactPath, requireArtifact } from './artifacts.js';
import { savedAttestations, savedChains } from './ceremony-artifacts.js';

/** Format tag of the plan. */
export const EVIDENCE_PLAN_FORMAT = 'fleet-ceremony/evidence-plan/v1';

/** The plan, as saved. */
export interface EvidencePlan {
  format: typeof EVIDENCE_PLAN_FORMAT;
  /** The package directory, as the script names it (relative to the script). */
  dir: string;
  /** The trust file it must verify under, relative to the script, and its digest. */
  trust: string;
  trustSha256: string;
  /** The attestation nonce (hex). */
  nonce: string;
  keySetSha256: string;
  /** SHA-256 (hex) of each input, by working-directory path. */
  inputs: Record<string, string>;
}

/** The working-directory files the package is made from. */
export function planInputs(workdir: string, script: CeremonyScript): Record<string, string> {
  const rels = [
    ARTIFACTS.bundle,
    ARTIFACTS.fleetKeySet,
    ARTIFACTS.tlogProof,
    ...script.keys.map((k) => ARTIFACTS.attestation(k.label)),
    ...[...savedChains(workdir, script).keys()].map((id) => ARTIFACTS.identityChain(id)),
  ];
  savedAttestations(workdir, script); // every attestation must be there
  return Object.fromEntries(
    rels.map((rel) => [rel, hexEncode(sha256(requireArtifact(workdir, rel, 'an earlier')))]),
  );
}

/** The plan of a ceremony whose inputs are in `workdir`. */
export function buildPlan(
  workdir: string,
  script: CeremonyScript,
  o: { trust: string; trustText: string; nonce: string },
): EvidencePlan {
  return {
    format: EVIDENCE_PLAN_FORMAT,
    dir: script.outputs.evidence,
    trust: o.trust,
    trustSha256: hexEncode(sha256(utf8Encode(o.trustText))),
    nonce: o.nonce,
    keySetSha256: hexEncode(
      fleetKeySetDigest(requireArtifact(workdir, ARTIFACTS.fleetKeySet, 'assemble-key-set')),
    ),
    inputs: planInputs(workdir, script),
  };
}

/** The plan's bytes: JSON with a fixed member order, two-space indented, newline-terminated. */
export function encodePlan(plan: EvidencePlan): Uint8Array {
  return utf8Encode(JSON.stringify(plan, null, 2) + '\n');
}

/**
 * Reads the saved plan.
 * @throws MalformedError `CEREMONY_PLAN_INVALID`.
 */
export function readPlan(workdir: string): EvidencePlan {
  const file = artifactPath(workdir, ARTIFACTS.evidencePlan);
  const bytes = requireArtifact(workdir, ARTIFACTS.evidencePlan, 'build-evidence');
  let plan: EvidencePlan;
  try {
    plan = JSON.parse(utf8Decode(bytes)) as EvidencePlan;
  } catch (e) {
    throw new MalformedError('CEREMONY_PLAN_INVALID', `not JSON (${(e as Error).message})`, { file });
  }
  if (
    plan.format !== EVIDENCE_PLAN_FORMAT ||
    typeof plan.dir !== 'string' ||
    typeof plan.trust !== 'string' ||
    typeof plan.inputs !== 'object'
  )
    throw new MalformedError('CEREMONY_PLAN_INVALID', `want a ${EVIDENCE_PLAN_FORMAT} plan`, { file });
  hexDecode(plan.nonce, 'nonce', 32);
  return plan;
}

/**
 * Every planned input must still have its planned digest.
 * @throws VerificationError `CEREMONY_EVIDENCE_INPUT_CHANGED` naming the file.
 */
export function checkPlanInputs(workdir: string, plan: EvidencePlan): void {
  for (const [rel, want] of Object.entries(plan.inputs)) {
    const got = hexEncode(sha256(requireArtifact(workdir, rel, 'an earlier')));
    if (got !== want)
      throw new VerificationError(
        'CEREMONY_EVIDENCE_INPUT_CHANGED',
        `changed since the evidence plan was recorded (${got}, planned ${want})`,
        {
          file: artifactPath(workdir, rel),
        },
      );
  }
}
