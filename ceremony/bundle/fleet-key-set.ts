/**
 * The fleet key set on the wire (DESIGN §4; bytes in docs/formats.md, "Fleet key set"): encoding
 * to deterministic CBOR with small-integer keys, and its digest. Decoding is in
 * ./fleet-key-set-decode.ts; the JSON rendering and the diff for people are next to it.
 *
 * Portable: no `node:` imports.
 */
import { encodeCbor } from '../codec/index.js';
import type { CborInput } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { asUsage, codeOf, usage } from './fields.js';
import { decodeFleetKeySet } from './fleet-key-set-decode.js';
import {
  ALGORITHM_CODES,
  HSM_KEYS,
  KEY_KEYS,
  LEVEL_CODES,
  QUORUM_KEYS,
  ROLE_CODES,
  SET_KEYS,
  VALIDITY_KEYS,
} from './fleet-key-set-schema.js';
import type { FleetHsm, FleetKey, FleetKeySet } from './types.js';

const ROOT = 'fleetKeySet';

function array<T>(v: readonly T[] | undefined, path: string): readonly T[] {
  if (!Array.isArray(v)) usage('FIELD_TYPE', path, 'want an array');
  return v;
}

function object<T>(v: T | undefined | null, path: string): T {
  if (typeof v !== 'object' || v === null) usage('FIELD_TYPE', path, 'want an object');
  return v;
}

const byId =
  <T>(idOf: (x: T) => string) =>
  (a: T, b: T) =>
    idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0;

/** The CBOR value of a fleet key set: HSMs and keys sorted by id, keys naming their HSM by index. */
function toCbor(ks: FleetKeySet): CborInput {
  object(ks, ROOT);
  const hsms = [...array(ks.hsms, `${ROOT}.hsms`)].map((h, i) => object(h, `${ROOT}.hsms[${i}]`));
  hsms.sort(byId<FleetHsm>((h) => String(h.id)));
  const keys = [...array(ks.keys, `${ROOT}.keys`)].map((k, i) => object(k, `${ROOT}.keys[${i}]`));
  keys.sort(byId<FleetKey>((k) => String(k.keyId)));
  const hsmIndex = new Map(hsms.map((h, i) => [h.id, i]));
  const validity = object(ks.validity, `${ROOT}.validity`);
  const quorum = object(ks.quorum, `${ROOT}.quorum`);
  return new Map<number, CborInput>([
    [SET_KEYS.version, ks.version],
    [SET_KEYS.namespace, ks.namespace],
    [SET_KEYS.epoch, ks.epoch],
    [SET_KEYS.fleetId, ks.fleetId],
    [SET_KEYS.previousDigest, ks.previousDigest],
    [
      SET_KEYS.validity,
      new Map([
        [VALIDITY_KEYS.notBefore, validity.notBefore],
        [VALIDITY_KEYS.notAfter, validity.notAfter],
      ]),
    ],
    [
      SET_KEYS.keys,
      keys.map((k, i) => {
        const path = `${ROOT}.keys[${i}]`;
        const hsm = hsmIndex.get(k.hsmId);
        if (hsm === undefined) {
          usage(
            'FLEET_KEY_SET_KEY_HSM_UNKNOWN',
            `${path}.hsmId`,
            `${JSON.stringify(k.hsmId)} is not an HSM of the set`,
          );
        }
        return new Map<number, CborInput>([
          [KEY_KEYS.keyId, k.keyId],
          [KEY_KEYS.role, codeOf(ROLE_CODES, k.role, 'FLEET_KEY_SET_ROLE_UNKNOWN', `${path}.role`)],
          [
            KEY_KEYS.algorithm,
            codeOf(ALGORITHM_CODES, k.algorithm, 'FLEET_KEY_SET_ALGORITHM_UNKNOWN', `${path}.algorithm`),
          ],
          [KEY_KEYS.publicKey, k.publicKey],
          [KEY_KEYS.hsm, hsm],
          [KEY_KEYS.attestationDigest, k.attestationDigest],
        ]);
      }),
    ],
    [
      SET_KEYS.hsms,
      hsms.map(
        (h, i) =>
          new Map<number, CborInput>([
            [HSM_KEYS.id, h.id],
            [HSM_KEYS.site, h.site],
            [HSM_KEYS.vendor, h.vendor],
            [HSM_KEYS.model, h.model],
            [HSM_KEYS.serial, h.serial],
            [HSM_KEYS.firmware, h.firmware],
            [
              HSM_KEYS.attestationLevel,
              codeOf(
                LEVEL_CODES,
                h.attestationLevel,
                'FLEET_KEY_SET_LEVEL_UNKNOWN',
                `${ROOT}.hsms[${i}].attestationLevel`,
              ),
            ],
          ]),
      ),
    ],
    [
      SET_KEYS.quorum,
      new Map([
        [QUORUM_KEYS.threshold, quorum.threshold],
        [QUORUM_KEYS.total, quorum.total],
      ]),
    ],
    [SET_KEYS.transcriptDigest, ks.transcriptDigest],
  ]);
}

/**
 * Encodes a fleet key set as deterministic CBOR (the bytes the witness signs the digest of).
 * HSMs and keys are written sorted by id, whatever their order in `ks`; the result is checked
 * with every rule of {@link decodeFleetKeySet}, so only a valid set is ever encoded.
 *
 * @param ks - the set; `version` must be `FLEET_KEY_SET_VERSION`.
 * @returns the canonical bytes.
 * @throws UsageError with the codes and dotted paths of {@link decodeFleetKeySet} (e.g.
 *   `FLEET_KEY_SET_KEY_DUPLICATE` at `fleetKeySet.keys[1]`), `FIELD_TYPE` for a value of the wrong
 *   type, and the `CBOR_*` encoder codes (e.g. `CBOR_UNSAFE_INTEGER`).
 * @example const bytes = encodeFleetKeySet(ks); const digest = fleetKeySetDigest(bytes);
 */
export function encodeFleetKeySet(ks: FleetKeySet): Uint8Array {
  const bytes = encodeCbor(toCbor(ks));
  asUsage(() => decodeFleetKeySet(bytes));
  return bytes;
}

/**
 * The digest of an encoded fleet key set: SHA-256 of its bytes, what the witness statement
 * carries. Does not decode or validate the bytes.
 *
 * @param bytes - the encoded set, exactly as signed.
 * @returns 32 bytes.
 * @throws MalformedError `CRYPTO_BAD_TYPE` if `bytes` is not a Uint8Array.
 */
export function fleetKeySetDigest(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}
