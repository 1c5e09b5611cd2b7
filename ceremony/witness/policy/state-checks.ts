/**
 * Signing policy, part 3: the rules that depend on what the witness signed before (docs/witness.md,
 * "Signing policy", rules 1-3). They run inside the signing transaction (so no two requests can
 * both pass them for one epoch) and again, first, before signing (so a refused request costs no
 * signature). Order: a digest signed before is refused as such, whatever the epoch; then the
 * epoch must be exactly the next one (the registered root for the first); then the fleet key set
 * must chain to the previous epoch's digest.
 */
import type { FleetKeySet } from '../../bundle/index.js';
import { equalBytes, hexEncode } from '../../codec/index.js';
import { refuse } from '../codes.js';
import type { NamespaceConfig } from '../config/types.js';
import type { StatementRecord } from '../state/statements.js';

/** What the state says about a submission. */
export interface StateView {
  /** The namespace's highest signed epoch. */
  last: StatementRecord | undefined;
  /** A statement (any namespace) already signed over the submitted digest. */
  sameDigest: StatementRecord | undefined;
}

const hex = (b: Uint8Array | null) => (b === null ? 'null' : hexEncode(b));

/**
 * Checks a submission for namespace `ns` against the state.
 * @throws WitnessError `DIGEST_ALREADY_SIGNED`, `EPOCH_ALREADY_SIGNED`, `EPOCH_SKIPPED`,
 *   `ROOT_MISMATCH`, `PREVIOUS_DIGEST_MISMATCH` (all 409).
 */
export function checkAgainstState(
  ns: NamespaceConfig,
  ks: FleetKeySet,
  digest: Uint8Array,
  view: StateView,
): void {
  const { last, sameDigest } = view;
  if (sameDigest !== undefined) {
    refuse(
      'DIGEST_ALREADY_SIGNED',
      'submission.digest',
      `${hexEncode(digest)} was signed already, for namespace ${JSON.stringify(sameDigest.namespace)} epoch ${sameDigest.epoch}; a digest is signed once and never republished`,
    );
  }
  const epoch = ks.epoch;
  if (last === undefined) {
    if (ns.root === 'genesis') {
      if (epoch !== 1n)
        refuse(
          'EPOCH_SKIPPED',
          'submission.epoch',
          `got ${epoch}, but namespace ${ns.name} starts at genesis: want epoch 1`,
        );
      if (ks.previousDigest !== null) {
        refuse(
          'PREVIOUS_DIGEST_MISMATCH',
          'fleetKeySet.previousDigest',
          `got ${hex(ks.previousDigest)}, want null for the genesis epoch`,
        );
      }
      return;
    }
    if (epoch !== ns.root.epoch || !equalBytes(digest, ns.root.digest)) {
      refuse(
        'ROOT_MISMATCH',
        'submission',
        `got epoch ${epoch} digest ${hexEncode(digest)}, but the first epoch of namespace ${ns.name} is registered as ${ns.root.epoch}/${hexEncode(ns.root.digest)}`,
      );
    }
    return;
  }
  if (epoch <= last.epoch) {
    refuse(
      'EPOCH_ALREADY_SIGNED',
      'submission.epoch',
      `epoch ${epoch} of namespace ${ns.name} is signed already (last signed: ${last.epoch}); want ${last.epoch + 1n}`,
    );
  }
  if (epoch > last.epoch + 1n) {
    refuse(
      'EPOCH_SKIPPED',
      'submission.epoch',
      `got ${epoch}, but the last signed epoch of namespace ${ns.name} is ${last.epoch}: want ${last.epoch + 1n}`,
    );
  }
  if (ks.previousDigest === null || !equalBytes(ks.previousDigest, last.digest)) {
    refuse(
      'PREVIOUS_DIGEST_MISMATCH',
      'fleetKeySet.previousDigest',
      `got ${hex(ks.previousDigest)}, but epoch ${last.epoch} was signed over ${hexEncode(last.digest)}`,
    );
  }
}
