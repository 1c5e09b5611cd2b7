/**
 * What a fleet server checks before it serves (docs/session-protocol.md, "fleet serve"): the
 * validation bundle decodes, its fleet key set lists the HSM key `label` as a `session` key, and
 * the public key and algorithm in the set are those of the key in the HSM, which may derive.
 * A server whose HSM key is not the one the bundle publishes could only ever fail handshakes.
 *
 * The server does not verify the bundle against trust anchors: clients do. It only reads it.
 */
import { decodeFleetKeySet, decodeValidationBundle, fleetKeySetDigest } from '../bundle/index.js';
import type { FleetKeySet } from '../bundle/index.js';
import { equalBytes } from '../codec/index.js';
import { isCeremonyError } from '../errors.js';
import type { Hsm } from '../hsm/index.js';
import type { SessionAlgorithm } from '../bundle/session/index.js';
import { setupError } from './errors.js';

/** The fleet session key a server answers handshakes with. */
export interface ServedKey {
  /** The key id in the fleet key set, equal to the HSM label. */
  keyId: string;
  algorithm: SessionAlgorithm;
  publicKey: Uint8Array;
  /** The fleet key set of the bundle served. */
  fleetKeySet: FleetKeySet;
  /** SHA-256 of the fleet key set bytes. */
  digest: Uint8Array;
}

function decodeBundle(bundle: Uint8Array): { fleetKeySet: FleetKeySet; digest: Uint8Array } {
  try {
    const b = decodeValidationBundle(bundle);
    return { fleetKeySet: decodeFleetKeySet(b.fleetKeySet), digest: fleetKeySetDigest(b.fleetKeySet) };
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    return setupError(
      'FLEET_BUNDLE_INVALID',
      'bundle',
      `not a validation bundle: ${e.message} (${e.code})`,
      e,
    );
  }
}

/**
 * Finds the HSM key `label` in the bundle and checks that they match.
 *
 * @throws UsageError `FLEET_BUNDLE_INVALID`, `FLEET_KEY_NOT_FOUND`, `FLEET_KEY_NOT_DERIVE`,
 *   `FLEET_KEY_NOT_IN_BUNDLE`, `FLEET_KEY_NOT_SESSION`, `FLEET_KEY_MISMATCH`.
 */
export async function resolveServedKey(hsm: Hsm, bundle: Uint8Array, label: string): Promise<ServedKey> {
  const { fleetKeySet, digest } = decodeBundle(bundle);
  const inHsm = await hsm.findKey(label);
  if (inHsm === undefined)
    setupError(
      'FLEET_KEY_NOT_FOUND',
      'sessionKeyLabel',
      `the HSM has no key labelled ${JSON.stringify(label)}`,
    );
  if (!inHsm.usages.includes('derive')) {
    setupError(
      'FLEET_KEY_NOT_DERIVE',
      'sessionKeyLabel',
      `HSM key ${JSON.stringify(label)} may not derive (usages: ${inHsm.usages.join(', ')})`,
    );
  }
  const inSet = fleetKeySet.keys.find((k) => k.keyId === label);
  if (inSet === undefined) {
    setupError(
      'FLEET_KEY_NOT_IN_BUNDLE',
      'sessionKeyLabel',
      `the bundle's fleet key set (${fleetKeySet.namespace} epoch ${fleetKeySet.epoch}) has no key ${JSON.stringify(label)}`,
    );
  }
  if (inSet.role !== 'session')
    setupError(
      'FLEET_KEY_NOT_SESSION',
      'sessionKeyLabel',
      `${JSON.stringify(label)} is a ${inSet.role} key in the bundle`,
    );
  if (inSet.algorithm !== inHsm.algorithm || !equalBytes(inSet.publicKey, inHsm.publicKey)) {
    setupError(
      'FLEET_KEY_MISMATCH',
      'sessionKeyLabel',
      `the bundle lists ${JSON.stringify(label)} as ${inSet.algorithm} with another public key than the HSM's ${inHsm.algorithm} key`,
    );
  }
  const algorithm = inSet.algorithm as SessionAlgorithm; // a session key: x25519 or p256 (fleet key set rule)
  return { keyId: label, algorithm, publicKey: inSet.publicKey, fleetKeySet, digest };
}
