/**
 * `build-evidence`: the last step before the seal. The evidence package holds the sealed
 * transcript, so it is written right after the seal (./finish.ts, by `run`, `resume` and `demo`);
 * this step fixes everything else first: it refuses an evidence directory that exists (outputs are
 * never overwritten), checks every input is there, and records the evidence plan (./evidence-plan.ts)
 * so the final sign-offs cover the digest of every input. Outputs the plan's digest (`planSha256`)
 * for reading aloud.
 */
import { readdirSync, statSync } from 'node:fs';
import { equalBytes, hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError } from '../../../errors.js';
import { scriptPath } from '../../devices.js';
import type { StepContext, StepKind } from '../../step-kind.js';
import type { JsonObject } from '../../../transcript/records.js';
import { ARTIFACTS, artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { buildPlan, encodePlan } from './evidence-plan.js';
import { DEFAULT_TRUST_FILE, TRUST_PARAM, note, readTrust, stringParam, stringParams } from './params.js';

/** The `build-evidence` step kind. */
export const buildEvidence: StepKind = {
  kind: 'build-evidence',
  summary: 'fix the evidence package inputs before the seal; the package is written right after the seal',
  outputs: ['planSha256', 'dir'],
  params: { ...TRUST_PARAM },
  validate: (step, i) => stringParams(step, i, ['trust']),
  describe: (_step, script) => [
    `Check ${script.outputs.evidence} does not exist, and record the digest of every input of the evidence package.`,
    'The package itself (with the sealed transcript, report.pdf, SUMMARY.md, VERIFY.md) is written right after the seal.',
  ],
  async run(ctx) {
    const dir = scriptPath(ctx.scriptDir, ctx.script.outputs.evidence);
    refuseExisting(dir);
    refuseExisting(`${dir}.tar.gz`);
    const { text } = readTrust(ctx);
    const plan = buildPlan(ctx.workdir, ctx.script, {
      trust: stringParam(ctx.step, 'trust', DEFAULT_TRUST_FILE),
      trustText: text,
      nonce: nonceOf(ctx),
    });
    const bytes = encodePlan(plan);
    const saved = readArtifact(ctx.workdir, ARTIFACTS.evidencePlan);
    if (saved === undefined) writeArtifact(ctx.workdir, ARTIFACTS.evidencePlan, bytes);
    else if (!equalBytes(saved, bytes))
      throw new VerificationError(
        'CEREMONY_EVIDENCE_PLAN_CHANGED',
        'the evidence plan saved before the interruption differs from the inputs now',
        {
          file: artifactPath(ctx.workdir, ARTIFACTS.evidencePlan),
        },
      );
    const planSha256 = hexEncode(sha256(bytes));
    note(ctx, 'evidence-plan', { sha256: planSha256, ...(plan as unknown as JsonObject) });
    ctx.say(
      `Evidence plan recorded (${Object.keys(plan.inputs).length} inputs); the package goes to ${plan.dir} after the seal.`,
    );
    return { planSha256, dir: plan.dir };
  },
};

/** The nonce the `collect-attestations` step recorded. */
function nonceOf(ctx: StepContext): string {
  const step = ctx.script.steps.find((s) => s.kind === 'collect-attestations');
  const nonce = step === undefined ? undefined : ctx.output(step.id, 'nonce');
  if (typeof nonce !== 'string')
    throw new UsageError(
      'CEREMONY_NONCE_MISSING',
      'no collect-attestations step recorded a nonce before this step',
      {
        field: `steps.${ctx.step.id}`,
      },
    );
  return nonce;
}

function refuseExisting(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st !== undefined && (!st.isDirectory() || readdirSync(path).length > 0))
    throw new UsageError(
      'CEREMONY_EVIDENCE_EXISTS',
      'already exists; evidence is never overwritten (choose another outputs.evidence)',
      {
        file: path,
      },
    );
}
