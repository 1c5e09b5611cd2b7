/**
 * The previous epoch of a rotation (`previous:` in the script): its evidence package is verified
 * against the ceremony's trust file, and its fleet key set's digest becomes this set's
 * `previousDigest`, checked against the digest the script pins, if it pins one.
 */
import { fleetKeySetDigest } from '../../../bundle/index.js';
import { hexEncode } from '../../../codec/index.js';
import { loadEvidencePackage } from '../../../evidence/index.js';
import { VerificationError } from '../../../errors.js';
import { EVIDENCE_FILES, verifyEvidence } from '../../../verify/index.js';
import { scriptPath } from '../../devices.js';
import type { StepContext } from '../../step-kind.js';
import { readTrust } from './params.js';

/**
 * The previous fleet key set's digest, or null when the script has no `previous` (epoch 1).
 * @throws VerificationError `CEREMONY_PREVIOUS_EVIDENCE_INVALID` (the package does not verify),
 *   `CEREMONY_PREVIOUS_DIGEST_MISMATCH` (not the pinned digest), `CEREMONY_PREVIOUS_EPOCH_MISMATCH`.
 */
export async function previousDigest(ctx: StepContext): Promise<Uint8Array | null> {
  const prev = ctx.script.previous;
  if (prev === undefined) return null;
  const dir = scriptPath(ctx.scriptDir, prev.evidence);
  const files = loadEvidencePackage(dir);
  const { trust } = readTrust(ctx);
  const report = await verifyEvidence(files, trust);
  if (!report.ok) {
    const bad = report.checks.filter((c) => !c.ok && c.skipped !== true).map((c) => `${c.id}: ${c.reason}`);
    throw new VerificationError(
      'CEREMONY_PREVIOUS_EVIDENCE_INVALID',
      `the previous epoch's evidence does not verify: ${bad.slice(0, 3).join('; ')}`,
      { file: dir, field: 'previous.evidence' },
    );
  }
  const digest = fleetKeySetDigest(files.get(EVIDENCE_FILES.fleetKeySet)!);
  if (prev.keySetSha256 !== undefined && prev.keySetSha256 !== hexEncode(digest))
    throw new VerificationError(
      'CEREMONY_PREVIOUS_DIGEST_MISMATCH',
      `the previous package's fleet key set is ${hexEncode(digest)}, the script pins ${prev.keySetSha256}`,
      { field: 'previous.keySetSha256' },
    );
  const epoch = report.subject?.epoch;
  if (epoch !== undefined && BigInt(epoch) + 1n !== BigInt(ctx.script.ceremony.epoch))
    throw new VerificationError(
      'CEREMONY_PREVIOUS_EPOCH_MISMATCH',
      `the previous package is epoch ${String(epoch)}; this ceremony is epoch ${ctx.script.ceremony.epoch}`,
      { field: 'ceremony.epoch' },
    );
  return digest;
}
