/**
 * Strict decoding of the fleet key set (docs/formats.md, "Fleet key set"): canonical CBOR, every
 * field checked, every failure named by its dotted path (`fleetKeySet.keys[2].publicKey`).
 *
 * Portable: no `node:` imports.
 */
import { decodeCbor } from '../codec/index.js';
import type { CborValue } from '../codec/index.js';
import { asArray, asBytes, asMap, asText, asUint, asUint64, checkKeys, malformed } from './fields.js';
import {
  DIGEST_BYTES,
  ID_PATTERN,
  MAX_FLEET_HSMS,
  MAX_FLEET_KEY_SET_BYTES,
  MAX_FLEET_KEYS,
  MAX_TIME_MS,
  NAMESPACE_PATTERN,
  QUORUM_KEYS,
  SET_KEYS,
  VALIDITY_KEYS,
} from './fleet-key-set-schema.js';
import { FLEET_KEY_SET_VERSION } from './types.js';
import type { FleetHsm, FleetKey, FleetKeySet } from './types.js';
import { checkDistinctPublicKeys, checkDistinctSerials, readHsm, readKey } from './fleet-key-set-members.js';

const ROOT = 'fleetKeySet';

/**
 * Decodes and validates an encoded fleet key set.
 *
 * Checks, in order: canonical CBOR (at most {@link MAX_FLEET_KEY_SET_BYTES}); version
 * {@link FLEET_KEY_SET_VERSION}; no unknown and no missing field; namespace, fleet, key and HSM id
 * syntax; epoch 1 … 2^64 − 1; `previousDigest` 32 bytes, or null (required at epoch 1, allowed
 * later as a chain start); `notBefore < notAfter`; HSMs and keys non-empty, bounded, sorted by id
 * without duplicates; each key's role/algorithm pair allowed, public key of the algorithm's length
 * and valid, not repeated, and its HSM in the set; `1 ≤ threshold ≤ total = number of HSMs`.
 *
 * @param bytes - the encoded set, as signed.
 * @throws MalformedError with `field` set to the dotted path: the `CBOR_*` codes of `decodeCbor`;
 *   `FIELD_TYPE`, `FIELD_UNKNOWN`, `FIELD_MISSING`, `FIELD_LENGTH`, `FIELD_RANGE`, `FIELD_PATTERN`;
 *   `FLEET_KEY_SET_VERSION_UNSUPPORTED`, `FLEET_KEY_SET_PREVIOUS_DIGEST_INVALID`,
 *   `FLEET_KEY_SET_VALIDITY_INVALID`, `FLEET_KEY_SET_ROLE_UNKNOWN`,
 *   `FLEET_KEY_SET_ALGORITHM_UNKNOWN`, `FLEET_KEY_SET_ROLE_ALGORITHM_MISMATCH`,
 *   `FLEET_KEY_SET_PUBLIC_KEY_INVALID`, `FLEET_KEY_SET_PUBLIC_KEY_DUPLICATE`,
 *   `FLEET_KEY_SET_KEY_HSM_UNKNOWN`, `FLEET_KEY_SET_KEY_DUPLICATE`, `FLEET_KEY_SET_KEYS_UNSORTED`,
 *   `FLEET_KEY_SET_HSM_DUPLICATE`, `FLEET_KEY_SET_HSMS_UNSORTED`, `FLEET_KEY_SET_SERIAL_DUPLICATE`, `FLEET_KEY_SET_LEVEL_UNKNOWN`,
 *   `FLEET_KEY_SET_QUORUM_INVALID`.
 */
export function decodeFleetKeySet(bytes: Uint8Array): FleetKeySet {
  if (!(bytes instanceof Uint8Array)) malformed('FIELD_TYPE', ROOT, 'want a Uint8Array');
  const root = asMap(
    decodeCbor(bytes, { maxBytes: MAX_FLEET_KEY_SET_BYTES, maxDepth: 3, field: ROOT }),
    ROOT,
  );
  const versionValue = root.get(SET_KEYS.version);
  if (versionValue !== undefined) {
    const version = asUint(versionValue, `${ROOT}.version`);
    if (version !== FLEET_KEY_SET_VERSION) {
      malformed(
        'FLEET_KEY_SET_VERSION_UNSUPPORTED',
        `${ROOT}.version`,
        `got ${version}, want ${FLEET_KEY_SET_VERSION}`,
      );
    }
  }
  checkKeys(root, ROOT, SET_KEYS);
  const namespace = asText(root.get(SET_KEYS.namespace)!, `${ROOT}.namespace`, NAMESPACE_PATTERN);
  const epoch = asUint64(root.get(SET_KEYS.epoch)!, `${ROOT}.epoch`, 1n);
  const fleetId = asText(root.get(SET_KEYS.fleetId)!, `${ROOT}.fleetId`, ID_PATTERN);
  const prev = root.get(SET_KEYS.previousDigest)!;
  const previousDigest = prev === null ? null : asBytes(prev, `${ROOT}.previousDigest`, DIGEST_BYTES);
  if (epoch === 1n && previousDigest !== null) {
    malformed(
      'FLEET_KEY_SET_PREVIOUS_DIGEST_INVALID',
      `${ROOT}.previousDigest`,
      'epoch 1 has no previous epoch: want null',
    );
  }
  const validity = readValidity(root.get(SET_KEYS.validity)!, `${ROOT}.validity`);
  const hsmItems = asArray(root.get(SET_KEYS.hsms)!, `${ROOT}.hsms`, 1, MAX_FLEET_HSMS);
  const hsms: FleetHsm[] = [];
  for (let i = 0; i < hsmItems.length; i++) hsms.push(readHsm(hsmItems[i]!, `${ROOT}.hsms[${i}]`));
  checkOrder(
    hsms.map((h) => h.id),
    `${ROOT}.hsms`,
    'HSM',
  );
  checkDistinctSerials(hsms);
  const keyItems = asArray(root.get(SET_KEYS.keys)!, `${ROOT}.keys`, 1, MAX_FLEET_KEYS);
  const keys: FleetKey[] = [];
  for (let i = 0; i < keyItems.length; i++) keys.push(readKey(keyItems[i]!, `${ROOT}.keys[${i}]`, hsms));
  checkOrder(
    keys.map((k) => k.keyId),
    `${ROOT}.keys`,
    'KEY',
  );
  checkDistinctPublicKeys(keys);
  const quorum = readQuorum(root.get(SET_KEYS.quorum)!, `${ROOT}.quorum`, hsms.length);
  const transcriptDigest = asBytes(
    root.get(SET_KEYS.transcriptDigest)!,
    `${ROOT}.transcriptDigest`,
    DIGEST_BYTES,
  );
  return {
    version: FLEET_KEY_SET_VERSION,
    namespace,
    epoch,
    fleetId,
    previousDigest,
    validity,
    keys,
    hsms,
    quorum,
    transcriptDigest,
  };
}

function readValidity(v: CborValue, path: string): FleetKeySet['validity'] {
  const m = asMap(v, path);
  checkKeys(m, path, VALIDITY_KEYS);
  const notBefore = asUint(m.get(VALIDITY_KEYS.notBefore)!, `${path}.notBefore`, 0, MAX_TIME_MS);
  const notAfter = asUint(m.get(VALIDITY_KEYS.notAfter)!, `${path}.notAfter`, 0, MAX_TIME_MS);
  if (notBefore >= notAfter) {
    malformed(
      'FLEET_KEY_SET_VALIDITY_INVALID',
      path,
      `notBefore ${notBefore} is not before notAfter ${notAfter}`,
    );
  }
  return { notBefore, notAfter };
}

/** Ids strictly ascending (so without duplicates). */
function checkOrder(ids: readonly string[], path: string, what: 'KEY' | 'HSM'): void {
  for (let i = 1; i < ids.length; i++) {
    const a = ids[i - 1]!;
    const b = ids[i]!;
    if (a === b)
      malformed(`FLEET_KEY_SET_${what}_DUPLICATE`, `${path}[${i}]`, `id ${JSON.stringify(b)} repeated`);
    if (a > b) {
      malformed(
        `FLEET_KEY_SET_${what}S_UNSORTED`,
        `${path}[${i}]`,
        `id ${JSON.stringify(b)} after ${JSON.stringify(a)}: want ascending order of ids`,
      );
    }
  }
}

function readQuorum(v: CborValue, path: string, hsmCount: number): FleetKeySet['quorum'] {
  const m = asMap(v, path);
  checkKeys(m, path, QUORUM_KEYS);
  const threshold = asUint(m.get(QUORUM_KEYS.threshold)!, `${path}.threshold`);
  const total = asUint(m.get(QUORUM_KEYS.total)!, `${path}.total`);
  if (total !== hsmCount) {
    malformed(
      'FLEET_KEY_SET_QUORUM_INVALID',
      `${path}.total`,
      `got ${total}, want ${hsmCount} (the number of HSMs)`,
    );
  }
  if (threshold < 1 || threshold > total) {
    malformed('FLEET_KEY_SET_QUORUM_INVALID', `${path}.threshold`, `got ${threshold}, want 1 … ${total}`);
  }
  return { threshold, total };
}
