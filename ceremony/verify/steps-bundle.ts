/**
 * The validation bundle inside a package (docs/evidence.md, "Checks"): decoded strictly, then
 * verified exactly as a client verifies it (`verifyValidationBundle`: statement binding, pinned
 * namespace, witness signature at the statement's time, operator counter-signature, log checkpoint
 * and inclusion proof, validity, anti-rollback). Its one error is reported against the step it
 * belongs to, in the order docs/bundle-verification.md gives; the steps before it passed.
 *
 * Portable: no `node:` imports.
 */
import {
  decodeFleetKeySet,
  decodeValidationBundle,
  fleetKeySetDigest,
  verifyValidationBundle,
} from '../bundle/index.js';
import type { FleetKeySet, ValidationBundle, VerifiedBundle } from '../bundle/index.js';
import { isCeremonyError } from '../errors.js';
import { decodeSignatureMessage } from '../statement/index.js';
import type { SignatureMessage } from '../statement/index.js';
import type { Trust } from '../bundle/index.js';
import { CHECKS } from './checks.js';
import { EVIDENCE_FILES } from './layout.js';
import type { CheckRecorder } from './report.js';
import { describeFailure } from './report.js';

/** The bundle's parts, decoded (and verified when `verified` is set). */
export interface BundleFacts {
  bytes: Uint8Array;
  bundle: ValidationBundle;
  keySet: FleetKeySet;
  keySetSha256: Uint8Array;
  statement: SignatureMessage;
  verified?: VerifiedBundle;
}

/** The steps of `verifyValidationBundle`, in its order, with the codes each can fail with. */
export const BUNDLE_STEPS: readonly { id: string; title: string; codes: readonly string[] }[] = [
  {
    id: 'bundle.binding',
    title: CHECKS['bundle.binding'],
    codes: [
      'BUNDLE_DIGEST_MISMATCH',
      'BUNDLE_NAMESPACE_MISMATCH',
      'BUNDLE_EPOCH_MISMATCH',
      'BUNDLE_NAMESPACE_UNEXPECTED',
    ],
  },
  {
    id: 'bundle.witness',
    title: CHECKS['bundle.witness'],
    codes: [
      'BUNDLE_WITNESS_KEY_UNKNOWN',
      'BUNDLE_WITNESS_KEY_NOT_YET_VALID',
      'BUNDLE_WITNESS_KEY_EXPIRED',
      'BUNDLE_WITNESS_SIGNATURE_INVALID',
      'BUNDLE_STATEMENT_IN_FUTURE',
    ],
  },
  {
    id: 'bundle.countersignature',
    title: CHECKS['bundle.countersignature'],
    codes: [
      'BUNDLE_OPERATOR_KEY_UNKNOWN',
      'BUNDLE_OPERATOR_KEY_NOT_VALID',
      'BUNDLE_COUNTERSIGNATURE_INVALID',
    ],
  },
  {
    id: 'bundle.log',
    title: CHECKS['bundle.log'],
    codes: [
      'BUNDLE_CHECKPOINT_ORIGIN_MISMATCH',
      'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
      'BUNDLE_COSIGNATURE_INVALID',
      'BUNDLE_COSIGNER_QUORUM',
      'BUNDLE_LOG_INDEX_OUT_OF_RANGE',
      'BUNDLE_INCLUSION_INVALID',
    ],
  },
  {
    id: 'bundle.validity',
    title: CHECKS['bundle.validity'],
    codes: ['BUNDLE_NOT_YET_VALID', 'BUNDLE_EXPIRED', 'BUNDLE_EMULATED_IN_PRODUCTION'],
  },
  {
    id: 'bundle.rollback',
    title: CHECKS['bundle.rollback'],
    codes: ['BUNDLE_ROLLBACK', 'BUNDLE_EQUIVOCATION'],
  },
];

/** Options of {@link bundleSteps}. */
export interface BundleStepOptions {
  /** The time to judge validity at, when the caller gives one (ms). */
  now?: number;
  /** When the package was made (ms): the time judged otherwise. */
  createdAt: number;
  lastSeen?: { epoch: bigint; digest: Uint8Array };
}

/** Decodes and verifies bundle.cbor, recording `bundle.decode` and every step of {@link BUNDLE_STEPS}. */
export async function bundleSteps(
  files: ReadonlyMap<string, Uint8Array>,
  trust: Trust,
  o: BundleStepOptions,
  rec: CheckRecorder,
): Promise<BundleFacts | undefined> {
  const bytes = files.get(EVIDENCE_FILES.bundle) ?? new Uint8Array();
  const decoded = await rec.run<BundleFacts>('bundle.decode', CHECKS['bundle.decode'], () => {
    const bundle = decodeValidationBundle(bytes);
    const keySet = decodeFleetKeySet(bundle.fleetKeySet);
    const statement = decodeSignatureMessage(bundle.statement);
    const value = { bytes, bundle, keySet, keySetSha256: fleetKeySetDigest(bundle.fleetKeySet), statement };
    return {
      reason: `validation bundle v${bundle.version}, ${bytes.length} bytes: fleet ${keySet.fleetId}, namespace ${keySet.namespace}, epoch ${keySet.epoch}, ${keySet.hsms.length} HSMs, ${keySet.keys.length} keys`,
      value,
    };
  });
  const facts = decoded.value;
  if (facts === undefined) {
    for (const s of BUNDLE_STEPS) rec.skip(s.id, s.title, 'not checked: bundle.cbor does not decode');
    return undefined;
  }
  const { notBefore, notAfter } = facts.keySet.validity;
  // Evidence is judged at the time it was made unless the caller names a time: a ceremony stays
  // verifiable after its fleet expires. The window itself is then reported, not enforced.
  const judged = o.now ?? Math.min(Math.max(o.createdAt, notBefore), notAfter - 1);
  let failed: { code: string; reason: string } | undefined;
  try {
    facts.verified = verifyValidationBundle(bytes, trust, {
      now: judged,
      ...(o.lastSeen === undefined ? {} : { lastSeen: o.lastSeen }),
    });
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    failed = { code: e.code, reason: describeFailure(e) };
  }
  const at = failed === undefined ? -1 : BUNDLE_STEPS.findIndex((s) => s.codes.includes(failed!.code));
  BUNDLE_STEPS.forEach((s, i) => {
    if (failed !== undefined && (i === at || (at < 0 && i === 0)))
      rec.fail(s.id, s.title, failed.code, failed.reason);
    else if (failed !== undefined && (i > at || at < 0))
      rec.skip(s.id, s.title, `not checked: the bundle was refused at ${BUNDLE_STEPS[Math.max(at, 0)]!.id}`);
    else rec.pass(s.id, s.title, passReason(s.id, facts, o, judged));
  });
  return facts;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function passReason(id: string, f: BundleFacts, o: BundleStepOptions, judged: number): string {
  const v = f.verified;
  if (v === undefined) return 'passed (the bundle was refused at a later step)';
  const { notBefore, notAfter } = f.keySet.validity;
  switch (id) {
    case 'bundle.binding':
      return `the statement names digest, namespace ${v.namespace} and epoch ${v.epoch} of the set`;
    case 'bundle.witness':
      return `witness key ${v.witnessKey.keyId} (pinned from ${iso(v.witnessKey.notBefore)}) signed at ${iso(Number(v.statementTime))}`;
    case 'bundle.countersignature':
      return `pinned ${v.operatorKey.algorithm} operator key ${v.operatorKey.keyId.toString(16).padStart(8, '0')}`;
    case 'bundle.log':
      return `entry ${v.logIndex} of ${v.checkpoint.size} in ${v.checkpoint.origin}${v.cosigners.length > 0 ? `, cosigned by ${v.cosigners.join(', ')}` : ''}`;
    case 'bundle.validity':
      return o.now === undefined
        ? `valid ${iso(notBefore)} … ${iso(notAfter)}; judged at the package's time ${iso(o.createdAt)}${judged !== o.createdAt ? ' (outside the window: reported, not enforced without --now)' : ''}`
        : `valid ${iso(notBefore)} … ${iso(notAfter)}, which contains ${iso(o.now)}`;
    default:
      return o.lastSeen === undefined
        ? 'no last-seen epoch given'
        : `epoch ${v.epoch} ≥ last seen ${o.lastSeen.epoch}`;
  }
}
