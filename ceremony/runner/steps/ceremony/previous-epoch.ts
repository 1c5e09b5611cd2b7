/**
 * The previous epoch of a rotation (`previous:` in the script): its evidence package is verified
 * against the ceremony's trust file, and its fleet key set's digest becomes this set's
 * `previousDigest`, checked against the digest the script pins, if it pins one.
 *
 * The check runs once, in `generate-keys` before the first key is generated, so a rotation refused
 * for its previous epoch leaves nothing in the HSMs. Its result is a `previous-epoch` note (reused
 * by later attempts of that step) and the step's `previousDigest` output, which `assemble-key-set`
 * puts in the fleet key set as recorded. Only a ceremony with no `generate-keys` step before the
 * assembly (or a transcript written before the check moved there) has the check done, and
 * recorded the same way, by `assemble-key-set` itself.
 */
import { decodeFleetKeySet, fleetKeySetDigest } from '../../../bundle/index.js';
import { hexDecode, hexEncode } from '../../../codec/index.js';
import { loadEvidencePackage } from '../../../evidence/index.js';
import { VerificationError } from '../../../errors.js';
import type { CeremonyScript } from '../../script/types.js';
import { EVIDENCE_FILES, verifyEvidence } from '../../../verify/index.js';
import { scriptPath } from '../../devices.js';
import type { StepContext } from '../../step-kind.js';
import { DEFAULT_TRUST_FILE, earlierNotes, note, readTrustFile, stringParam } from './params.js';

/** The `note` event that records the checked previous epoch. */
export const PREVIOUS_EPOCH_EVENT = 'previous-epoch';

/** The output of `generate-keys` that carries the checked previous digest (hex) to the assembly. */
export const PREVIOUS_DIGEST_OUTPUT = 'previousDigest';

/**
 * The trust file the previous package must verify under: the one the script's `assemble-key-set`
 * step names in `with.trust` (the step that chains the sets), else the default, relative to the
 * script. Whichever step runs the check uses the same file.
 */
export function previousTrustPath(script: CeremonyScript): string {
  const assemble = script.steps.find((s) => s.kind === 'assemble-key-set');
  return assemble === undefined ? DEFAULT_TRUST_FILE : stringParam(assemble, 'trust', DEFAULT_TRUST_FILE);
}

/**
 * Verifies the previous epoch and records the result as a `previous-epoch` note of this step, or
 * returns what an earlier attempt of this step recorded. Null when the script has no `previous`
 * (not a rotation). Returns the previous fleet key set's digest.
 * @throws VerificationError `CEREMONY_PREVIOUS_EVIDENCE_INVALID` (the package does not verify),
 *   `CEREMONY_PREVIOUS_DIGEST_MISMATCH` (not the pinned digest), `CEREMONY_PREVIOUS_FLEET_MISMATCH`
 *   (another fleet id or namespace), `CEREMONY_PREVIOUS_EPOCH_MISMATCH`; UsageError `CEREMONY_TRUST_MISSING`; MalformedError for an unreadable package. Nothing is
 *   recorded then.
 */
export async function checkPreviousEpoch(ctx: StepContext): Promise<Uint8Array | null> {
  if (ctx.script.previous === undefined) return null;
  const recorded = earlierNotes(ctx, PREVIOUS_EPOCH_EVENT)[0]?.['keySetSha256'];
  if (typeof recorded === 'string') return hexDecode(recorded, 'keySetSha256', 32);
  const checked = await verifyPreviousEpoch(ctx);
  note(ctx, PREVIOUS_EPOCH_EVENT, checked);
  ctx.say(
    `Previous epoch ${checked.epoch} verified (${checked.evidence}); its fleet key set is ${checked.keySetSha256}.`,
  );
  return hexDecode(checked.keySetSha256, 'keySetSha256', 32);
}

/**
 * For `assemble-key-set`: the previous digest the script's `generate-keys` step checked and
 * returned as its `previousDigest` output, or, when no such step ran before this one, the result
 * of {@link checkPreviousEpoch} run here. Null when the script has no `previous`.
 * @throws as {@link checkPreviousEpoch}.
 */
export async function recordedPreviousDigest(ctx: StepContext): Promise<Uint8Array | null> {
  if (ctx.script.previous === undefined) return null;
  const generate = ctx.script.steps.slice(0, ctx.index).find((s) => s.kind === 'generate-keys');
  const hex = generate === undefined ? undefined : ctx.output(generate.id, PREVIOUS_DIGEST_OUTPUT);
  if (typeof hex === 'string') return hexDecode(hex, `${generate!.id}.${PREVIOUS_DIGEST_OUTPUT}`, 32);
  return checkPreviousEpoch(ctx);
}

/** What the `previous-epoch` note records: public values only. */
interface CheckedPreviousEpoch {
  [field: string]: string | number | boolean;
  /** `previous.evidence` as the script writes it. */
  evidence: string;
  /** The trust file, as the script (or the default) names it. */
  trust: string;
  /** SHA-256 of the previous package's SHA256SUMS: the digest that names the package. */
  evidenceSha256: string;
  namespace: string;
  fleetId: string;
  epoch: number;
  keySetSha256: string;
  /** True when the script pins `previous.keySetSha256` (and it matched). */
  pinned: boolean;
}

async function verifyPreviousEpoch(ctx: StepContext): Promise<CheckedPreviousEpoch> {
  const prev = ctx.script.previous!;
  const dir = scriptPath(ctx.scriptDir, prev.evidence);
  const files = loadEvidencePackage(dir);
  const trustPath = previousTrustPath(ctx.script);
  const { trust } = readTrustFile(scriptPath(ctx.scriptDir, trustPath));
  const report = await verifyEvidence(files, trust);
  const setBytes = files.get(EVIDENCE_FILES.fleetKeySet);
  if (!report.ok || report.subject === undefined || setBytes === undefined) {
    const bad = report.checks.filter((c) => !c.ok && c.skipped !== true).map((c) => `${c.id}: ${c.reason}`);
    throw new VerificationError(
      'CEREMONY_PREVIOUS_EVIDENCE_INVALID',
      `the previous epoch's evidence does not verify: ${bad.slice(0, 3).join('; ')}`,
      { file: dir, field: 'previous.evidence' },
    );
  }
  const digest = hexEncode(fleetKeySetDigest(setBytes));
  if (prev.keySetSha256 !== undefined && prev.keySetSha256 !== digest)
    throw new VerificationError(
      'CEREMONY_PREVIOUS_DIGEST_MISMATCH',
      `the previous package's fleet key set is ${digest}, the script pins ${prev.keySetSha256}`,
      { field: 'previous.keySetSha256' },
    );
  // The fleet, namespace and epoch of the verified set itself (the report's subject says the same).
  const set = decodeFleetKeySet(setBytes);
  const { fleetId, namespace } = ctx.script.ceremony;
  if (set.fleetId !== fleetId || set.namespace !== namespace)
    throw new VerificationError(
      'CEREMONY_PREVIOUS_FLEET_MISMATCH',
      `the previous package is fleet ${set.fleetId} in namespace ${set.namespace}; this ceremony is fleet ${fleetId} in namespace ${namespace}`,
      { field: set.fleetId !== fleetId ? 'ceremony.fleetId' : 'ceremony.namespace' },
    );
  if (set.epoch + 1n !== BigInt(ctx.script.ceremony.epoch))
    throw new VerificationError(
      'CEREMONY_PREVIOUS_EPOCH_MISMATCH',
      `the previous package is epoch ${set.epoch}; this ceremony is epoch ${ctx.script.ceremony.epoch}`,
      { field: 'ceremony.epoch' },
    );
  return {
    evidence: prev.evidence,
    trust: trustPath,
    evidenceSha256: report.subject.evidenceSha256,
    namespace: set.namespace,
    fleetId: set.fleetId,
    epoch: Number(set.epoch),
    keySetSha256: digest,
    pinned: prev.keySetSha256 !== undefined,
  };
}
