/**
 * The ceremony script model (docs/ceremony-script.md): what one YAML file says about one ceremony.
 * These types mirror templates/schema/ceremony-script.schema.json; a script that passed
 * `parseScript` has exactly this shape. Paths are as written, relative to the script's directory.
 */
import type { Role } from '../../transcript/roles.js';

/** Version tag every script starts with. */
export const SCRIPT_FORMAT = 'fleet-ceremony/script/v1';

/** What kind of ceremony a script runs. */
export type CeremonyKind = 'rehearsal' | 'deployment' | 'rotation';

/** A whole ceremony script. */
export interface CeremonyScript {
  format: typeof SCRIPT_FORMAT;
  ceremony: CeremonyInfo;
  participants: ScriptParticipant[];
  quorum: Quorum;
  hsms: ScriptHsm[];
  keys: FleetKey[];
  witness: WitnessConfig;
  operator: OperatorKey;
  /** The previous epoch's evidence (rotation only). */
  previous?: PreviousEpoch;
  steps: ScriptStep[];
  outputs: Outputs;
}

/** Who and what the ceremony is. */
export interface CeremonyInfo {
  /** `[a-z0-9-]`, unique per ceremony; signed into every sign-off. */
  id: string;
  name: string;
  kind: CeremonyKind;
  namespace: string;
  epoch: number;
  fleetId: string;
  validity: Validity;
  description?: string;
}

/** How long the fleet key set is valid: a number of days from the ceremony, or fixed dates. */
export interface Validity {
  days?: number;
  /** RFC 3339 UTC, e.g. `2026-01-01T00:00:00Z`. */
  notBefore?: string;
  notAfter?: string;
}

/** A PKCS#11 token or emulated device holding a participant's identity key (a smart card). */
export interface TokenRef {
  backend: 'emulated' | 'pkcs11';
  /** Emulated: the device's state directory. */
  dir?: string;
  /** PKCS#11: the module, and the token by label and/or serial. */
  module?: string;
  tokenLabel?: string;
  tokenSerial?: string;
  /** Label of the Ed25519 identity key on the token. */
  keyLabel: string;
  /** Environment variable with the token PIN (else a hidden prompt). */
  pinEnv?: string;
}

/** A person taking part, with their identity key. */
export interface ScriptParticipant {
  id: string;
  name: string;
  role: Role;
  /** Pinned Ed25519 public key, 64 lowercase hex digits. */
  publicKey?: string;
  /** Ed25519 private key file (PEM PKCS#8, mode 0600): rehearsals. */
  keyFile?: string;
  /** Token holding the private key: real participants' smart cards. */
  token?: TokenRef;
}

/** Crypto officers: `threshold` (M) of `of` (N) must sign where the quorum is required. */
export interface Quorum {
  threshold: number;
  of: number;
}

/** One HSM of the fleet, and what it must prove to be. */
export interface ScriptHsm {
  id: string;
  site: string;
  backend: 'emulated' | 'pkcs11';
  dir?: string;
  module?: string;
  tokenLabel?: string;
  tokenSerial?: string;
  /** Serial number the device must report. */
  expectedSerial: string;
  /**
   * Vendor roots (a PEM file of CERTIFICATE and PUBLIC KEY blocks, each one a pinned root): the
   * device chain must end at one of its certificates, and the HSM's attestations verify under them.
   */
  vendorRoot?: string;
  /** Environment variable holding the PIN (else a hidden prompt). */
  pinEnv: string;
}

/** A fleet key to generate. */
export interface FleetKey {
  label: string;
  hsm: string;
  algorithm: 'ed25519' | 'p256' | 'x25519';
  role: 'session' | 'signing';
  /** The files the vendor's own tool writes to attest this key (instead of the HSM's `attestKey`). */
  attestation?: VendorAttestationFiles;
}

/** A vendor attestation of one key, as files (ceremony/attest/intake.ts reads them). */
export interface VendorAttestationFiles {
  /** 1–8 paths, relative to the script, in the order the format wants them. */
  files: string[];
  /** The attestation format (a vendor format id); detected from the files when absent. */
  format?: string;
}

/** The independent witness. */
export interface WitnessConfig {
  /** `https://…` (or `http://…` for a rehearsal), or `local-rehearsal`. */
  url: string;
  /** Namespace the witness signs under (default: ceremony.namespace). */
  namespace?: string;
  /** Pinned Ed25519 statement key of the witness, hex. */
  publicKey?: string;
}

/** The operator's counter-signing key, in one of the HSMs. */
export interface OperatorKey {
  hsm: string;
  label: string;
  algorithm: 'ed25519' | 'p256';
}

/** The previous epoch a rotation chains to. */
export interface PreviousEpoch {
  /** Directory of the previous evidence package. */
  evidence: string;
  /** Pinned SHA-256 of the previous fleet key set, hex. */
  keySetSha256?: string;
}

/** A sign-off requirement: `count` participants of `role`. */
export interface SignoffRequirement {
  role: Role;
  /** An integer, `quorum` (M of the quorum) or `all`; default: `quorum` for crypto officers, else 1. */
  count?: number | 'quorum' | 'all';
}

/** A value read aloud after a step. */
export interface ReadAloudItem {
  label: string;
  /** `<step-id>.<output>`, `script.sha256` or `transcript.head`. */
  value: string;
  /** Words the operator types back (default 4). */
  confirmWords?: number;
}

/** One numbered step. */
export interface ScriptStep {
  id: string;
  kind: string;
  title: string;
  description?: string;
  readAloud?: ReadAloudItem[];
  signoffs?: SignoffRequirement[];
  /** Parameters of the step kind. */
  with?: Record<string, unknown>;
}

/** Where the ceremony writes. */
export interface Outputs {
  workdir: string;
  evidence: string;
}
