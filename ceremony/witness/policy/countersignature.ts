/**
 * The operator's counter-signature, kept with the statement it endorses so auditors can fetch it
 * (docs/witness.md, "Counter-signatures"). The operator sends, as deterministic CBOR
 * (`application/cbor`) to `POST /namespaces/{ns}/audits/{epoch}/countersignature`:
 *
 *     { "algorithm": "ed25519" | "p256", "publicKey": bstr, "signature": bstr .size 64 }
 *
 * The witness checks that the submitting operator may submit for the namespace, that the epoch is
 * signed, and that the counter-signature verifies (`verifyCountersignature`) under the key given;
 * whether that key is the operator's pinned key is for verifiers to decide with their trust file.
 * It is stored once: the same bytes again are accepted, different ones refused (409).
 */
import { operatorKeyId } from '../../bundle/operator-key.js';
import {
  decodeCbor,
  encodeCbor,
  equalBytes,
  expectFields,
  expectMap,
  getBytes,
  getText,
} from '../../codec/index.js';
import { MalformedError } from '../../errors.js';
import { verifyCountersignature } from '../../statement/index.js';
import { refuse, WitnessError } from '../codes.js';
import type { WitnessContext } from '../context.js';
import type { StatementRecord } from '../state/statements.js';
import { submissionNamespace } from './sign.js';

/** A counter-signature and the key that made it. */
export interface StoredCountersignature {
  algorithm: 'ed25519' | 'p256';
  publicKey: Uint8Array;
  signature: Uint8Array;
  /** `operatorKeyId(algorithm, publicKey)`, as validation bundles carry it. */
  keyId: number;
}

/**
 * Decodes a counter-signature (upload body or stored bytes).
 * @throws MalformedError `CBOR_*`, `FIELD_*`.
 */
export function decodeStoredCountersignature(bytes: Uint8Array): StoredCountersignature {
  const m = expectMap(
    decodeCbor(bytes, { maxBytes: 4096, maxDepth: 1, field: 'countersignature' }),
    'countersignature',
  );
  expectFields(m, 'countersignature', { required: ['algorithm', 'publicKey', 'signature'] });
  const algorithm = getText(m, 'algorithm', 'countersignature');
  if (algorithm !== 'ed25519' && algorithm !== 'p256') {
    throw new MalformedError('FIELD_PATTERN', 'countersignature.algorithm: want ed25519 or p256', {
      field: 'countersignature.algorithm',
    });
  }
  const publicKey = getBytes(m, 'publicKey', 'countersignature', {
    minLength: algorithm === 'ed25519' ? 32 : 65,
    maxLength: algorithm === 'ed25519' ? 32 : 65,
  });
  const signature = getBytes(m, 'signature', 'countersignature', { minLength: 64, maxLength: 64 });
  return { algorithm, publicKey, signature, keyId: operatorKeyId(algorithm, publicKey) };
}

/** The CBOR of a counter-signature (what `witness sign --countersign-label` uploads). */
export function encodeCountersignature(c: Omit<StoredCountersignature, 'keyId'>): Uint8Array {
  return encodeCbor({ algorithm: c.algorithm, publicKey: c.publicKey, signature: c.signature });
}

/**
 * Checks and stores an operator's counter-signature of a signed epoch.
 * @throws WitnessError `NAMESPACE_UNKNOWN`, `OPERATOR_NOT_AUTHORIZED`, `EPOCH_UNKNOWN`,
 *   `COUNTERSIGNATURE_MALFORMED` (400), `COUNTERSIGNATURE_INVALID` (422), `COUNTERSIGNATURE_EXISTS` (409).
 */
export function storeCountersignature(
  ctx: WitnessContext,
  operator: string,
  namespace: string,
  epoch: bigint,
  body: Uint8Array,
): StatementRecord {
  const ns = ctx.config().namespaces.find((n) => n.name === namespace);
  if (ns === undefined || !ns.operators.includes(operator)) submissionNamespace(ctx, namespace, operator);
  const r = ctx.state.statements.byEpoch(namespace, epoch);
  if (r === undefined || !r.logged)
    refuse('EPOCH_UNKNOWN', 'epoch', `epoch ${epoch} of namespace ${namespace} is not signed`);
  let c: StoredCountersignature;
  try {
    c = decodeStoredCountersignature(body);
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    throw new WitnessError('COUNTERSIGNATURE_MALFORMED', `${e.message} [${e.code}]`, {
      field: e.field ?? 'countersignature',
    });
  }
  let ok: boolean;
  try {
    ok = verifyCountersignature(c.algorithm, c.publicKey, r.signature, r.statement, c.signature);
  } catch {
    ok = false; // a key that is not a curve point verifies nothing
  }
  if (!ok)
    refuse(
      'COUNTERSIGNATURE_INVALID',
      'countersignature.signature',
      `does not verify under the given ${c.algorithm} key over the witness signature of ${namespace}/${epoch}`,
    );
  const stored = encodeCountersignature(c);
  if (r.countersignature !== undefined) {
    if (equalBytes(r.countersignature, stored)) return r;
    refuse(
      'COUNTERSIGNATURE_EXISTS',
      'countersignature',
      `${namespace}/${epoch} has a different counter-signature already; it is never replaced`,
    );
  }
  if (!ctx.state.statements.setCountersignature(namespace, epoch, stored)) {
    refuse(
      'COUNTERSIGNATURE_EXISTS',
      'countersignature',
      `${namespace}/${epoch} was counter-signed meanwhile`,
    );
  }
  return { ...r, countersignature: stored };
}
