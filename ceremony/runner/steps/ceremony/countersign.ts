/**
 * `countersign`: the operator's key, inside its HSM (`operator.hsm`, `operator.label`), counter-
 * signs the witness signature (ceremony/statement/countersign.ts: domain-separated, over the
 * statement's digest and the witness signature). The result is verified under the key's public
 * half and saved as `countersignature.sig`. A counter-signature saved by an earlier attempt is
 * verified and kept.
 */
import { hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError } from '../../../errors.js';
import { countersign, verifyCountersignature } from '../../../statement/index.js';
import type { StepKind } from '../../step-kind.js';
import { ARTIFACTS, artifactPath, readArtifact, requireArtifact, writeArtifact } from './artifacts.js';
import { note } from './params.js';

/** The `countersign` step kind. */
export const countersignStep: StepKind = {
  kind: 'countersign',
  summary: "counter-sign the witness signature with the operator's key in its HSM",
  outputs: ['sha256', 'operatorKey'],
  describe: (_step, script) => [
    `The operator key "${script.operator.label}" (${script.operator.algorithm}) in ${script.operator.hsm} counter-signs the witness signature.`,
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
    return { sha256: digest, operatorKey: hexEncode(key.publicKey) };
  },
};
