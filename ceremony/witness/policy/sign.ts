/**
 * The signing transaction (docs/witness.md, "Signing policy" and "Crash safety"). One submission:
 *
 * 1. outside the queue: the namespace, the operator's right to submit, the body, the fleet key set,
 *    its validity window, the state rules (a first pass), the attestations;
 * 2. inside the one-at-a-time queue: finish any statement a crash left unlogged; check the state
 *    rules again; sign the statement (in memory: nothing has left the process);
 * 3. record it in the state (one durable transaction that re-runs the state rules, so nothing is
 *    recorded that the rules refuse), with the log index it will take;
 * 4. append it to the audit log (durable), then mark the row logged;
 * 5. checkpoint and build the tlog-proof; only now does the statement leave the process.
 *
 * A crash before 3 leaves no trace but a signature nobody saw. A crash between 3 and 4 leaves a row
 * with `logged = 0`, which {@link finishPending} appends on the next start (or the next request)
 * before anything else is signed, so a recorded statement always reaches the log, at the index it
 * was recorded with. Recording before appending means the state always knows at least what the
 * log holds, so an epoch can never be signed twice.
 */
import { witnessLogLeaf } from '../../bundle/index.js';
import { equalBytes } from '../../codec/index.js';
import { ed25519 } from '../../crypto/index.js';
import { VerificationError } from '../../errors.js';
import { CIPHERSUITE_PROTOBUF_ED25519, encodeSignatureMessage } from '../../statement/index.js';
import { refuse } from '../codes.js';
import type { WitnessVerificationErrorCode } from '../codes.js';
import type { NamespaceConfig } from '../config/types.js';
import { selectStatementKey } from '../keys/select.js';
import type { WitnessContext } from '../context.js';
import type { StatementRecord } from '../state/statements.js';
import { checkAttestations } from './attestations.js';
import { checkFleetKeySet, checkValidity } from './fleet-checks.js';
import { checkAgainstState } from './state-checks.js';
import { decodeSubmission, encodeAttestations } from './submission.js';

/** A signed, logged statement and its proof. */
export interface SignResult {
  record: StatementRecord;
  /** C2SP tlog-proof of the statement's log entry, with a signed checkpoint. */
  tlogProof: string;
}

/**
 * The namespace `name`, if the operator may submit to it and it is online.
 * @throws WitnessError `NAMESPACE_UNKNOWN` (404), `OPERATOR_NOT_AUTHORIZED` (403), `NAMESPACE_OFFLINE` (409).
 */
export function submissionNamespace(ctx: WitnessContext, name: string, operator: string): NamespaceConfig {
  const ns = ctx.config().namespaces.find((n) => n.name === name);
  if (ns === undefined)
    refuse('NAMESPACE_UNKNOWN', 'namespace', `no namespace ${JSON.stringify(name)} is registered`);
  if (!ns.operators.includes(operator)) {
    refuse(
      'OPERATOR_NOT_AUTHORIZED',
      'operator',
      `operator ${JSON.stringify(operator)} is not registered for namespace ${JSON.stringify(name)}`,
    );
  }
  if (!ns.online)
    refuse(
      'NAMESPACE_OFFLINE',
      'namespace',
      `namespace ${JSON.stringify(name)} is offline and signs nothing`,
    );
  return ns;
}

function mismatch(message: string): VerificationError {
  return new VerificationError<WitnessVerificationErrorCode>('WITNESS_STATE_LOG_MISMATCH', message);
}

/** The log entry of a recorded statement. */
export function logEntryOf(r: Pick<StatementRecord, 'statement' | 'signature' | 'keyId'>): Uint8Array {
  return witnessLogLeaf({ statement: r.statement, signature: r.signature, keyId: r.keyId });
}

/**
 * Appends every recorded-but-unlogged statement at its recorded index, then checks that the log
 * holds exactly the recorded statements.
 * @throws VerificationError `WITNESS_STATE_LOG_MISMATCH` when state and log disagree.
 */
export function finishPending(ctx: WitnessContext): void {
  const { log, state } = ctx;
  for (const row of state.statements.pending()) {
    const entry = logEntryOf(row);
    const size = log.size();
    if (row.logIndex === size) {
      log.appendSync([entry]);
    } else if (row.logIndex > size || !equalBytes(log.entry(row.logIndex), entry)) {
      throw mismatch(
        `statement ${row.namespace}/${row.epoch} was recorded at log index ${row.logIndex}, but the log (size ${size}) does not hold it there`,
      );
    }
    state.statements.markLogged(row.namespace, row.epoch);
  }
  const { rows, maxLogIndex } = state.statements.count();
  if (rows !== log.size() || maxLogIndex !== rows - 1n) {
    throw mismatch(
      `the state records ${rows} statement(s) (last log index ${maxLogIndex}), the log holds ${log.size()} entries`,
    );
  }
}

/**
 * Checks a submission against the whole signing policy and, if it passes, signs, records and logs
 * the statement.
 * @throws WitnessError for every refusal (see docs/witness.md); VerificationError
 *   `WITNESS_STATE_LOG_MISMATCH` if the log does not take the entry where the state put it.
 */
export async function signSubmission(
  ctx: WitnessContext,
  operator: string,
  namespace: string,
  body: Uint8Array,
): Promise<SignResult> {
  const ns = submissionNamespace(ctx, namespace, operator);
  const sub = decodeSubmission(body, ctx.config().limits.maxBodyBytes);
  const ks = checkFleetKeySet(ns.name, sub);
  const view = () => ({
    last: ctx.state.statements.last(ns.name),
    sameDigest: ctx.state.statements.byDigest(sub.digest),
  });
  checkValidity(ks, ctx.now(), ctx.config().limits);
  checkAgainstState(ns, ks, sub.digest, view());
  await checkAttestations(ks, sub.attestations, ns, new Date(ctx.now()));
  return ctx.serial.run(async () => {
    finishPending(ctx);
    checkAgainstState(ns, ks, sub.digest, view());
    const timestamp = ctx.now();
    const key = selectStatementKey(ctx.keys.statement, timestamp);
    if (key === undefined) throw new Error(`no statement key is in force at ${timestamp}`);
    const statement = encodeSignatureMessage({
      ciphersuite: CIPHERSUITE_PROTOBUF_ED25519,
      namespace: ns.name,
      timestamp,
      epoch: sub.epoch,
      digest: sub.digest,
    });
    const signature = await key.sign(statement);
    if (!ed25519.verify(key.publicKey, statement, signature))
      throw new Error('the statement key produced a signature that does not verify');
    const record = {
      namespace: ns.name,
      epoch: sub.epoch,
      digest: sub.digest,
      timestamp: BigInt(timestamp),
      keyId: key.keyId,
      publicKey: key.publicKey,
      statement,
      signature,
      fleetKeySet: sub.fleetKeySet,
      attestations: encodeAttestations(sub.attestations),
      operator,
      logIndex: ctx.log.size(),
    };
    ctx.state.record(() => checkAgainstState(ns, ks, sub.digest, view()), record);
    const { firstIndex } = ctx.log.appendSync([logEntryOf(record)]);
    if (firstIndex !== record.logIndex)
      throw mismatch(
        `the statement was recorded at log index ${record.logIndex} but appended at ${firstIndex}`,
      );
    ctx.state.statements.markLogged(ns.name, sub.epoch);
    const tlogProof = await ctx.tlogProof(record.logIndex);
    return { record: { ...record, logged: true }, tlogProof };
  });
}
