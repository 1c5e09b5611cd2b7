/**
 * The checks of one signed epoch in an audit (docs/witness.md, "Auditing a namespace"): the
 * record's statement, the artifact (fleet key set) and its attestations' digests, the witness
 * signature under the pinned keys, and the operator counter-signature under the pinned operator
 * keys. Log inclusion and the chain between epochs are checked by the caller, which sees all
 * epochs and the log.
 */
import { decodeFleetKeySet, fleetKeySetDigest } from '../../bundle/index.js';
import type { FleetKeySet, Trust } from '../../bundle/index.js';
import { inWindow } from '../../bundle/trust-validity.js';
import { equalBytes, hexDecode, hexEncode, utf8Decode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { isCeremonyError } from '../../errors.js';
import {
  decodeSignatureMessage,
  verifyCountersignature,
  verifyWitnessStatement,
} from '../../statement/index.js';
import type { WitnessAudit } from '../client/reply.js';
import { decodeAttestations } from '../policy/submission.js';
import type { AuditProblem, AuditProblemCode, CheckStatus } from './types.js';

/** What one epoch's checks found. */
export interface EpochFindings {
  statementOk: boolean;
  artifact: CheckStatus;
  witnessSignature: CheckStatus;
  countersignature: CheckStatus;
  ks?: FleetKeySet;
}

/** The raw documents of one epoch. */
export interface EpochDocuments {
  record: WitnessAudit;
  fleetKeySet: Uint8Array | undefined;
  attestations: Uint8Array | undefined;
  countersignature: Uint8Array | undefined;
}

const msg = (e: unknown) => (isCeremonyError(e) ? `${e.message} [${e.code}]` : String(e));

/** Runs the per-epoch checks, adding problems to `problems`. */
export function checkEpoch(
  ns: string,
  epoch: bigint,
  docs: EpochDocuments,
  trust: Trust,
  problems: AuditProblem[],
): EpochFindings {
  const add = (code: AuditProblemCode, message: string) => problems.push({ code, epoch, message });
  const r = docs.record;
  const out: EpochFindings = {
    statementOk: false,
    artifact: 'failed',
    witnessSignature: 'failed',
    countersignature: 'failed',
  };
  try {
    const m = decodeSignatureMessage(r.statement);
    out.statementOk =
      m.namespace === ns &&
      m.epoch === epoch &&
      m.timestamp === r.timestamp &&
      equalBytes(m.digest, r.digest) &&
      r.namespace === ns &&
      r.epoch === epoch;
    if (!out.statementOk)
      add(
        'AUDIT_STATEMENT_MISMATCH',
        `the signed statement says ${m.namespace}/${m.epoch}, digest ${hexEncode(m.digest)}; the record says ${r.namespace}/${r.epoch}, digest ${hexEncode(r.digest)}`,
      );
  } catch (e) {
    add('AUDIT_STATEMENT_MISMATCH', `the statement does not decode: ${msg(e)}`);
  }
  // Artifact
  if (docs.fleetKeySet === undefined) {
    out.artifact = 'missing';
    add('AUDIT_ARTIFACT_MISSING', 'the fleet key set is not published');
  } else if (!equalBytes(fleetKeySetDigest(docs.fleetKeySet), r.digest)) {
    add(
      'AUDIT_ARTIFACT_DIGEST_MISMATCH',
      `SHA-256 of the published fleet key set is ${hexEncode(fleetKeySetDigest(docs.fleetKeySet))}, the witness signed ${hexEncode(r.digest)}`,
    );
  } else {
    try {
      const ks = decodeFleetKeySet(docs.fleetKeySet);
      out.ks = ks;
      if (ks.namespace !== ns || ks.epoch !== epoch)
        add('AUDIT_ARTIFACT_MISMATCH', `the fleet key set is for ${ks.namespace}/${ks.epoch}`);
      else out.artifact = 'ok';
      const atts = docs.attestations === undefined ? [] : decodeAttestations(docs.attestations);
      for (const k of ks.keys) {
        const a = atts.find((x) => x.keyId === k.keyId);
        if (a === undefined || !equalBytes(sha256(a.statement), k.attestationDigest)) {
          add(
            'AUDIT_ATTESTATIONS_MISMATCH',
            `key ${k.keyId}: the published attestation is missing or is not the one the fleet key set names`,
          );
          out.artifact = 'failed';
        }
      }
    } catch (e) {
      add('AUDIT_ARTIFACT_MALFORMED', `the fleet key set does not parse: ${msg(e)}`);
    }
  }
  // Witness signature, under a pinned key valid at the statement's time with the record's key id.
  const keys = trust.witnessKeys.filter((k) => k.keyId === r.keyId && inWindow(k, Number(r.timestamp)));
  if (keys.length === 0) {
    add(
      'AUDIT_WITNESS_KEY_UNKNOWN',
      `no pinned witness key with key id ${r.keyId} is valid at ${new Date(Number(r.timestamp)).toISOString()}`,
    );
  } else if (keys.some((k) => safely(() => verifyWitnessStatement(r.statement, r.signature, k.publicKey)))) {
    out.witnessSignature = 'ok';
  } else {
    add(
      'AUDIT_WITNESS_SIGNATURE_INVALID',
      `the witness signature does not verify under the pinned key(s) with key id ${r.keyId}`,
    );
  }
  out.countersignature = checkCountersignature(docs.countersignature, r, trust, add);
  return out;
}

function safely(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

function checkCountersignature(
  bytes: Uint8Array | undefined,
  r: WitnessAudit,
  trust: Trust,
  add: (c: AuditProblemCode, m: string) => void,
): CheckStatus {
  if (bytes === undefined) {
    add('AUDIT_COUNTERSIGNATURE_MISSING', 'the operator has not published a counter-signature');
    return 'missing';
  }
  let c: { algorithm: string; publicKey: Uint8Array; signature: Uint8Array };
  try {
    const o = JSON.parse(utf8Decode(bytes)) as Record<string, unknown>;
    c = {
      algorithm: String(o['algorithm']),
      publicKey: hexDecode(String(o['public_key']), 'public_key'),
      signature: hexDecode(String(o['signature']), 'signature'),
    };
  } catch (e) {
    add('AUDIT_COUNTERSIGNATURE_INVALID', `the counter-signature document does not parse: ${msg(e)}`);
    return 'failed';
  }
  const key = trust.operatorKeys.find(
    (k) =>
      k.algorithm === c.algorithm && equalBytes(k.publicKey, c.publicKey) && inWindow(k, Number(r.timestamp)),
  );
  if (key === undefined) {
    add(
      'AUDIT_COUNTERSIGNATURE_KEY_UNTRUSTED',
      `the counter-signing ${c.algorithm} key ${hexEncode(c.publicKey).slice(0, 16)}… is not a pinned operator key valid at the statement time`,
    );
    return 'failed';
  }
  if (
    !safely(() => verifyCountersignature(key.algorithm, key.publicKey, r.signature, r.statement, c.signature))
  ) {
    add('AUDIT_COUNTERSIGNATURE_INVALID', 'the counter-signature does not verify over the witness signature');
    return 'failed';
  }
  return 'ok';
}
