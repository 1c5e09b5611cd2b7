/**
 * `writeEvidencePackage`: the ceremony's last step (docs/evidence.md, "Writing a package"). From
 * artifacts already made it lays out the content, verifies it against the ceremony's own trust
 * file (it never publishes evidence that does not verify), renders report.pdf, SUMMARY.md,
 * summary.html and VERIFY.md from the verified facts, builds manifest.json and SHA256SUMS, has
 * the operator key sign SHA256SUMS in its HSM, verifies the whole package once more exactly as a
 * reader will, and only then creates the directory, exclusively and atomically, every file fsync'ed.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { equalBytes, hexEncode, utf8Encode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import {
  buildManifest,
  CheckRecorder,
  contentSteps,
  EVIDENCE_FILES,
  encodeEvidenceSignature,
  evidenceSignatureMessage,
  renderManifest,
  renderSums,
  verifyEvidence,
  verifyEvidenceSignatureWith,
} from '../verify/index.js';
import type { EvidenceCheck, ManifestStated } from '../verify/index.js';
import { assembleContent } from './assemble.js';
import { anchorsOf, standaloneVerifierSha256, STANDALONE_VERIFIER, toolIdentity } from './defaults.js';
import { writeDirExclusive } from './package-dir.js';
import type { EvidenceInputs, EvidenceWritten } from './inputs.js';
import { renderReportPdf } from './pdf/report.js';
import { renderSummaryHtml, renderSummaryMarkdown } from './summary.js';
import { renderVerifyMd } from './verify-md.js';
import { evidenceView } from './view.js';

function refused(what: string, checks: readonly EvidenceCheck[]): UsageError {
  const bad = checks.filter((c) => !c.ok && c.skipped !== true);
  const list = bad
    .slice(0, 5)
    .map((c) => `${c.id}: ${c.reason}${c.code === undefined ? '' : ` [${c.code}]`}`);
  return new UsageError(
    'EVIDENCE_INPUT_REJECTED',
    `${what}; nothing was written. ${bad.length} check(s) failed: ${list.join('; ')}`,
    { field: bad[0]?.id ?? 'inputs' },
  );
}

function refuseExisting(dir: string): void {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st !== undefined && (!st.isDirectory() || readdirSync(dir).length > 0)) {
    throw new UsageError('EVIDENCE_OUTPUT_EXISTS', 'already exists; evidence is never overwritten', {
      file: dir,
    });
  }
}

/**
 * Writes an evidence package to `dir` (created; never overwritten).
 *
 * @param dir - the package directory; it must not exist, or be empty.
 * @param inputs - the ceremony's artifacts, the trust file it ran against, the operator signer.
 * @returns what was written, with the evidence digest (SHA-256 of SHA256SUMS) to read aloud.
 * @throws UsageError `EVIDENCE_OUTPUT_EXISTS`, `EVIDENCE_OUTPUT_UNWRITABLE`,
 *   `EVIDENCE_INPUT_INVALID`, `EVIDENCE_INPUT_MISMATCH`, `EVIDENCE_INPUT_REJECTED` (the artifacts
 *   do not verify against `inputs.trust`: every failed check is named), `EVIDENCE_SIGNER_MISMATCH`
 *   (the signer is not the key that counter-signed), `EVIDENCE_SIGNATURE_SELF_CHECK_FAILED`; the
 *   HSM's own errors from `signer.sign`.
 * @example
 * const signer = { algorithm: 'ed25519', publicKey, sign: (m) => hsm.sign('operator-countersign', m) };
 * const out = await writeEvidencePackage('evidence/epoch-1', { bundle, attestations, deviceChains, transcript, nonce, trust, signer });
 */
export async function writeEvidencePackage(dir: string, inputs: EvidenceInputs): Promise<EvidenceWritten> {
  refuseExisting(dir);
  const content = assembleContent(inputs);
  const createdAt = inputs.createdAt ?? content.lastRecordTime;
  if (!Number.isSafeInteger(createdAt) || createdAt < 0)
    throw new UsageError('EVIDENCE_INPUT_INVALID', 'createdAt: want ms since the Unix epoch', {
      field: 'createdAt',
    });
  const trust = inputs.trust;
  const rec = new CheckRecorder();
  const facts = await contentSteps(
    content.files,
    trust,
    { profile: trust.profile, createdAt, nonce: content.nonce, formats: content.formats },
    rec,
  );
  if (!rec.clean)
    throw refused(
      `the ceremony's artifacts do not verify against its trust file (profile ${trust.profile})`,
      rec.checks,
    );
  const operator = facts.bundle!.verified!.operatorKey;
  const signer = inputs.signer;
  if (signer.algorithm !== operator.algorithm || !equalBytes(signer.publicKey, operator.publicKey)) {
    throw new UsageError(
      'EVIDENCE_SIGNER_MISMATCH',
      'signer: is not the operator key that counter-signed the witness statement',
      { field: 'signer' },
    );
  }
  const stated: ManifestStated = {
    createdAt: new Date(createdAt).toISOString(),
    nonce: content.nonce,
    tool: inputs.tool ?? toolIdentity(),
    verifier: {
      file: STANDALONE_VERIFIER,
      sha256: inputs.verifierSha256 === undefined ? standaloneVerifierSha256() : inputs.verifierSha256,
    },
    anchors: anchorsOf(trust),
    formats: content.formats,
  };
  const files = content.files;
  // The view needs a manifest; its file list is not shown, so a preliminary one serves.
  const view = evidenceView(
    facts,
    buildManifest(facts.bundle!, facts.transcript!.transcript, operator, stated, files),
  );
  files.set(EVIDENCE_FILES.summary, utf8Encode(renderSummaryMarkdown(view)));
  files.set(EVIDENCE_FILES.summaryHtml, utf8Encode(renderSummaryHtml(view)));
  files.set(EVIDENCE_FILES.verify, utf8Encode(renderVerifyMd(view)));
  files.set(EVIDENCE_FILES.report, await renderReportPdf(view));
  files.set(
    EVIDENCE_FILES.manifest,
    utf8Encode(
      renderManifest(buildManifest(facts.bundle!, facts.transcript!.transcript, operator, stated, files)),
    ),
  );
  const sums = utf8Encode(renderSums([...files].map(([path, bytes]) => ({ path, sha256: sha256(bytes) }))));
  files.set(EVIDENCE_FILES.sums, sums);
  const message = evidenceSignatureMessage(sums);
  const signature = encodeEvidenceSignature(signer.algorithm, await signer.sign(message));
  if (!verifyEvidenceSignatureWith(signer, message, signature)) {
    throw new UsageError(
      'EVIDENCE_SIGNATURE_SELF_CHECK_FAILED',
      "signer: the HSM's signature over SHA256SUMS does not verify under the operator key",
      { field: 'signer' },
    );
  }
  files.set(EVIDENCE_FILES.sumsSignature, signature);
  const report = await verifyEvidence(files, trust, { profile: trust.profile });
  if (!report.ok) throw refused('the package does not verify as a reader would verify it', report.checks);
  await writeDirExclusive(dir, files);
  return {
    dir,
    files: files.size,
    bytes: [...files.values()].reduce((n, b) => n + b.length, 0),
    evidenceSha256: hexEncode(sha256(sums)),
    keySetSha256: hexEncode(facts.bundle!.keySetSha256),
    rehearsal: facts.rehearsal,
  };
}
