/**
 * One submission of the fleet key set to a witness, safe to repeat: the first time the witness
 * signs and answers; after an interruption that lost the answer, the witness refuses a second
 * signature (`DIGEST_ALREADY_SIGNED`) and the signed record is read back from its audit API
 * instead. Either way the answer is verified (statement, signature under the key in force, log
 * proof under the log key) before it is used, and the statement key must be the one the script
 * pins, when it pins one. The operator's counter-signature is uploaded to the same witness once,
 * in the same spirit: {@link uploadCountersignatureOnce}.
 */
import { decodeFleetKeySet, fleetKeySetDigest } from '../../../bundle/index.js';
import { equalBytes, hexDecode, hexEncode } from '../../../codec/index.js';
import { UsageError, VerificationError, isCeremonyError } from '../../../errors.js';
import {
  getJson,
  parseAuditJson,
  parseInfoJson,
  selectStatementKey,
  submitFleetKeySet,
  uploadCountersignature,
  verifySignReply,
  witnessUrl,
} from '../../../witness/index.js';
import type {
  ClientOptions,
  OperatorSigner,
  SubmittedAttestation,
  WitnessAudit,
} from '../../../witness/index.js';
import { parseVerifierKey } from '../../../tlog/index.js';

/** What the witness signed, verified. */
export interface WitnessAnswer {
  statement: Uint8Array;
  signature: Uint8Array;
  keyId: number;
  logIndex: bigint;
  tlogProof: string;
  /** The statement key that signed. */
  publicKey: Uint8Array;
  /** `signed` now, `read-back` from the audit API after a lost answer, `saved` by an earlier attempt. */
  source: 'signed' | 'read-back' | 'saved';
}

/** Options of {@link exchangeWithWitness}. */
export interface ExchangeOptions {
  url: string;
  fleetKeySet: Uint8Array;
  attestations: SubmittedAttestation[];
  operator: OperatorSigner;
  /** The witness statement key the script pins (hex), if any. */
  pinnedKey?: string;
}

/**
 * Submits, or reads back what was signed before.
 * @throws WitnessError (a refusal other than a repeat); VerificationError
 *   `CEREMONY_WITNESS_KEY_MISMATCH`, `CEREMONY_WITNESS_SIGNED_OTHER` and the reply checks'
 *   codes; UsageError `WITNESS_HTTP_FAILED`.
 */
export async function exchangeWithWitness(o: ExchangeOptions): Promise<WitnessAnswer> {
  const ks = decodeFleetKeySet(o.fleetKeySet);
  const digest = fleetKeySetDigest(o.fleetKeySet);
  const info = parseInfoJson(await getJson(o.url, '/info'));
  let reply: WitnessAudit;
  let source: WitnessAnswer['source'] = 'signed';
  try {
    reply = (
      await submitFleetKeySet({
        url: o.url,
        fleetKeySet: o.fleetKeySet,
        attestations: o.attestations,
        operator: o.operator,
        info,
      })
    ).reply;
  } catch (e) {
    if (!isCeremonyError(e) || (e.code !== 'DIGEST_ALREADY_SIGNED' && e.code !== 'EPOCH_ALREADY_SIGNED'))
      throw e;
    const path = `/namespaces/${encodeURIComponent(ks.namespace)}/audits/${ks.epoch}`;
    reply = parseAuditJson(await getJson(o.url, path));
    if (!equalBytes(reply.digest, digest))
      throw new VerificationError(
        'CEREMONY_WITNESS_SIGNED_OTHER',
        `the witness signed another fleet key set for ${ks.namespace} epoch ${ks.epoch} (${hexEncode(reply.digest)}); this one is ${hexEncode(digest)}`,
        { field: 'witness.url' },
      );
    reply.tlogProof = await getText(o.url, `${path}/proof`);
    verifySignReply(
      reply,
      { namespace: ks.namespace, epoch: ks.epoch, digest },
      info.keys,
      parseVerifierKey(info.logVerifierKey),
    );
    source = 'read-back';
  }
  const key = selectStatementKey(info.keys, reply.timestamp);
  if (key === undefined)
    throw new VerificationError('WITNESS_KEY_UNKNOWN', 'no statement key in force at the statement time');
  if (o.pinnedKey !== undefined && o.pinnedKey !== hexEncode(key.publicKey))
    throw new VerificationError(
      'CEREMONY_WITNESS_KEY_MISMATCH',
      `the witness signed with statement key ${hexEncode(key.publicKey)}, not the one the script pins (witness.publicKey)`,
      { field: 'witness.publicKey' },
    );
  return {
    statement: reply.statement,
    signature: reply.signature,
    keyId: reply.keyId,
    logIndex: reply.logIndex,
    tlogProof: reply.tlogProof!,
    publicKey: key.publicKey,
    source,
  };
}

/** A counter-signature as the witness takes it. */
export interface Countersignature {
  algorithm: 'ed25519' | 'p256';
  publicKey: Uint8Array;
  signature: Uint8Array;
}

/** Options of {@link uploadCountersignatureOnce}. */
export interface UploadOptions extends ClientOptions {
  url: string;
  namespace: string;
  epoch: bigint;
  operator: OperatorSigner;
  countersignature: Countersignature;
}

/**
 * How an upload ended: `uploaded` now, or `present` (the witness held exactly this
 * counter-signature already: an earlier attempt uploaded it before an interruption).
 */
export type UploadResult = 'uploaded' | 'present';

/**
 * Uploads the operator's counter-signature of a signed epoch once. The witness's copy is read
 * first: the same bytes there mean an earlier attempt uploaded it, and nothing is posted again.
 * Otherwise it is posted; the witness answers a repeat of the same bytes as a success and a
 * different one with `COUNTERSIGNATURE_EXISTS` (a race with another upload), after which its copy
 * is read and compared. Either way the witness must end up serving exactly these bytes.
 * @throws VerificationError `CEREMONY_COUNTERSIGNATURE_CONFLICT` (the witness holds another
 *   counter-signature for the epoch, which it never replaces), `CEREMONY_COUNTERSIGNATURE_NOT_STORED`;
 *   WitnessError (another refusal); UsageError `WITNESS_HTTP_FAILED`, `WITNESS_REPLY_INVALID`.
 */
export async function uploadCountersignatureOnce(o: UploadOptions): Promise<UploadResult> {
  const path = `/namespaces/${encodeURIComponent(o.namespace)}/audits/${o.epoch}/countersignature`;
  const held = await heldCountersignature(o, path);
  if (held !== undefined) {
    requireOurs(o, held, path);
    return 'present';
  }
  try {
    await uploadCountersignature(o, o.countersignature);
  } catch (e) {
    if (!isCeremonyError(e) || e.code !== 'COUNTERSIGNATURE_EXISTS') throw e;
    const raced = await heldCountersignature(o, path);
    if (raced === undefined) throw e;
    requireOurs(o, raced, path);
    return 'present';
  }
  const stored = await heldCountersignature(o, path);
  if (stored === undefined)
    throw new VerificationError(
      'CEREMONY_COUNTERSIGNATURE_NOT_STORED',
      `the witness accepted the counter-signature but does not serve it at ${path}`,
      { field: 'witness.url' },
    );
  requireOurs(o, stored, path);
  return 'uploaded';
}

/** The counter-signature the witness serves for the epoch, or undefined (404 `RESOURCE_UNKNOWN`). */
async function heldCountersignature(o: UploadOptions, path: string): Promise<Countersignature | undefined> {
  let json: unknown;
  try {
    json = await getJson(o.url, path, o);
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'RESOURCE_UNKNOWN') return undefined;
    throw e;
  }
  const r = (json ?? {}) as Record<string, unknown>;
  const hex = (v: unknown, field: string, length: number) => {
    try {
      if (typeof v === 'string') return hexDecode(v, field, length);
    } catch (cause) {
      throw new UsageError('WITNESS_REPLY_INVALID', `${field}: want ${length} bytes of lowercase hex`, {
        field,
        cause,
      });
    }
    throw new UsageError('WITNESS_REPLY_INVALID', `${field}: want lowercase hex`, { field });
  };
  const algorithm = r['algorithm'];
  if (algorithm !== 'ed25519' && algorithm !== 'p256')
    throw new UsageError('WITNESS_REPLY_INVALID', 'countersignature.algorithm: want ed25519 or p256', {
      field: 'countersignature.algorithm',
    });
  return {
    algorithm,
    publicKey: hex(r['public_key'], 'countersignature.public_key', algorithm === 'ed25519' ? 32 : 65),
    signature: hex(r['signature'], 'countersignature.signature', 64),
  };
}

/** Returns when `held` is ours; throws `CEREMONY_COUNTERSIGNATURE_CONFLICT` otherwise. */
function requireOurs(o: UploadOptions, held: Countersignature, path: string): void {
  const ours = o.countersignature;
  if (
    held.algorithm === ours.algorithm &&
    equalBytes(held.publicKey, ours.publicKey) &&
    equalBytes(held.signature, ours.signature)
  )
    return;
  throw new VerificationError(
    'CEREMONY_COUNTERSIGNATURE_CONFLICT',
    `the witness holds another counter-signature for ${o.namespace} epoch ${o.epoch} (${held.algorithm} key ${hexEncode(held.publicKey)}) at ${path}; it never replaces one`,
    { field: 'witness.url' },
  );
}

async function getText(base: string, path: string): Promise<string> {
  const url = witnessUrl(base, path);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new UsageError('WITNESS_HTTP_FAILED', `${url}: ${(e as Error).message}`, { cause: e });
  }
  const text = await res.text();
  if (!res.ok)
    throw new UsageError('WITNESS_HTTP_FAILED', `${url}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text;
}
