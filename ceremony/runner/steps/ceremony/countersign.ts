/**
 * `countersign`: the operator's key, inside its HSM (`operator.hsm`, `operator.label`), counter-
 * signs the witness signature (ceremony/statement/countersign.ts: domain-separated, over the
 * statement's digest and the witness signature). The result is verified under the key's public
 * half and saved as `countersignature.sig`, then uploaded to the witness the `witness-submit` step
 * talked to (same URL or local rehearsal witness, same request key), so auditors find it next to
 * the statement (`audit-namespace` requires it). Safe to repeat: a counter-signature saved by an
 * earlier attempt is verified and kept, and one the witness holds already is not posted again
 * (./witness-exchange.ts, `uploadCountersignatureOnce`).
 */
import { hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError } from '../../../errors.js';
import { countersign, decodeSignatureMessage, verifyCountersignature } from '../../../statement/index.js';
import type { StepContext, StepKind } from '../../step-kind.js';
import { ARTIFACTS, artifactPath, readArtifact, requireArtifact, writeArtifact } from './artifacts.js';
import { note } from './params.js';
import { testKillPoint } from './test-kill.js';
import { uploadCountersignatureOnce } from './witness-exchange.js';
import type { Countersignature, UploadResult } from './witness-exchange.js';
import { LOCAL_REHEARSAL, atWitness, requestSigner, witnessSubmitStepOf } from './witness-submit.js';

/** The `countersign` step kind. */
export const countersignStep: StepKind = {
  kind: 'countersign',
  summary:
    "counter-sign the witness signature with the operator's key in its HSM and upload it to the witness",
  outputs: ['sha256', 'operatorKey'],
  describe: (_step, script) => [
    `The operator key "${script.operator.label}" (${script.operator.algorithm}) in ${script.operator.hsm} counter-signs the witness signature.`,
    script.witness.url === LOCAL_REHEARSAL
      ? 'Upload the counter-signature to the local rehearsal witness.'
      : `Upload the counter-signature to the witness at ${script.witness.url}.`,
  ],
  async run(ctx) {
    const op = ctx.script.operator;
    const statement = requireArtifact(ctx.workdir, ARTIFACTS.statement, 'witness-submit');
    const witnessSignature = requireArtifact(ctx.workdir, ARTIFACTS.statementSignature, 'witness-submit');
    const hsm = await ctx.hsm(op.hsm);
    const key = await hsm.findKey(op.label);
    if (key === undefined || key.algorithm !== op.algorithm)
      throw new UsageError(
        'CEREMONY_OPERATOR_KEY_MISSING',
        `${op.hsm}/${op.label}: no ${op.algorithm} operator key in the HSM`,
        {
          field: 'operator.label',
        },
      );
    const algorithm = op.algorithm;
    let signature = readArtifact(ctx.workdir, ARTIFACTS.countersignature);
    const reused = signature !== undefined;
    if (signature === undefined) {
      signature = (await countersign(hsm, op.label, witnessSignature, statement)).signature;
      writeArtifact(ctx.workdir, ARTIFACTS.countersignature, signature);
    } else if (!verifyCountersignature(algorithm, key.publicKey, witnessSignature, statement, signature))
      throw new VerificationError(
        'CEREMONY_COUNTERSIGNATURE_INVALID',
        'the counter-signature saved before the interruption does not verify under the operator key',
        { file: artifactPath(ctx.workdir, ARTIFACTS.countersignature) },
      );
    const digest = hexEncode(sha256(signature));
    note(ctx, 'countersignature', {
      algorithm,
      publicKey: hexEncode(key.publicKey),
      signature: hexEncode(signature),
      reused,
    });
    ctx.say(`Counter-signed by ${op.hsm}/${op.label} (${algorithm}).`);
    testKillPoint(`${ctx.step.id}:countersigned`);
    await upload(ctx, statement, { algorithm, publicKey: key.publicKey, signature });
    return { sha256: digest, operatorKey: hexEncode(key.publicKey) };
  },
};

/** Uploads the counter-signature to the witness once, and records the upload. */
async function upload(ctx: StepContext, statement: Uint8Array, cs: Countersignature): Promise<void> {
  const m = decodeSignatureMessage(statement);
  const submit = witnessSubmitStepOf(ctx.script);
  const operator = await requestSigner(ctx, submit);
  const result: UploadResult = await atWitness(ctx, submit, (url) =>
    uploadCountersignatureOnce({
      url,
      namespace: m.namespace,
      epoch: m.epoch,
      operator,
      countersignature: cs,
    }),
  );
  const path = `/namespaces/${encodeURIComponent(m.namespace)}/audits/${m.epoch}/countersignature`;
  note(ctx, 'countersignature-upload', {
    witness: ctx.script.witness.url,
    path,
    namespace: m.namespace,
    epoch: Number(m.epoch),
    operator: operator.name,
    result,
  });
  ctx.say(
    result === 'uploaded'
      ? `Counter-signature uploaded to the witness (${path}).`
      : `The witness holds this counter-signature already (${path}); not sent again.`,
  );
}
