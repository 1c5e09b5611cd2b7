/**
 * The witness configuration, `DIR/witness.json` (docs/witness.md, "Configuration"): the log's
 * origin, the public halves and locations of the witness keys, the registered operators, the
 * namespaces with their initial root and verification profile, the logs it cosigns, and limits.
 *
 * Private keys are never in this file: a key source names a file in DIR (mode 0600) or a label in
 * the PKCS#11 token of `hsm`.
 */

/** Format identifier of this configuration version. */
export const WITNESS_CONFIG_FORMAT = 'fleet-ceremony/witness/v1';

/** Where a private key lives: a file relative to the data directory, or a PKCS#11 label. */
export type KeySource = { file: string } | { pkcs11Label: string };

/** A statement key (Plexi key rotation): used for statements timestamped at or after `notBefore`. */
export interface StatementKeyConfig {
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Milliseconds since the Unix epoch (UTC), as the statement timestamp. */
  notBefore: number;
  source: KeySource;
}

/** A key with a fixed role (the log key, the cosigner key). */
export interface RoleKeyConfig {
  publicKey: Uint8Array;
  source: KeySource;
}

/** The PKCS#11 token holding the witness keys, when they are not files. */
export interface WitnessHsmConfig {
  module: string;
  tokenLabel?: string;
  tokenSerial?: string;
  /** Environment variable the PIN is read from when the witness starts. */
  pinEnv: string;
}

/** Algorithms an operator's request-signing key may use. */
export type OperatorKeyAlgorithm = 'ed25519' | 'p256';

/** An operator allowed to submit (once a namespace lists it). */
export interface OperatorConfig {
  /** Unique; sent in the `X-Fleet-Operator` header. */
  name: string;
  algorithm: OperatorKeyAlgorithm;
  /** Ed25519: 32 bytes. P-256: SEC 1 uncompressed, 65 bytes. */
  publicKey: Uint8Array;
}

/** The first epoch a namespace accepts: epoch 1 with no previous digest, or a registered root. */
export type NamespaceRoot = 'genesis' | { epoch: bigint; digest: Uint8Array };

/** A namespace the witness signs for. */
export interface NamespaceConfig {
  name: string;
  root: NamespaceRoot;
  profile: 'production' | 'rehearsal';
  /** An offline namespace is listed but refuses submissions. */
  online: boolean;
  /** Pinned vendor roots (DER certificates) for the attestations of this namespace's fleets. */
  vendorRoots: Uint8Array[];
  /** Names of the operators (from `operators`) that may submit for this namespace. */
  operators: string[];
}

/** A log whose checkpoints the witness cosigns (c2sp.org/tlog-witness). */
export interface CosignedLogConfig {
  origin: string;
  /** The log's C2SP verifier keys (`name+id+base64`), named as the origin. */
  verifierKeys: string[];
}

/** Request limits. */
export interface WitnessLimits {
  /** Largest request body in bytes (413 above). */
  maxBodyBytes: number;
  /** Sustained submissions per operator per minute (429 above). */
  requestsPerMinute: number;
  /** Submissions an operator may make at once before the rate applies. */
  burst: number;
  /** How far a request's timestamp may be from the witness's clock, in seconds. */
  clockSkewSeconds: number;
  /** Longest validity window of a fleet key set, in days. */
  maxValidityDays: number;
}

/** The whole configuration. */
export interface WitnessConfig {
  format: typeof WITNESS_CONFIG_FORMAT;
  /** The log's origin line; the log key's name. */
  origin: string;
  /** Name of the cosignature/v1 key (the witness's name in tlog-witness). */
  cosignerName: string;
  hsm?: WitnessHsmConfig;
  /** Ordered by `notBefore`, strictly increasing. */
  statementKeys: StatementKeyConfig[];
  logKey: RoleKeyConfig;
  cosignerKey: RoleKeyConfig;
  operators: OperatorConfig[];
  namespaces: NamespaceConfig[];
  cosigning: { logs: CosignedLogConfig[] };
  limits: WitnessLimits;
}

/** Default limits (docs/witness.md, "Limits"). */
export const DEFAULT_LIMITS: WitnessLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  requestsPerMinute: 30,
  burst: 10,
  clockSkewSeconds: 300,
  maxValidityDays: 1100,
};
