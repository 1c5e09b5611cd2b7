/**
 * Submitting a fleet key set to a witness as an operator (`witness sign`): builds the submission
 * from the fleet key set bytes and the keys' attestations, posts it signed, verifies the reply
 * against the witness's `/info` (or pinned keys), and optionally uploads the operator's
 * counter-signature of the witness signature.
 */
import { decodeFleetKeySet, fleetKeySetDigest } from '../../bundle/index.js';
import { parseVerifierKey } from '../../tlog/index.js';
import type { VerifiedTlogProof } from '../../tlog/index.js';
import { encodeCountersignature } from '../policy/countersignature.js';
import { encodeSubmission } from '../policy/submission.js';
import type { SubmittedAttestation } from '../policy/submission.js';
import { nsPath } from '../server/views.js';
import { getJson, postSigned } from './http-client.js';
import type { ClientOptions, OperatorSigner } from './http-client.js';
import { parseAuditJson, parseInfoJson } from './reply.js';
import type { WitnessAudit, WitnessInfo } from './reply.js';
import { verifySignReply } from './verify-reply.js';

/** What to submit. */
export interface SubmitOptions extends ClientOptions {
  url: string;
  fleetKeySet: Uint8Array;
  attestations: SubmittedAttestation[];
  operator: OperatorSigner;
  /** Keys to verify the reply with (default: the witness's own `/info`, trusted on first use). */
  info?: WitnessInfo;
}

/** A verified sign reply. */
export interface SubmitResult {
  reply: WitnessAudit;
  /** The raw JSON reply, as the witness sent it. */
  json: unknown;
  proof: VerifiedTlogProof;
  info: WitnessInfo;
}

/**
 * Submits a fleet key set for its namespace and epoch (read from the set) and verifies the reply.
 * @throws MalformedError from `decodeFleetKeySet`; WitnessError (the witness's refusal);
 *   UsageError `WITNESS_HTTP_FAILED`, `WITNESS_REPLY_INVALID`; VerificationError if the reply
 *   does not verify.
 */
export async function submitFleetKeySet(o: SubmitOptions): Promise<SubmitResult> {
  const ks = decodeFleetKeySet(o.fleetKeySet);
  const digest = fleetKeySetDigest(o.fleetKeySet);
  const body = encodeSubmission({
    epoch: ks.epoch,
    digest,
    fleetKeySet: o.fleetKeySet,
    attestations: o.attestations,
  });
  const info = o.info ?? parseInfoJson(await getJson(o.url, '/info', o));
  const json = await postSigned(o.url, `${nsPath(ks.namespace)}/sign`, body, o.operator, o);
  const reply = parseAuditJson(json);
  const proof = verifySignReply(
    reply,
    { namespace: ks.namespace, epoch: ks.epoch, digest },
    info.keys,
    parseVerifierKey(info.logVerifierKey),
  );
  return { reply, json, proof, info };
}

/**
 * Uploads the operator's counter-signature of a signed epoch.
 * @throws WitnessError (the witness's refusal); UsageError `WITNESS_HTTP_FAILED`.
 */
export async function uploadCountersignature(
  o: ClientOptions & { url: string; namespace: string; epoch: bigint; operator: OperatorSigner },
  cs: { algorithm: 'ed25519' | 'p256'; publicKey: Uint8Array; signature: Uint8Array },
): Promise<unknown> {
  return postSigned(
    o.url,
    `${nsPath(o.namespace)}/audits/${o.epoch}/countersignature`,
    encodeCountersignature(cs),
    o.operator,
    o,
  );
}
