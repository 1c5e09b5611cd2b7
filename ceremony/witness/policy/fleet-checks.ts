/**
 * Signing policy, part 1: the checks on a submission that do not depend on the witness's state
 * (docs/witness.md, "Signing policy", rules 4-7). They run before the signing transaction; each
 * failure is a {@link WitnessError} with its own code and the field at fault.
 */
import { decodeFleetKeySet, fleetKeySetDigest } from '../../bundle/index.js';
import type { FleetKeySet } from '../../bundle/index.js';
import { equalBytes, hexEncode } from '../../codec/index.js';
import { isCeremonyError } from '../../errors.js';
import { refuse } from '../codes.js';
import type { WitnessLimits } from '../config/types.js';
import type { Submission } from './submission.js';

const DAY_MS = 86_400_000;

/**
 * Decodes the submitted fleet key set and checks it against the request: digest, namespace, epoch.
 * @throws WitnessError `DIGEST_MISMATCH`, `FLEET_KEY_SET_MALFORMED`,
 *   `FLEET_KEY_SET_NAMESPACE_MISMATCH`, `FLEET_KEY_SET_EPOCH_MISMATCH`.
 */
export function checkFleetKeySet(namespace: string, s: Submission): FleetKeySet {
  const actual = fleetKeySetDigest(s.fleetKeySet);
  if (!equalBytes(actual, s.digest)) {
    refuse(
      'DIGEST_MISMATCH',
      'submission.digest',
      `got ${hexEncode(s.digest)}, but SHA-256 of fleetKeySet is ${hexEncode(actual)}`,
    );
  }
  let ks: FleetKeySet;
  try {
    ks = decodeFleetKeySet(s.fleetKeySet);
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    const field = e.field === undefined ? 'fleetKeySet' : `fleetKeySet: ${e.field}`;
    refuse('FLEET_KEY_SET_MALFORMED', field, `${e.message} [${e.code}]`, { cause: e });
  }
  if (ks.namespace !== namespace) {
    refuse(
      'FLEET_KEY_SET_NAMESPACE_MISMATCH',
      'fleetKeySet.namespace',
      `got ${JSON.stringify(ks.namespace)}, but it was submitted for namespace ${JSON.stringify(namespace)}`,
    );
  }
  if (ks.epoch !== s.epoch) {
    refuse(
      'FLEET_KEY_SET_EPOCH_MISMATCH',
      'fleetKeySet.epoch',
      `got ${ks.epoch}, but it was submitted for epoch ${s.epoch}`,
    );
  }
  return ks;
}

/**
 * The validity window must make sense now: it starts before it ends, has not ended, and is at most
 * `limits.maxValidityDays` long.
 * @throws WitnessError `VALIDITY_INVALID`.
 */
export function checkValidity(ks: FleetKeySet, now: number, limits: WitnessLimits): void {
  const { notBefore, notAfter } = ks.validity;
  if (notBefore >= notAfter) {
    refuse(
      'VALIDITY_INVALID',
      'fleetKeySet.validity',
      `notBefore ${iso(notBefore)} is not before notAfter ${iso(notAfter)}`,
    );
  }
  if (notAfter <= now) {
    refuse(
      'VALIDITY_INVALID',
      'fleetKeySet.validity.notAfter',
      `${iso(notAfter)} has passed (now ${iso(now)})`,
    );
  }
  if (notAfter - notBefore > limits.maxValidityDays * DAY_MS) {
    refuse(
      'VALIDITY_INVALID',
      'fleetKeySet.validity',
      `the window is ${Math.ceil((notAfter - notBefore) / DAY_MS)} days, want at most ${limits.maxValidityDays}`,
    );
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
