/**
 * The options and results of {@link WitnessLog} (./witness-log.ts).
 */
import type { LogStorage } from './storage.js';
import type { RecoveryMode } from './recover.js';
import type { Signer, Verifier } from '../../tlog/index.js';

/** Options of {@link WitnessLog.open}. */
export interface WitnessLogOptions {
  /** Path of the SQLite store (created if missing). Give this or `storage`. */
  storagePath?: string;
  /** A store opened by the caller; the log takes ownership and closes it. */
  storage?: LogStorage;
  /** The log's name: the checkpoints' origin line. Fixed when the store is created. */
  origin: string;
  /** Signs checkpoints: a note Signer named `origin`, e.g. `ed25519Signer(origin, secretKey)`. */
  signer: Signer;
  /**
   * The log's public key (named `origin`). When given, recovery verifies stored checkpoints with it
   * instead of re-signing them, so an HSM-backed signer is not asked to sign on open.
   */
  verifier?: Verifier;
  /** How much of the store to re-check on open (default `quick`; see docs/witness-log.md). */
  recovery?: RecoveryMode;
  /** Most entries per append transaction when concurrent appends are grouped (default 4096). */
  maxGroupEntries?: number;
}

/** Where an append landed. */
export interface AppendResult {
  /** Index of the first entry of the batch; the others follow in order. */
  readonly firstIndex: bigint;
}

/** Most entries one append call may carry. */
export const MAX_APPEND_BATCH = 65536;
