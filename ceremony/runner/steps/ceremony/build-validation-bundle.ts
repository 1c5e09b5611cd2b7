/**
 * `build-validation-bundle`: puts the validation bundle together (the fleet key set, the witness
 * statement and signature, the operator counter-signature, the log proof) and verifies it with
 * `verifyValidationBundle` against the ceremony's trust file, exactly as a client will, before the
 * ceremony goes on. Saved as `bundle.cbor`; the encoding is deterministic, so an earlier attempt's
 * file must be the same bytes.
 */
import { verifyValidationBundle } from '../../../bundle/index.js';
import { equalBytes, hexEncode, utf8Encode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError } from '../../../errors.js';
import type { StepKind } from '../../step-kind.js';
import { ARTIFACTS, artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { bundleOf, signedParts } from './ceremony-artifacts.js';
import { TRUST_PARAM, note, readTrust, stringParams } from './params.js';

/** The `build-validation-bundle` step kind. */
export const buildValidationBundle: StepKind = {
  kind: 'build-validation-bundle',
  summary: 'assemble the validation bundle and verify it against the trust file as a client would',
  outputs: ['sha256', 'bytes'],
  params: { ...TRUST_PARAM },
  validate: (step, i) => stringParams(step, i, ['trust']),
  describe: () => [
    'Assemble the validation bundle (fleet key set, witness statement and signature, counter-signature, log proof).',
    'Verify it against the pinned trust anchors, as every client will.',
  ],
  async run(ctx) {
    const op = ctx.script.operator;
    const key = await (await ctx.hsm(op.hsm)).findKey(op.label);
    if (key === undefined)
      throw new UsageError('CEREMONY_OPERATOR_KEY_MISSING', `${op.hsm}/${op.label}: no operator key`, {
        field: 'operator.label',
      });
    const bundle = bundleOf(signedParts(ctx.workdir), { algorithm: op.algorithm, publicKey: key.publicKey });
    const { trust, text } = readTrust(ctx);
    const v = verifyValidationBundle(bundle, trust, {
      now: ctx.now(),
      expectedNamespace: ctx.script.ceremony.namespace,
    });
    const saved = readArtifact(ctx.workdir, ARTIFACTS.bundle);
    if (saved === undefined) writeArtifact(ctx.workdir, ARTIFACTS.bundle, bundle);
    else if (!equalBytes(saved, bundle))
      throw new VerificationError(
        'CEREMONY_BUNDLE_CHANGED',
        'the bundle saved before the interruption differs from the one the same parts give now',
        {
          file: artifactPath(ctx.workdir, ARTIFACTS.bundle),
        },
      );
    const digest = hexEncode(sha256(bundle));
    note(ctx, 'validation-bundle', {
      sha256: digest,
      bytes: bundle.length,
      trustSha256: hexEncode(sha256(utf8Encode(text))),
      logIndex: Number(v.logIndex),
      witnessKey: hexEncode(v.witnessKey.publicKey),
      profile: trust.profile,
    });
    ctx.say(
      `Validation bundle: ${bundle.length} bytes, verified against the trust file (profile ${trust.profile}).`,
    );
    return { sha256: digest, bytes: bundle.length };
  },
};
