/**
 * Evidence packages (docs/evidence.md), node side: the writer, the deterministic `.tar.gz`, the
 * bounded package reader the verifier CLI uses, and the renderings. Re-exports only; the
 * portable verifier is ceremony/verify.
 */
export { writeEvidencePackage } from './write.js';
export type { EvidenceAttestation, EvidenceInputs, EvidenceSigner, EvidenceWritten } from './inputs.js';
export { evidenceSignerFromHsm } from './inputs.js';
export type { EvidenceSigningHsm } from './inputs.js';
export { packTarGz } from './tar-pack.js';
export type { PackTarGzOptions, PackedTarGz } from './tar-pack.js';
export { readTarGz } from './tar-read.js';
export { loadEvidencePackage } from './load.js';
export { runVerify } from './run-verify.js';
export type { RunVerifyOptions } from './run-verify.js';
export { STANDALONE_VERIFIER, anchorsOf, standaloneVerifierSha256, toolIdentity } from './defaults.js';
export { RECIPE_BEGIN, RECIPE_END, extractRecipe, renderVerifyMd } from './verify-md.js';
export { REHEARSAL_BANNER, renderSummaryHtml, renderSummaryMarkdown } from './summary.js';
export { renderReportPdf } from './pdf/report.js';
export { evidenceView } from './view.js';
export type { EvidenceView, ShownDigest } from './view.js';
export { stockToolsRecipe, X509_STATEMENT_FORMATS } from './recipe.js';
