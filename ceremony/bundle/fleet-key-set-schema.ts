/**
 * The wire schema of the fleet key set (docs/formats.md, "Fleet key set"): the integer key of
 * every field, the integer codes of roles, algorithms and attestation levels, the syntax of
 * identifiers and labels, and the bounds. Small integers keep validation bundles small.
 *
 * Portable: no `node:` imports.
 */
import type { AttestationLevelName, FleetKeyAlgorithm, FleetKeyRole } from './types.js';

/** Top-level map keys. */
export const SET_KEYS = {
  version: 0,
  namespace: 1,
  epoch: 2,
  fleetId: 3,
  previousDigest: 4,
  validity: 5,
  keys: 6,
  hsms: 7,
  quorum: 8,
  transcriptDigest: 9,
} as const;

/** Keys of the `validity` map. */
export const VALIDITY_KEYS = { notBefore: 0, notAfter: 1 } as const;

/** Keys of each `keys[i]` map. `hsm` is the index of the key's HSM in `hsms`. */
export const KEY_KEYS = {
  keyId: 0,
  role: 1,
  algorithm: 2,
  publicKey: 3,
  hsm: 4,
  attestationDigest: 5,
} as const;

/** Keys of each `hsms[i]` map. */
export const HSM_KEYS = {
  id: 0,
  site: 1,
  vendor: 2,
  model: 3,
  serial: 4,
  firmware: 5,
  attestationLevel: 6,
} as const;

/** Keys of the `quorum` map. */
export const QUORUM_KEYS = { threshold: 0, total: 1 } as const;

/** Role codes. */
export const ROLE_CODES: Readonly<Record<FleetKeyRole, number>> = { session: 1, signing: 2 };

/** Algorithm codes. */
export const ALGORITHM_CODES: Readonly<Record<FleetKeyAlgorithm, number>> = {
  ed25519: 1,
  p256: 2,
  x25519: 3,
};

/** Attestation level codes. */
export const LEVEL_CODES: Readonly<Record<AttestationLevelName, number>> = {
  'hardware-vendor': 1,
  'pkcs11-attributes': 2,
  emulated: 3,
};

/** The algorithms each role allows. */
export const ROLE_ALGORITHMS: Readonly<Record<FleetKeyRole, readonly FleetKeyAlgorithm[]>> = {
  session: ['x25519', 'p256'],
  signing: ['ed25519', 'p256'],
};

/** Raw public key length per algorithm (P-256: SEC 1 uncompressed only). */
export const PUBLIC_KEY_LENGTHS: Readonly<Record<FleetKeyAlgorithm, number>> = {
  ed25519: 32,
  p256: 65,
  x25519: 32,
};

/** Namespace: 1–128 ASCII bytes, a letter or digit first, then letters, digits and `._~:/@+-`. */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:/@+-]{0,127}$/;
/** Fleet, key and HSM ids: 1–64 ASCII bytes, a letter or digit first, then letters, digits and `._:-`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** HSM descriptions (site, vendor, model, serial, firmware): 1–128 printable ASCII, no edge spaces. */
export const LABEL_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/;

/** Largest encoded fleet key set: 1 MiB. */
export const MAX_FLEET_KEY_SET_BYTES = 1 << 20;
/** Most keys in a set. */
export const MAX_FLEET_KEYS = 4096;
/** Most HSMs in a set. */
export const MAX_FLEET_HSMS = 1024;
/** Latest time a fleet key set may name: 9999-12-31T23:59:59.999Z, in ms (ISO 8601 has 4-digit years). */
export const MAX_TIME_MS = 253_402_300_799_999;
/** Size of every digest in the set (SHA-256). */
export const DIGEST_BYTES = 32;
