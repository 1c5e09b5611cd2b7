/**
 * Verifying what the witness answered, as an operator does before using it (and as tests do):
 * the statement decodes to the expected namespace, epoch and digest; the signature verifies
 * under the statement key in force at the statement's timestamp (rotation by `not_before`) whose
 * key id matches; the tlog-proof shows the statement's log entry in a checkpoint signed by the
 * log key.
 *
 * Portable: no `node:` imports.
 */
import { witnessLogLeaf } from '../../bundle/index.js';
import { equalBytes, hexEncode } from '../../codec/index.js';
import { VerificationError } from '../../errors.js';
import { decodeSignatureMessage, statementKeyId, verifyWitnessStatement } from '../../statement/index.js';
import { verifyTlogProof } from '../../tlog/index.js';
import type { Verifier, VerifiedTlogProof } from '../../tlog/index.js';
import { selectStatementKey } from '../keys/select.js';
import type { DatedKey } from '../keys/select.js';
import type { WitnessAudit } from './reply.js';

function fail(code: string, message: string): never {
  throw new VerificationError(code, message);
}

/** What the caller expects the witness to have signed. */
export interface ExpectedStatement {
  namespace: string;
  epoch: bigint;
  digest: Uint8Array;
}

/**
 * Verifies a sign reply (it must carry `tlogProof`).
 * @throws VerificationError `WITNESS_STATEMENT_MISMATCH`, `WITNESS_KEY_UNKNOWN`,
 *   `WITNESS_SIGNATURE_INVALID`, `WITNESS_PROOF_MISSING`, `WITNESS_LOG_INDEX_MISMATCH`, and the
 *   `PROOF_*` / `CHECKPOINT_*` codes of `verifyTlogProof`.
 */
export function verifySignReply(
  reply: WitnessAudit,
  expected: ExpectedStatement,
  keys: readonly DatedKey[],
  logVerifier: Verifier,
): VerifiedTlogProof {
  const m = decodeSignatureMessage(reply.statement);
  if (
    m.namespace !== expected.namespace ||
    m.epoch !== expected.epoch ||
    !equalBytes(m.digest, expected.digest) ||
    m.namespace !== reply.namespace ||
    m.epoch !== reply.epoch ||
    m.timestamp !== reply.timestamp ||
    !equalBytes(m.digest, reply.digest)
  ) {
    fail(
      'WITNESS_STATEMENT_MISMATCH',
      `statement: says ${m.namespace}/${m.epoch}/${hexEncode(m.digest)}, want ${expected.namespace}/${expected.epoch}/${hexEncode(expected.digest)}`,
    );
  }
  const key = selectStatementKey(keys, m.timestamp);
  if (key === undefined || statementKeyId(key.publicKey) !== reply.keyId) {
    fail('WITNESS_KEY_UNKNOWN', `statement: no key in force at ${m.timestamp} with key id ${reply.keyId}`);
  }
  if (!verifyWitnessStatement(reply.statement, reply.signature, key.publicKey)) {
    fail(
      'WITNESS_SIGNATURE_INVALID',
      'signature: does not verify under the statement key in force at the statement time',
    );
  }
  if (reply.tlogProof === undefined) fail('WITNESS_PROOF_MISSING', 'tlog_proof: missing');
  const entry = witnessLogLeaf({
    statement: reply.statement,
    signature: reply.signature,
    keyId: reply.keyId,
  });
  const proof = verifyTlogProof(reply.tlogProof, { entry }, [logVerifier], { origin: logVerifier.name });
  if (proof.index !== reply.logIndex)
    fail('WITNESS_LOG_INDEX_MISMATCH', `tlog_proof: index ${proof.index}, reply says ${reply.logIndex}`);
  return proof;
}
