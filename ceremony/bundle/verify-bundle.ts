/**
 * Client verification of a validation bundle (docs/bundle-verification.md): what a client runs on
 * the bundle it receives inside an HSM response, before it opens a session with the fleet.
 *
 * Portable: no `node:` imports; runs in browsers and mobile JavaScript runtimes.
 */
import { UsageError } from '../errors.js';
import type { Checkpoint } from '../tlog/index.js';
import type { FleetKey, FleetKeySet } from './types.js';
import type { Trust, TrustedOperatorKey, TrustedWitnessKey } from './trust.js';
import { parseValidationBundle } from './validation-bundle.js';
import {
  checkBinding,
  checkCountersignature,
  checkProfile,
  checkNamespace,
  checkRollback,
  checkValidity,
  checkWitness,
} from './verify-steps.js';
import { checkLogProof } from './verify-log.js';

/** Default tolerance for a statement dated after the client's clock: one hour. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 3_600_000;

/** Options of {@link verifyValidationBundle}. */
export interface VerifyBundleOptions {
  /** The client's current time: ms since the Unix epoch, or a Date. */
  now: number | Date;
  /** The newest fleet the client has accepted before, for anti-rollback (persist it after success). */
  lastSeen?: { epoch: bigint | number; digest: Uint8Array };
  /** The namespace the client expects; it must also be pinned in the trust file. */
  expectedNamespace?: string;
  /** How far after `now` a statement may be dated (default {@link DEFAULT_MAX_CLOCK_SKEW_MS}). */
  maxClockSkewMs?: number;
}

/** What a verified bundle establishes. */
export interface VerifiedBundle {
  fleetKeySet: FleetKeySet;
  /** SHA-256 of the fleet key set bytes: store it with `epoch` as the next `lastSeen`. */
  digest: Uint8Array;
  epoch: bigint;
  namespace: string;
  keys: FleetKey[];
  /** Index of the statement in the witness log. */
  logIndex: bigint;
  /** The verified checkpoint the inclusion proof leads to. */
  checkpoint: Checkpoint;
  /** The statement's timestamp, ms since the Unix epoch. */
  statementTime: bigint;
  witnessKey: TrustedWitnessKey;
  operatorKey: TrustedOperatorKey;
  /** The pinned cosigners that cosigned the checkpoint (empty when the trust file pins none). */
  cosigners: string[];
}

function option(reason: string, field: string): never {
  throw new UsageError('BUNDLE_OPTION_INVALID', `${field}: ${reason}`, { field });
}

function readOptions(o: VerifyBundleOptions): {
  now: number;
  lastSeen?: { epoch: bigint; digest: Uint8Array };
  skew: number;
} {
  const now = o?.now instanceof Date ? o.now.getTime() : o?.now;
  if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 0)
    option('want ms since the Unix epoch or a valid Date', 'now');
  const skew = o.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (!Number.isSafeInteger(skew) || skew < 0) option('want a non-negative integer', 'maxClockSkewMs');
  if (o.lastSeen === undefined) return { now, skew };
  const { epoch, digest } = o.lastSeen;
  if (!(
    (typeof epoch === 'bigint' && epoch >= 1n) ||
    (Number.isSafeInteger(epoch) && (epoch as number) >= 1)
  )) {
    option('want an epoch ≥ 1', 'lastSeen.epoch');
  }
  if (!(digest instanceof Uint8Array) || digest.length !== 32)
    option('want a 32-byte SHA-256 digest', 'lastSeen.digest');
  return { now, skew, lastSeen: { epoch: BigInt(epoch), digest } };
}

/**
 * Verifies a validation bundle against pinned trust anchors, as a client must before trusting a
 * fleet: (1) decode strictly; (2) the statement binds this fleet key set (digest, namespace,
 * epoch); (3) the namespace is pinned; (4) the witness signature verifies under a pinned witness
 * key valid at the statement's time; (5) the operator counter-signature verifies under a pinned
 * operator key; (6) the statement is in the witness log: checkpoint signed by the pinned log key
 * and k of n pinned cosigners, inclusion proof to its root; (7) `now` is in the validity window;
 * (8) under the production profile, no emulated HSM; (9) no rollback below, and no equivocation
 * at, the last seen epoch.
 *
 * @param bytes - the encoded bundle, as received.
 * @param trust - the pinned anchors (`parseTrustFile`).
 * @param options - `now`; optional `lastSeen`, `expectedNamespace`, `maxClockSkewMs`.
 * @returns the fleet keys and metadata.
 * @throws MalformedError `BUNDLE_MALFORMED`, `BUNDLE_VERSION_UNSUPPORTED`,
 *   `BUNDLE_FLEET_KEY_SET_MALFORMED`, `BUNDLE_STATEMENT_MALFORMED`, `BUNDLE_CHECKPOINT_MALFORMED`.
 * @throws VerificationError with one `BundleErrorCode` per failed check, from
 *   `BUNDLE_DIGEST_MISMATCH` to `BUNDLE_EQUIVOCATION` (docs/bundle-verification.md).
 * @throws UsageError `BUNDLE_OPTION_INVALID` for invalid options.
 * @example
 * const v = verifyValidationBundle(bytes, trust, { now: Date.now(), lastSeen });
 * store({ epoch: v.epoch, digest: v.digest });
 */
export function verifyValidationBundle(
  bytes: Uint8Array,
  trust: Trust,
  options: VerifyBundleOptions,
): VerifiedBundle {
  const { now, lastSeen, skew } = readOptions(options);
  const parsed = parseValidationBundle(bytes, { checkpoint: false });
  const digest = checkBinding(parsed);
  checkNamespace(parsed, trust, options.expectedNamespace);
  const witnessKey = checkWitness(parsed, trust, now, skew);
  const operatorKey = checkCountersignature(parsed, trust);
  const log = checkLogProof(parsed, trust);
  checkValidity(parsed, now);
  checkProfile(parsed, trust);
  checkRollback(parsed, digest, lastSeen);
  const ks = parsed.fleetKeySet;
  return {
    fleetKeySet: ks,
    digest,
    epoch: ks.epoch,
    namespace: ks.namespace,
    keys: ks.keys,
    logIndex: parsed.bundle.proof.index,
    checkpoint: log.opened.checkpoint,
    statementTime: parsed.statement.timestamp,
    witnessKey,
    operatorKey,
    cosigners: log.cosigners,
  };
}
