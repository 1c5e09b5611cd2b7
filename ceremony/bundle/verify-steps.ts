/**
 * The steps of `verifyValidationBundle`, one function per check, each throwing its own reason code
 * (docs/bundle-verification.md); the log proof step is in ./verify-log.ts. Binding checks run first on the decoded parts, then the
 * signatures and the log proof, then the policy checks (validity window, anti-rollback) on data
 * that is by then authenticated.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../codec/index.js';
import { ed25519 } from '../crypto/index.js';
import { VerificationError } from '../errors.js';
import { verifyCountersignature } from '../statement/index.js';
import { fleetKeySetDigest } from './fleet-key-set.js';
import { isoTime } from './fleet-key-set-json.js';
import { inWindow } from './trust-validity.js';
import type { Trust, TrustedOperatorKey, TrustedWitnessKey } from './trust.js';
import type { ParsedBundle } from './validation-bundle.js';
import type { BundleErrorCode } from './validation-bundle-schema.js';

/** Throws the VerificationError of a failed check. */
export function refuse(code: BundleErrorCode, field: string, reason: string, cause?: unknown): never {
  throw new VerificationError<BundleErrorCode>(code, `${field}: ${reason}`, { field, cause });
}

/** A statement timestamp (u64 ms) as a number; beyond 2^53 it is only ever compared, so clamp. */
export function statementTime(p: ParsedBundle): number {
  const t = p.statement.timestamp;
  return t > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(t);
}

/** The statement must be about this fleet key set: digest, namespace and epoch. Returns the digest. */
export function checkBinding(p: ParsedBundle): Uint8Array {
  const digest = fleetKeySetDigest(p.bundle.fleetKeySet);
  if (!equalBytes(digest, p.statement.digest)) {
    refuse(
      'BUNDLE_DIGEST_MISMATCH',
      'bundle.statement.digest',
      'is not SHA-256 of the fleet key set carried in the bundle',
    );
  }
  if (p.statement.namespace !== p.fleetKeySet.namespace) {
    refuse(
      'BUNDLE_NAMESPACE_MISMATCH',
      'bundle.statement.namespace',
      `got ${JSON.stringify(p.statement.namespace.slice(0, 128))}, want the fleet key set's ${JSON.stringify(p.fleetKeySet.namespace)}`,
    );
  }
  if (p.statement.epoch !== p.fleetKeySet.epoch) {
    refuse(
      'BUNDLE_EPOCH_MISMATCH',
      'bundle.statement.epoch',
      `got ${p.statement.epoch}, want the fleet key set's ${p.fleetKeySet.epoch}`,
    );
  }
  return digest;
}

/** The namespace must be pinned in the trust file (and be the caller's, when it names one). */
export function checkNamespace(p: ParsedBundle, trust: Trust, expected: string | undefined): void {
  const ns = p.fleetKeySet.namespace;
  if (!trust.namespaces.includes(ns) || (expected !== undefined && ns !== expected)) {
    const want = expected ?? trust.namespaces.join(', ');
    refuse(
      'BUNDLE_NAMESPACE_UNEXPECTED',
      'bundle.fleetKeySet.namespace',
      `got ${JSON.stringify(ns)}, want ${want}`,
    );
  }
}

/** The witness signature must verify under a pinned key valid at the statement's time. */
export function checkWitness(p: ParsedBundle, trust: Trust, now: number, maxSkew: number): TrustedWitnessKey {
  const id = p.bundle.witnessKeyId;
  const candidates = trust.witnessKeys.filter((k) => k.keyId === id);
  if (candidates.length === 0)
    refuse('BUNDLE_WITNESS_KEY_UNKNOWN', 'bundle.witnessKeyId', `no pinned witness key has key id ${id}`);
  const t = statementTime(p);
  const valid = candidates.filter((k) => inWindow(k, t));
  if (valid.length === 0) {
    const early = candidates.some((k) => t < k.notBefore);
    const when = t >= Number.MAX_SAFE_INTEGER ? String(p.statement.timestamp) : isoTime(Math.min(t, 8.64e15));
    refuse(
      early ? 'BUNDLE_WITNESS_KEY_NOT_YET_VALID' : 'BUNDLE_WITNESS_KEY_EXPIRED',
      'bundle.statement.timestamp',
      `the statement is dated ${when}, ${early ? 'before the not_before' : 'at or after the not_after'} of the pinned witness key ${id}`,
    );
  }
  const key = valid.find((k) => ed25519.verify(k.publicKey, p.bundle.statement, p.bundle.witnessSignature));
  if (key === undefined) {
    refuse(
      'BUNDLE_WITNESS_SIGNATURE_INVALID',
      'bundle.witnessSignature',
      `does not verify under the pinned witness key ${id}`,
    );
  }
  if (t > now + maxSkew) {
    refuse(
      'BUNDLE_STATEMENT_IN_FUTURE',
      'bundle.statement.timestamp',
      `dated ${p.statement.timestamp} ms, more than ${maxSkew} ms after now (${now})`,
    );
  }
  return key;
}

/** The counter-signature must verify under a pinned operator key valid at the statement's time. */
export function checkCountersignature(p: ParsedBundle, trust: Trust): TrustedOperatorKey {
  const id = p.bundle.operatorKeyId;
  const candidates = trust.operatorKeys.filter((k) => k.keyId === id);
  const hex = id.toString(16).padStart(8, '0');
  if (candidates.length === 0)
    refuse('BUNDLE_OPERATOR_KEY_UNKNOWN', 'bundle.operatorKeyId', `no pinned operator key has key id ${hex}`);
  const t = statementTime(p);
  const valid = candidates.filter((k) => inWindow(k, t));
  if (valid.length === 0) {
    refuse(
      'BUNDLE_OPERATOR_KEY_NOT_VALID',
      'bundle.operatorKeyId',
      `the pinned operator key ${hex} is not valid at the statement's time`,
    );
  }
  const { statement, witnessSignature, countersignature } = p.bundle;
  const key = valid.find((k) =>
    verifyCountersignature(k.algorithm, k.publicKey, witnessSignature, statement, countersignature),
  );
  if (key === undefined) {
    refuse(
      'BUNDLE_COUNTERSIGNATURE_INVALID',
      'bundle.countersignature',
      `does not verify under the pinned operator key ${hex}`,
    );
  }
  return key;
}

/** `now` must be inside the fleet key set's validity window `[notBefore, notAfter)`. */
export function checkValidity(p: ParsedBundle, now: number): void {
  const { notBefore, notAfter } = p.fleetKeySet.validity;
  if (now < notBefore)
    refuse(
      'BUNDLE_NOT_YET_VALID',
      'bundle.fleetKeySet.validity.notBefore',
      `the fleet key set is valid from ${isoTime(notBefore)}`,
    );
  if (now >= notAfter)
    refuse(
      'BUNDLE_EXPIRED',
      'bundle.fleetKeySet.validity.notAfter',
      `the fleet key set expired at ${isoTime(notAfter)}`,
    );
}

/** Under the production profile, a fleet with an emulated HSM is refused (DESIGN §2). */
export function checkProfile(p: ParsedBundle, trust: Trust): void {
  if (trust.profile !== 'production') return;
  const i = p.fleetKeySet.hsms.findIndex((h) => h.attestationLevel === 'emulated');
  if (i >= 0) {
    refuse(
      'BUNDLE_EMULATED_IN_PRODUCTION',
      `bundle.fleetKeySet.hsms[${i}].attestationLevel`,
      `HSM ${JSON.stringify(p.fleetKeySet.hsms[i]!.id)} is emulated: its keys are ordinary files, accepted only under the rehearsal profile`,
    );
  }
}

/** Anti-rollback: never an older epoch, never another set for the epoch already seen. */
export function checkRollback(
  p: ParsedBundle,
  digest: Uint8Array,
  lastSeen: { epoch: bigint; digest: Uint8Array } | undefined,
): void {
  if (lastSeen === undefined) return;
  const epoch = p.fleetKeySet.epoch;
  if (epoch < lastSeen.epoch)
    refuse(
      'BUNDLE_ROLLBACK',
      'bundle.fleetKeySet.epoch',
      `got epoch ${epoch}, but epoch ${lastSeen.epoch} was already seen`,
    );
  if (epoch === lastSeen.epoch && !equalBytes(digest, lastSeen.digest)) {
    refuse(
      'BUNDLE_EQUIVOCATION',
      'bundle.fleetKeySet',
      `a different fleet key set for epoch ${epoch}, which was already seen with another digest`,
    );
  }
}
