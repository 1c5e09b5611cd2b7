/**
 * `witness-submit`: sends the fleet key set and its attestations to the independent witness
 * (`witness.url`), or, for `local-rehearsal`, to a witness this process starts on loopback from a
 * data directory (`with.dataDir`, made beforehand with `witness keygen` and `witness namespace
 * add`, as the demo does). Requests are signed as operator `with.operator` (default: the fleet
 * id) by the operator's key in its HSM, or by a C2SP signer key file (`with.requestKey`). The
 * verified answer (statement, signature, key id, log index, tlog-proof) is saved under `witness/`
 * and recorded. Safe to repeat: see ./witness-exchange.ts. The `countersign` step reaches the same
 * witness, with the same request key, through {@link atWitness} and {@link requestSigner}.
 */
import { hexDecode, hexEncode, utf8Decode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError } from '../../../errors.js';
import { statementKeyId } from '../../../statement/index.js';
import { parseTlogProof } from '../../../tlog/index.js';
import { operatorSignerFromFile, operatorSignerFromHsm, serveWitness } from '../../../witness/index.js';
import type { OperatorSigner, SubmittedAttestation } from '../../../witness/index.js';
import { scriptPath } from '../../devices.js';
import type { CeremonyScript, ScriptStep } from '../../script/types.js';
import type { StepContext, StepKind } from '../../step-kind.js';
import {
  ARTIFACTS,
  readArtifact,
  requireArtifact,
  writeArtifact,
  writeOrCheckArtifact,
} from './artifacts.js';
import { testKillPoint } from './test-kill.js';
import { readAttestationFile } from './collect-attestations.js';
import { note, stringParam, stringParams } from './params.js';
import { exchangeWithWitness } from './witness-exchange.js';
import type { WitnessAnswer } from './witness-exchange.js';

/** The `witness.url` value that starts a local rehearsal witness. */
export const LOCAL_REHEARSAL = 'local-rehearsal';
/** Default data directory of the local rehearsal witness, relative to the script. */
export const DEFAULT_WITNESS_DIR = 'witness';

/** The `witness-submit` step kind. */
export const witnessSubmit: StepKind = {
  kind: 'witness-submit',
  summary: 'submit the fleet key set to the witness and verify its signed statement and log proof',
  outputs: ['statementSha256', 'logIndex', 'keyId', 'witnessKey'],
  params: {
    operator: 'operator name registered at the witness (default: the fleet id)',
    requestKey: 'C2SP signer key file that signs the requests (default: the operator key in its HSM)',
    dataDir: `data directory of the local rehearsal witness, relative to the script (default ${DEFAULT_WITNESS_DIR})`,
  },
  validate: (step, i) => stringParams(step, i, ['operator', 'requestKey', 'dataDir']),
  describe: (step, script) => [
    script.witness.url === LOCAL_REHEARSAL
      ? `Start the local rehearsal witness (${stringParam(step, 'dataDir', DEFAULT_WITNESS_DIR)}) on loopback and submit the fleet key set to it.`
      : `Submit the fleet key set to the witness at ${script.witness.url}.`,
    'Verify the signed statement and its inclusion in the witness log; record both.',
  ],
  async run(ctx) {
    const answer = savedAnswer(ctx) ?? (await submit(ctx));
    const statementSha256 = hexEncode(sha256(answer.statement));
    note(ctx, 'witness-statement', {
      statement: hexEncode(answer.statement),
      signature: hexEncode(answer.signature),
      keyId: answer.keyId,
      publicKey: hexEncode(answer.publicKey),
      logIndex: Number(answer.logIndex),
      tlogProof: answer.tlogProof,
      source: answer.source,
    });
    ctx.say(
      `The witness signed (key id ${answer.keyId}); log entry ${answer.logIndex}; statement ${statementSha256}.`,
    );
    return {
      statementSha256,
      logIndex: Number(answer.logIndex),
      keyId: answer.keyId,
      witnessKey: hexEncode(answer.publicKey),
    };
  },
};

async function submit(ctx: StepContext): Promise<WitnessAnswer> {
  const s = ctx.script;
  if (s.witness.namespace !== undefined && s.witness.namespace !== s.ceremony.namespace)
    throw new UsageError(
      'CEREMONY_WITNESS_NAMESPACE',
      'witness.namespace must be ceremony.namespace: the witness signs the fleet key set for its own namespace',
      {
        field: 'witness.namespace',
      },
    );
  const fleetKeySet = requireArtifact(ctx.workdir, ARTIFACTS.fleetKeySet, 'assemble-key-set');
  const attestations: SubmittedAttestation[] = s.keys.map((k) => ({
    keyId: k.label,
    ...readAttestationFile(ctx.workdir, k.label)!,
  }));
  const operator = await requestSigner(ctx, ctx.step);
  const exchange = (url: string) =>
    exchangeWithWitness({
      url,
      fleetKeySet,
      attestations,
      operator,
      ...(s.witness.publicKey === undefined ? {} : { pinnedKey: s.witness.publicKey }),
    });
  const answer = await atWitness(ctx, ctx.step, exchange);
  testKillPoint(`${ctx.step.id}:signed`);
  // The statement key is written last: its file marks a complete answer.
  writeOrCheckArtifact(ctx.workdir, ARTIFACTS.statement, answer.statement);
  writeOrCheckArtifact(ctx.workdir, ARTIFACTS.statementSignature, answer.signature);
  // A proof read back after a lost answer may lead to a later checkpoint: the first one saved stays.
  if (readArtifact(ctx.workdir, ARTIFACTS.tlogProof) === undefined)
    writeArtifact(ctx.workdir, ARTIFACTS.tlogProof, answer.tlogProof);
  writeArtifact(ctx.workdir, ARTIFACTS.witnessKey, hexEncode(answer.publicKey) + '\n');
  return { ...savedAnswer(ctx)!, source: answer.source };
}

/** The answer an earlier attempt saved completely, if any (the key file is written last). */
function savedAnswer(ctx: StepContext): WitnessAnswer | undefined {
  const key = readArtifact(ctx.workdir, ARTIFACTS.witnessKey);
  if (key === undefined) return undefined;
  const statement = requireArtifact(ctx.workdir, ARTIFACTS.statement, 'witness-submit');
  const signature = requireArtifact(ctx.workdir, ARTIFACTS.statementSignature, 'witness-submit');
  const tlogProof = utf8Decode(requireArtifact(ctx.workdir, ARTIFACTS.tlogProof, 'witness-submit'));
  const publicKey = hexDecode(utf8Decode(key).trim(), ARTIFACTS.witnessKey, 32);
  return {
    statement,
    signature,
    keyId: statementKeyId(publicKey),
    logIndex: parseTlogProof(tlogProof).index,
    tlogProof,
    publicKey,
    source: 'saved',
  };
}

/** The script's `witness-submit` step: where later steps find how to reach the witness. */
export function witnessSubmitStepOf(script: CeremonyScript): ScriptStep | undefined {
  return script.steps.find((s) => s.kind === witnessSubmit.kind);
}

/**
 * Runs `use` with the URL of the script's witness (`witness.url`); for `local-rehearsal`, a witness
 * this process starts on loopback from `step`'s `dataDir` for the call and closes afterwards.
 */
export async function atWitness<T>(
  ctx: StepContext,
  step: ScriptStep | undefined,
  use: (url: string) => Promise<T>,
): Promise<T> {
  if (ctx.script.witness.url !== LOCAL_REHEARSAL) return use(ctx.script.witness.url);
  const dataDir =
    step === undefined ? DEFAULT_WITNESS_DIR : stringParam(step, 'dataDir', DEFAULT_WITNESS_DIR);
  const local = await serveWitness({ dir: scriptPath(ctx.scriptDir, dataDir), listen: '127.0.0.1:0' });
  ctx.say(`Local rehearsal witness listening on ${local.url}.`);
  try {
    return await use(local.url);
  } finally {
    await local.close();
  }
}

/**
 * The key that signs requests to the witness, as `step` (a `witness-submit` step) names it:
 * `with.requestKey` (a C2SP signer key file), else the operator key in its HSM; the operator name
 * is `with.operator`, else the fleet id.
 */
export async function requestSigner(ctx: StepContext, step: ScriptStep | undefined): Promise<OperatorSigner> {
  const keyFile = step?.with?.['requestKey'];
  const name = step?.with?.['operator'];
  if (typeof keyFile === 'string')
    return operatorSignerFromFile(
      scriptPath(ctx.scriptDir, keyFile),
      typeof name === 'string' ? name : undefined,
    );
  const op = ctx.script.operator;
  return operatorSignerFromHsm(
    await ctx.hsm(op.hsm),
    op.label,
    typeof name === 'string' ? name : ctx.script.ceremony.fleetId,
  );
}
