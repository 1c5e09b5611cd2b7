/**
 * Step 6 of `verifyValidationBundle` (docs/bundle-verification.md): the statement is in the
 * witness log. c2sp.org/tlog-proof, "Verifying a tlog proof": the checkpoint signed by the pinned
 * log key, the cosigner policy, then the RFC 9162 inclusion proof of the witness log entry.
 *
 * Portable: no `node:` imports.
 */
import { isCeremonyError, MalformedError } from '../errors.js';
import {
  checkInclusion,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseNote,
  requireCosignatures,
} from '../tlog/index.js';
import type { OpenedCheckpoint } from '../tlog/index.js';
import { witnessLogLeafHash } from './log-leaf.js';
import type { Trust } from './trust.js';
import { checkpointMalformed } from './validation-bundle.js';
import type { ParsedBundle } from './validation-bundle.js';
import type { BundleErrorCode } from './validation-bundle-schema.js';
import { refuse } from './verify-steps.js';

const CHECKPOINT_CODES: Record<string, BundleErrorCode> = {
  CHECKPOINT_ORIGIN_MISMATCH: 'BUNDLE_CHECKPOINT_ORIGIN_MISMATCH',
  CHECKPOINT_SIGNATURE_INVALID: 'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
  CHECKPOINT_NO_VERIFIED_SIGNATURE: 'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
  CHECKPOINT_LOG_SIGNATURE_MISSING: 'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
  NOTE_SIGNATURE_INVALID: 'BUNDLE_COSIGNATURE_INVALID',
  NOTE_NO_VERIFIED_SIGNATURE: 'BUNDLE_COSIGNER_QUORUM',
  COSIGNATURE_QUORUM_NOT_MET: 'BUNDLE_COSIGNER_QUORUM',
  PROOF_INDEX_OUT_OF_RANGE: 'BUNDLE_LOG_INDEX_OUT_OF_RANGE',
};

/** Runs a tlog check; its verification errors become the bundle's codes (or `fallback`). */
function logStep<T>(fallback: BundleErrorCode, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    const code = CHECKPOINT_CODES[e.code] ?? fallback;
    return refuse(code, 'bundle.proof.checkpoint', `${e.message} (${e.code})`, e);
  }
}

/**
 * The statement must be in the witness log: the checkpoint signed by the pinned log key (and by
 * `quorum` pinned cosigners), and the inclusion proof of the entry must lead to its root.
 */
export function checkLogProof(
  p: ParsedBundle,
  trust: Trust,
): { opened: OpenedCheckpoint; cosigners: string[] } {
  const note = p.bundle.proof.checkpoint;
  let opened: OpenedCheckpoint;
  try {
    opened = openCheckpoint(note, [trust.log.verifier], { origin: trust.log.origin });
  } catch (e) {
    if (e instanceof MalformedError) throw checkpointMalformed(e);
    let origin: string;
    try {
      origin = parseCheckpoint(parseNote(note).text).origin;
    } catch (m) {
      throw checkpointMalformed(m);
    }
    if (origin !== trust.log.origin) {
      refuse(
        'BUNDLE_CHECKPOINT_ORIGIN_MISMATCH',
        'bundle.proof.checkpoint.origin',
        `got ${JSON.stringify(origin.slice(0, 128))}, want the pinned log ${JSON.stringify(trust.log.origin)}`,
        e,
      );
    }
    opened = logStep('BUNDLE_CHECKPOINT_SIGNATURE_INVALID', () => {
      throw e;
    });
  }
  let cosigners: string[] = [];
  const { verifiers, quorum } = trust.cosigners;
  if (quorum > 0) {
    cosigners = logStep('BUNDLE_COSIGNER_QUORUM', () => {
      const names = verifiers.map((v) => v.name);
      return requireCosignatures(openNote(note, verifiers), names, quorum);
    });
  }
  const { index, hashes } = p.bundle.proof;
  const { size, rootHash } = opened.checkpoint;
  if (index >= size)
    refuse(
      'BUNDLE_LOG_INDEX_OUT_OF_RANGE',
      'bundle.proof.index',
      `got ${index}, want less than the tree size ${size}`,
    );
  const leafHash = witnessLogLeafHash({
    statement: p.bundle.statement,
    signature: p.bundle.witnessSignature,
    keyId: p.bundle.witnessKeyId,
  });
  logStep('BUNDLE_INCLUSION_INVALID', () => checkInclusion(leafHash, index, size, hashes, rootHash));
  return { opened, cosigners };
}
