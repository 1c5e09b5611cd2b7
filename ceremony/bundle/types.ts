/**
 * The fleet key set: the artifact the witness signs (DESIGN §4). Its digest is SHA-256 of its
 * deterministic CBOR encoding (docs/formats.md, "Fleet key set"); the JSON rendering is for people and diffs only.
 *
 * Times are milliseconds since the Unix epoch (UTC), as in the witness statement.
 * Portable: no `node:` imports.
 */

/** Format version of the fleet key set encoding this code writes. */
export const FLEET_KEY_SET_VERSION = 1;

export type FleetKeyAlgorithm = 'ed25519' | 'p256' | 'x25519';

/** What a fleet key is for. */
export type FleetKeyRole =
  /** Key agreement with clients (X25519 or P-256 ECDH): the session keys clients connect to. */
  | 'session'
  /** Signatures made by the fleet (e.g. signed HSM responses). */
  | 'signing';

export type AttestationLevelName = 'hardware-vendor' | 'pkcs11-attributes' | 'emulated';

export interface FleetKey {
  /** Unique within the set; the HSM label of the key. */
  keyId: string;
  role: FleetKeyRole;
  algorithm: FleetKeyAlgorithm;
  /** Raw public key: Ed25519/X25519 32 bytes, P-256 SEC1 uncompressed 65 bytes. */
  publicKey: Uint8Array;
  /** `FleetHsm.id` of the HSM that generated and holds the key. */
  hsmId: string;
  /** SHA-256 of the key's attestation statement bytes (`KeyAttestation.statement`). */
  attestationDigest: Uint8Array;
}

export interface FleetHsm {
  /** Unique within the set. */
  id: string;
  site: string;
  vendor: string;
  model: string;
  serial: string;
  firmware: string;
  attestationLevel: AttestationLevelName;
}

export interface FleetKeySet {
  version: number;
  /** The witness namespace this fleet is published under. */
  namespace: string;
  /** Epoch within the namespace; 1 for the first fleet. */
  epoch: bigint;
  fleetId: string;
  /** Digest of the previous epoch's fleet key set; null only for the namespace's first epoch. */
  previousDigest: Uint8Array | null;
  validity: { notBefore: number; notAfter: number };
  keys: FleetKey[];
  hsms: FleetHsm[];
  /** Quorum policy of the fleet: `threshold` of `total` HSMs must agree (e.g. for key recovery). */
  quorum: { threshold: number; total: number };
  /** SHA-256 of the ceremony transcript that produced this set (its sealed head). */
  transcriptDigest: Uint8Array;
}
