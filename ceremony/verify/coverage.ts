/**
 * Which signature covers each file of a package: one table, rendered into docs/evidence.md (a test
 * keeps them equal) and into every package's VERIFY.md, so the documentation, the packages and the
 * verifier state the same facts.
 *
 * Portable: no `node:` imports.
 */

/** One row: a file (or a family of files), what it is, and what vouches for its bytes. */
export interface CoverageRow {
  file: string;
  what: string;
  /** The signed digest that covers every byte of it. */
  coveredBy: string;
  /** What the verifier checks on top (independent signatures, regeneration, cross-checks). */
  alsoChecked: string;
}

/** The coverage table of format v1. */
export const COVERAGE: readonly CoverageRow[] = [
  {
    file: 'SHA256SUMS.sig',
    what: 'signature of the operator key (in its HSM) over `"fleet-ceremony evidence v1" 0x00 SHA-256(SHA256SUMS)`; Ed25519 raw, or P-256 DER with low S',
    coveredBy: 'itself: it verifies under an operator key pinned in the trust file',
    alsoChecked: 'the key is the one that counter-signed the witness statement',
  },
  {
    file: 'SHA256SUMS',
    what: 'SHA-256 of every other file, in `sha256sum` format',
    coveredBy: 'SHA256SUMS.sig',
    alsoChecked: 'strict form; lists exactly the other files',
  },
  {
    file: 'manifest.json',
    what: 'format, ceremony, fleet, witness, operator, every file with size and SHA-256, the anchors the ceremony used',
    coveredBy: 'SHA256SUMS',
    alsoChecked: 'rebuilt from the verified content and compared byte for byte',
  },
  {
    file: 'bundle.cbor',
    what: 'the validation bundle clients receive',
    coveredBy: 'SHA256SUMS',
    alsoChecked:
      'witness signature, operator counter-signature, log checkpoint signature and inclusion proof, all under pinned keys',
  },
  {
    file: 'fleet-key-set.cbor',
    what: 'the fleet key set',
    coveredBy: 'SHA256SUMS',
    alsoChecked: "equals the bundle's; its SHA-256 is what the witness signed",
  },
  {
    file: 'fleet-key-set.json',
    what: 'its JSON rendering',
    coveredBy: 'SHA256SUMS',
    alsoChecked: 'regenerated from fleet-key-set.cbor and compared',
  },
  {
    file: 'transcript.jsonl',
    what: 'the ceremony transcript',
    coveredBy: 'SHA256SUMS',
    alsoChecked:
      "hash chain; the witness-signed transcriptDigest names one of its records; participants' sign-offs",
  },
  {
    file: 'witness/statement.bin, witness/statement.sig',
    what: 'the witness statement and its Ed25519 signature, for openssl',
    coveredBy: 'SHA256SUMS',
    alsoChecked: "equal the bundle's; the signature verifies under the pinned witness key",
  },
  {
    file: 'witness/countersignature.sig',
    what: 'the operator counter-signature, for openssl (Ed25519 raw, P-256 DER)',
    coveredBy: 'SHA256SUMS',
    alsoChecked: "equals the bundle's; verifies under the pinned operator key",
  },
  {
    file: 'log/checkpoint, log/tlog-proof',
    what: 'the signed log checkpoint and the C2SP inclusion proof',
    coveredBy: 'SHA256SUMS',
    alsoChecked: "equal the bundle's; signed by the pinned log key",
  },
  {
    file: 'attestations/<hsm>/keys/<key>.statement',
    what: "a key's attestation statement",
    coveredBy: 'SHA256SUMS',
    alsoChecked:
      "its SHA-256 is the key's attestationDigest in the witness-signed fleet key set; verifies to a pinned vendor root",
  },
  {
    file: 'attestations/<hsm>/keys/<key>.chain.pem',
    what: 'the certificates between the statement and the vendor root',
    coveredBy: 'SHA256SUMS',
    alsoChecked: 'certificate signatures up to a pinned vendor root',
  },
  {
    file: 'attestations/<hsm>/device-chain.pem',
    what: "the HSM's identity chain, when it has one",
    coveredBy: 'SHA256SUMS',
    alsoChecked:
      "ends at a pinned vendor root; every certificate on the verified path of the HSM's attestations (so its signatures were checked); holds the certificate that signed them",
  },
  {
    file: 'report.pdf, SUMMARY.md, summary.html, VERIFY.md',
    what: 'renderings for people',
    coveredBy: 'SHA256SUMS',
    alsoChecked:
      'none: they are made from the verified content, but only the signature vouches for their bytes',
  },
];

/** The table in Markdown. */
export function coverageMarkdown(): string {
  const row = (c: string[]) => `| ${c.join(' | ')} |`;
  return (
    [
      row(['file', 'what it is', 'covered by', 'also checked']),
      row(['---', '---', '---', '---']),
      ...COVERAGE.map((r) => row([`\`${r.file}\``, r.what, r.coveredBy, r.alsoChecked])),
    ].join('\n') + '\n'
  );
}
