/**
 * Decoding the members of a fleet key set: its HSMs and its keys (docs/formats.md, "Fleet key
 * set"), each field checked and named by its dotted path.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes, hexEncode } from '../codec/index.js';
import type { CborMap, CborValue } from '../codec/index.js';
import { canonicalSerial } from '../attest/policy.js';
import { checkPublicKey } from '../crypto/index.js';
import { asBytes, asMap, asText, asUint, checkKeys, malformed, nameOf, namesByCode } from './fields.js';
import {
  ALGORITHM_CODES,
  DIGEST_BYTES,
  HSM_KEYS,
  ID_PATTERN,
  KEY_KEYS,
  LABEL_PATTERN,
  LEVEL_CODES,
  PUBLIC_KEY_LENGTHS,
  ROLE_ALGORITHMS,
  ROLE_CODES,
} from './fleet-key-set-schema.js';
import type { FleetHsm, FleetKey } from './types.js';

const ROOT = 'fleetKeySet';
const ROLES = namesByCode(ROLE_CODES);
const ALGORITHMS = namesByCode(ALGORITHM_CODES);
const LEVELS = namesByCode(LEVEL_CODES);

/** One HSM of the set, at `path` (e.g. `fleetKeySet.hsms[0]`). */
export function readHsm(v: CborValue, path: string): FleetHsm {
  const m: CborMap = asMap(v, path);
  checkKeys(m, path, HSM_KEYS);
  return {
    id: asText(m.get(HSM_KEYS.id)!, `${path}.id`, ID_PATTERN),
    site: asText(m.get(HSM_KEYS.site)!, `${path}.site`, LABEL_PATTERN),
    vendor: asText(m.get(HSM_KEYS.vendor)!, `${path}.vendor`, LABEL_PATTERN),
    model: asText(m.get(HSM_KEYS.model)!, `${path}.model`, LABEL_PATTERN),
    serial: asText(m.get(HSM_KEYS.serial)!, `${path}.serial`, LABEL_PATTERN),
    firmware: asText(m.get(HSM_KEYS.firmware)!, `${path}.firmware`, LABEL_PATTERN),
    attestationLevel: nameOf(
      LEVELS,
      m.get(HSM_KEYS.attestationLevel)!,
      'FLEET_KEY_SET_LEVEL_UNKNOWN',
      `${path}.attestationLevel`,
    ),
  };
}

/** One key of the set, at `path`; its HSM index must name one of `hsms`. */
export function readKey(v: CborValue, path: string, hsms: readonly FleetHsm[]): FleetKey {
  const m = asMap(v, path);
  checkKeys(m, path, KEY_KEYS);
  const keyId = asText(m.get(KEY_KEYS.keyId)!, `${path}.keyId`, ID_PATTERN);
  const role = nameOf(ROLES, m.get(KEY_KEYS.role)!, 'FLEET_KEY_SET_ROLE_UNKNOWN', `${path}.role`);
  const algorithm = nameOf(
    ALGORITHMS,
    m.get(KEY_KEYS.algorithm)!,
    'FLEET_KEY_SET_ALGORITHM_UNKNOWN',
    `${path}.algorithm`,
  );
  if (!ROLE_ALGORITHMS[role].includes(algorithm)) {
    malformed(
      'FLEET_KEY_SET_ROLE_ALGORITHM_MISMATCH',
      `${path}.algorithm`,
      `got ${algorithm} for a ${role} key, want ${ROLE_ALGORITHMS[role].join(' or ')}`,
    );
  }
  const pkPath = `${path}.publicKey`;
  const publicKey = asBytes(m.get(KEY_KEYS.publicKey)!, pkPath, PUBLIC_KEY_LENGTHS[algorithm]);
  try {
    checkPublicKey(algorithm, publicKey, pkPath);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    malformed(
      'FLEET_KEY_SET_PUBLIC_KEY_INVALID',
      pkPath,
      `not a valid ${algorithm} public key (${why})`,
      cause,
    );
  }
  const hsmIndex = asUint(m.get(KEY_KEYS.hsm)!, `${path}.hsm`);
  const hsm = hsms[hsmIndex];
  if (hsm === undefined) {
    malformed(
      'FLEET_KEY_SET_KEY_HSM_UNKNOWN',
      `${path}.hsm`,
      `got HSM index ${hsmIndex}, want 0 … ${hsms.length - 1} (an HSM of the set)`,
    );
  }
  return {
    keyId,
    role,
    algorithm,
    publicKey,
    hsmId: hsm.id,
    attestationDigest: asBytes(m.get(KEY_KEYS.attestationDigest)!, `${path}.attestationDigest`, DIGEST_BYTES),
  };
}

/** No public key may appear twice in a set. */
export function checkDistinctPublicKeys(keys: readonly FleetKey[]): void {
  // Pairwise for small sets (no allocation), by hex beyond.
  const small = keys.length <= 32;
  const seen = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const pk = keys[i]!.publicKey;
    let j = -1;
    if (small) {
      for (let k = 0; k < i && j < 0; k++) if (equalBytes(keys[k]!.publicKey, pk)) j = k;
    } else {
      const hex = hexEncode(pk);
      j = seen.get(hex) ?? -1;
      seen.set(hex, i);
    }
    if (j >= 0) {
      malformed(
        'FLEET_KEY_SET_PUBLIC_KEY_DUPLICATE',
        `${ROOT}.keys[${i}].publicKey`,
        `the same public key as key ${JSON.stringify(keys[j]!.keyId)}`,
      );
    }
  }
}

/**
 * No two HSMs are one device: their serials differ, decimal serials compared as numbers
 * (`canonicalSerial`), so a set cannot list one HSM twice under two ids.
 * @throws MalformedError `FLEET_KEY_SET_SERIAL_DUPLICATE` naming the second HSM.
 */
export function checkDistinctSerials(hsms: readonly FleetHsm[]): void {
  const seen = new Map<string, string>();
  for (const [i, h] of hsms.entries()) {
    const serial = canonicalSerial(h.serial);
    const other = seen.get(serial);
    if (other !== undefined)
      malformed(
        'FLEET_KEY_SET_SERIAL_DUPLICATE',
        `${ROOT}.hsms[${i}].serial`,
        `serial ${JSON.stringify(h.serial)} is HSM ${JSON.stringify(other)}'s: one device listed twice`,
      );
    seen.set(serial, h.id);
  }
}
