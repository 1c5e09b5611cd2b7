/**
 * A k-of-n cosigner policy over an opened checkpoint, c2sp.org/tlog-proof ("Verifying a tlog
 * proof", step 3: "require k valid cosignatures out of n known witnesses").
 *
 * Portable: no `node:` imports.
 */
import { UsageError, VerificationError } from '../errors.js';
import type { OpenedNote } from './note-open.js';

/**
 * Requires verified signatures from at least `k` distinct names among `cosigners`.
 *
 * Only signatures in `opened.signatures` count, i.e. those that verified under the verifiers given
 * to `openNote`; include every cosigner's verifier there.
 *
 * @param opened - the result of `openNote` or `openCheckpoint`.
 * @param cosigners - the n cosigner names; distinct.
 * @param k - how many must have signed, `0 ≤ k ≤ n`.
 * @returns the names (from `cosigners`) that signed, in `cosigners` order.
 * @throws UsageError `COSIGNATURE_POLICY_INVALID` for duplicate names or k out of range.
 * @throws VerificationError `COSIGNATURE_QUORUM_NOT_MET` when fewer than k signed.
 */
export function requireCosignatures(
  opened: Pick<OpenedNote, 'signatures'>,
  cosigners: readonly string[],
  k: number,
): string[] {
  const names = new Set(cosigners);
  if (names.size !== cosigners.length) {
    throw new UsageError('COSIGNATURE_POLICY_INVALID', 'cosigners: names must be distinct', {
      field: 'cosigners',
    });
  }
  if (!Number.isSafeInteger(k) || k < 0 || k > cosigners.length) {
    throw new UsageError('COSIGNATURE_POLICY_INVALID', `k: got ${k}, want 0..${cosigners.length}`, {
      field: 'k',
    });
  }
  const signed = new Set(opened.signatures.map((s) => s.name));
  const present = cosigners.filter((n) => signed.has(n));
  if (present.length < k) {
    const missing = cosigners.filter((n) => !signed.has(n));
    throw new VerificationError(
      'COSIGNATURE_QUORUM_NOT_MET',
      `cosignatures: got ${present.length} of ${cosigners.length} cosigners, want at least ${k} (missing: ${missing.join(', ')})`,
      { field: 'note.signatures' },
    );
  }
  return present;
}
