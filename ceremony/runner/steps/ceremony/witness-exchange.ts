/**
 * One submission of the fleet key set to a witness, safe to repeat: the first time the witness
 * signs and answers; after an interruption that lost the answer, the witness refuses a second
 * signature (`DIGEST_ALREADY_SIGNED`) and the signed record is read back from its audit API
 * instead. Either way the answer is verified (statement, signature under the key in force, log
 * proof under the log key) before it is used, and the statement key must be the one the script
 * pins, when it pins one.
 */
import { decodeFleetKeySet, fleetKeySetDigest } from '../../../bundle/index.js';
import { equalBytes, hexEncode } from '../../../codec/index.js';
import { UsageError, VerificationError, isCeremonyError } from '../../../errors.js';
import {
  getJson,
  parseAuditJson,
  parseInfoJson,
  selectStatementKey,
  submitFleetKeySet,
  verifySignReply,
  witnessUrl,
} from '../../../witness/index.js';
import type { OperatorSigner, SubmittedAttestation, WitnessAudit } from '../../../witness/index.js';
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
