/**
 * The result of `audit-namespace` (docs/witness.md, "Auditing a namespace"): per epoch, which
 * checks passed, what changed from the previous epoch, and every problem found, each with its
 * own code. `--json` prints this object (bytes as hex, big numbers as decimal strings).
 */
import type { FleetKeySetDiff } from '../../bundle/index.js';

/** The outcome of one check of one epoch. */
export type CheckStatus = 'ok' | 'failed' | 'missing';

/** Codes of the problems an audit reports. */
export type AuditProblemCode =
  | 'AUDIT_NAMESPACE_NOT_TRUSTED'
  | 'AUDIT_EPOCHS_MISSING'
  | 'AUDIT_EPOCH_GAP'
  | 'AUDIT_RECORD_MISSING'
  | 'AUDIT_RECORD_INVALID'
  | 'AUDIT_STATEMENT_MISMATCH'
  | 'AUDIT_ARTIFACT_MISSING'
  | 'AUDIT_ARTIFACT_DIGEST_MISMATCH'
  | 'AUDIT_ARTIFACT_MALFORMED'
  | 'AUDIT_ARTIFACT_MISMATCH'
  | 'AUDIT_CHAIN_BROKEN'
  | 'AUDIT_ATTESTATIONS_MISMATCH'
  | 'AUDIT_WITNESS_KEY_UNKNOWN'
  | 'AUDIT_WITNESS_SIGNATURE_INVALID'
  | 'AUDIT_COUNTERSIGNATURE_MISSING'
  | 'AUDIT_COUNTERSIGNATURE_KEY_UNTRUSTED'
  | 'AUDIT_COUNTERSIGNATURE_INVALID'
  | 'AUDIT_NOT_IN_LOG'
  | 'AUDIT_LOG_ENTRY_MISMATCH'
  | 'AUDIT_UNLISTED_STATEMENT';

/** One problem. */
export interface AuditProblem {
  code: AuditProblemCode;
  /** The epoch concerned, when there is one. */
  epoch?: bigint;
  message: string;
}

/** The checks of one epoch. */
export interface EpochChecks {
  /** The fleet key set is there, hashes to the signed digest, parses, names this namespace and epoch. */
  artifact: CheckStatus;
  /** Its previous digest is the previous epoch's digest (or null for the first). */
  chain: CheckStatus;
  /** The witness statement signature, under a pinned statement key valid at its timestamp. */
  witnessSignature: CheckStatus;
  /** The operator counter-signature, under a pinned operator key. */
  countersignature: CheckStatus;
  /** The statement is the log entry at its index, in the verified checkpoint. */
  inclusion: CheckStatus;
}

/** One audited epoch. */
export interface EpochAudit {
  epoch: bigint;
  /** Statement time, ms. */
  timestamp: bigint;
  digest: Uint8Array;
  keyId: number;
  logIndex: bigint;
  checks: EpochChecks;
  /** From the fleet key set, when it parsed. */
  fleet?: { fleetId: string; keys: number; hsms: number; notBefore: number; notAfter: number };
  /** What changed from the previous epoch (absent for the first, or when either did not parse). */
  diff?: FleetKeySetDiff;
}

/** The audit of one namespace. */
export interface NamespaceAudit {
  namespace: string;
  /** True when no problem was found. */
  ok: boolean;
  /** The verified log checkpoint everything was checked against. */
  checkpoint: { origin: string; size: bigint; rootHash: Uint8Array };
  epochs: EpochAudit[];
  problems: AuditProblem[];
}
