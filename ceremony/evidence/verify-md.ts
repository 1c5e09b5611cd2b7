/**
 * VERIFY.md: how to verify the package with this tool, with the single-file verifier (and its
 * SHA-256), and by hand with stock tools (./recipe.ts, between the markers the test suite uses
 * to run it), then which signature covers what (the table of docs/evidence.md) and the anchors
 * the ceremony used, for comparison only.
 */
import { coverageMarkdown } from '../verify/coverage.js';
import { REHEARSAL_BANNER, REHEARSAL_DETAIL } from './summary.js';
import { stockToolsRecipe } from './recipe.js';
import type { EvidenceView } from './view.js';

/** The marker before the recipe's code block. */
export const RECIPE_BEGIN = '<!-- stock-tools-recipe:begin -->';
/** The marker after it. */
export const RECIPE_END = '<!-- stock-tools-recipe:end -->';

/** The recipe's bash text inside a VERIFY.md (between the markers, without the fence). */
export function extractRecipe(verifyMd: string): string | undefined {
  const a = verifyMd.indexOf(RECIPE_BEGIN);
  const b = verifyMd.indexOf(RECIPE_END);
  if (a < 0 || b < a) return undefined;
  const block = verifyMd.slice(a + RECIPE_BEGIN.length, b).trim();
  const m = /^```bash\n([^]*)\n```$/.exec(block);
  return m === null ? undefined : m[1] + '\n';
}

/** VERIFY.md for the package `v` describes. */
export function renderVerifyMd(v: EvidenceView): string {
  const m = v.manifest;
  const a = m.anchors;
  const lines: string[] = [];
  lines.push(`# Verifying this evidence package`, '');
  if (v.rehearsal) lines.push(`> **${REHEARSAL_BANNER}.** ${REHEARSAL_DETAIL}`, '');
  lines.push(
    `Fleet \`${m.fleet.fleetId}\`, epoch ${m.fleet.epoch} of namespace \`${m.fleet.namespace}\`; ceremony \`${m.ceremony.id}\`, package made ${m.createdAt}.`,
    `Fleet key set SHA-256: \`${m.fleet.keySetSha256}\`.`,
    '',
    'Everything below checks the package against the keys **you** pin, in a trust file (docs/trust-file.md of fleet-ceremony):',
    'the witness statement keys, the witness log key, the operator keys and the HSM vendor roots. Nothing in the package is trusted by itself.',
    '',
    '## 1. With fleet-ceremony',
    '',
    '```sh',
    'fleet-ceremony verify <this directory, or its .tar.gz> --trust trust.json [--profile production|rehearsal] [--json]',
    '```',
    '',
    'It lists every check with its result and reason, and exits 0 when the package verifies, 1 when it is refused, 2 for',
    'unreadable input or bad usage. It never uses the network. `--profile production` refuses emulated HSMs.',
    '',
    '## 2. With the single-file verifier',
    '',
    '```sh',
    'node fleet-verify.mjs <this directory, or its .tar.gz> --trust trust.json',
    '```',
    '',
    m.verifier.sha256 === null
      ? 'This package was made before the single-file verifier was built: take `fleet-verify.mjs` from a fleet-ceremony release and check its published SHA-256.'
      : `\`fleet-verify.mjs\` needs nothing but Node.js 20. The one this package was made with has SHA-256 \`${m.verifier.sha256}\`; check yours with \`sha256sum fleet-verify.mjs\` before you run it.`,
    '',
    '## 3. By hand, with stock tools',
    '',
    'Save the script below as `verify.sh` and run it in this directory with the anchors of your trust file, for example',
    '`WITNESS_KEY=… LOG_KEY=… OPERATOR_KEY=… OPERATOR_ALG=ed25519 VENDOR_ROOTS=roots.pem bash verify.sh`.',
    'It needs bash, coreutils (sha256sum, base64, od), sed, awk, grep and openssl 3. It checks the package signature, every',
    "file's digest, the witness and counter-signatures, the checkpoint signature and the attestation chains; the log",
    'inclusion proof, the transcript sign-offs and the attestation policy (challenge, key properties, profile) need the verifier.',
    '',
    RECIPE_BEGIN,
    '```bash',
    stockToolsRecipe(v).trimEnd(),
    '```',
    RECIPE_END,
    '',
    '## 4. What covers what',
    '',
    'Every byte of the package is covered by a digest a pinned key signed: the operator signs `SHA256SUMS`, which lists the',
    "SHA-256 of every other file. Most files are also vouched for independently (the witness's, the log's and the vendors'",
    'signatures), which the verifier checks too:',
    '',
    coverageMarkdown().trimEnd(),
    '',
    '## 5. The anchors this package was made against',
    '',
    'For comparison with your trust file only: a forger would put their own keys here.',
    '',
    ...a.witnessKeys.map(
      (k) =>
        `- witness statement key \`${k.publicKey}\`, from ${k.notBefore}${k.notAfter === undefined ? '' : ` until ${k.notAfter}`}`,
    ),
    `- witness log key \`${a.logKey}\``,
    ...a.operatorKeys.map((k) => `- operator key (${k.algorithm}) \`${k.publicKey}\``),
    ...a.vendorRoots.flatMap((r) => [
      ...r.sha256.map((h) => `- HSM vendor root "${r.name}", certificate SHA-256 \`${h}\``),
      ...(r.publicKeys ?? []).map(
        (h) => `- HSM vendor root "${r.name}", public key (DER SPKI) SHA-256 \`${h}\``,
      ),
    ]),
    ...a.namespaces.map((n) => `- namespace \`${n}\``),
    '',
  );
  return lines.join('\n');
}
