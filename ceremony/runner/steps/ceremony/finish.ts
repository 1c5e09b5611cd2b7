/**
 * After the seal: the evidence package (docs/evidence.md). `writeCeremonyEvidence` writes the
 * package the `build-evidence` step planned (with the sealed transcript), signs its SHA256SUMS
 * with the operator key in its HSM, packs the deterministic `.tar.gz`, and verifies both as a
 * reader will. Safe to repeat: a package already there is verified instead of written again, and
 * a missing `.tar.gz` is packed. `run`, `resume` and `demo` call it once the ceremony is sealed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { equalBytes, hexDecode, hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { VerificationError } from '../../../errors.js';
import {
  evidenceSignerFromHsm,
  loadEvidencePackage,
  packTarGz,
  writeEvidencePackage,
} from '../../../evidence/index.js';
import { EVIDENCE_FILES, verifyEvidence } from '../../../verify/index.js';
import type { EvidenceReport } from '../../../verify/index.js';
import { openDevice, scriptPath } from '../../devices.js';
import type { Prompts } from '../../prompts.js';
import type { CeremonyScript } from '../../script/types.js';
import { WORKDIR_FILES } from '../../workdir.js';
import { verifyTranscript } from '../../../transcript/verify.js';
import { ARTIFACTS, readArtifact } from './artifacts.js';
import { savedAttestations, savedChains, signedParts } from './ceremony-artifacts.js';
import { checkPlanInputs, readPlan } from './evidence-plan.js';
import { readTrustFile } from './params.js';
import { testKillPoint } from './test-kill.js';

/** Options of {@link writeCeremonyEvidence}. */
export interface FinishOptions {
  script: CeremonyScript;
  scriptDir: string;
  workdir: string;
  prompts: Prompts;
  environment?: Readonly<Record<string, string | undefined>>;
  say?: (text: string) => void;
}

/** The evidence of a sealed ceremony. */
export interface CeremonyEvidence {
  dir: string;
  tarGz: string;
  evidenceSha256: string;
  keySetSha256: string;
  /** The verifier's report on the package, under the ceremony's trust file. */
  report: EvidenceReport;
  /** False when an earlier run had written the package already. */
  written: boolean;
}

/**
 * Writes (or checks) the evidence package of a sealed ceremony. Returns undefined for a script
 * without a `build-evidence` step (no plan).
 * @throws VerificationError `CEREMONY_NOT_SEALED`, `CEREMONY_EVIDENCE_INPUT_CHANGED`,
 *   `CEREMONY_EVIDENCE_OTHER`, `CEREMONY_EVIDENCE_INVALID` (the package does not verify); whatever the writer and the HSM throw.
 */
export async function writeCeremonyEvidence(o: FinishOptions): Promise<CeremonyEvidence | undefined> {
  if (readArtifact(o.workdir, ARTIFACTS.evidencePlan) === undefined) return undefined;
  const transcript = new Uint8Array(readFileSync(join(o.workdir, WORKDIR_FILES.transcript)));
  if (!verifyTranscript(transcript, { allowUnsealed: true }).sealed)
    throw new VerificationError(
      'CEREMONY_NOT_SEALED',
      'the transcript is not sealed: resume the ceremony first',
      {
        file: join(o.workdir, WORKDIR_FILES.transcript),
      },
    );
  const plan = readPlan(o.workdir);
  const { trust } = readTrustFile(scriptPath(o.scriptDir, plan.trust));
  const dir = scriptPath(o.scriptDir, plan.dir);
  const tarGz = `${dir}.tar.gz`;
  const written = !existsSync(dir);
  if (written) {
    checkPlanInputs(o.workdir, plan);
    testKillPoint('evidence-package:before');
    const op = o.script.operator;
    const spec = o.script.hsms.find((h) => h.id === op.hsm)!;
    const hsm = await openDevice(spec, {
      baseDir: o.scriptDir,
      label: `HSM ${spec.id} (${spec.site})`,
      prompts: o.prompts,
      ...(o.environment === undefined ? {} : { environment: o.environment }),
    });
    try {
      const parts = signedParts(o.workdir);
      await writeEvidencePackage(dir, {
        bundle: readArtifact(o.workdir, ARTIFACTS.bundle)!,
        fleetKeySet: parts.fleetKeySet,
        attestations: savedAttestations(o.workdir, o.script),
        deviceChains: savedChains(o.workdir, o.script),
        transcript,
        tlogProof: parts.tlogProof,
        nonce: hexDecode(plan.nonce, 'nonce', 32),
        trust,
        signer: await evidenceSignerFromHsm(hsm, op.label),
      });
    } finally {
      await hsm.close();
    }
    testKillPoint('evidence-package:after');
  }
  if (!existsSync(tarGz)) packTarGz(dir, tarGz);
  const files = loadEvidencePackage(dir);
  if (!equalBytes(files.get(EVIDENCE_FILES.transcript) ?? new Uint8Array(), transcript))
    throw new VerificationError(
      'CEREMONY_EVIDENCE_OTHER',
      "the package there holds another ceremony's transcript",
      { file: dir },
    );
  const report = await verifyEvidence(files, trust);
  const packed = await verifyEvidence(loadEvidencePackage(tarGz), trust);
  if (!report.ok || !packed.ok) {
    const bad = [...report.checks, ...packed.checks].filter((c) => !c.ok && c.skipped !== true);
    throw new VerificationError(
      'CEREMONY_EVIDENCE_INVALID',
      `the evidence package does not verify: ${bad
        .slice(0, 3)
        .map((c) => `${c.id}: ${c.reason}`)
        .join('; ')}`,
      { file: report.ok ? tarGz : dir },
    );
  }
  const sums = readFileSync(join(dir, EVIDENCE_FILES.sums));
  const evidenceSha256 = hexEncode(sha256(sums));
  o.say?.(
    `Evidence package ${written ? 'written and ' : ''}verified: ${dir} (and ${tarGz}); evidence digest ${evidenceSha256}.`,
  );
  return { dir, tarGz, evidenceSha256, keySetSha256: plan.keySetSha256, report, written };
}
