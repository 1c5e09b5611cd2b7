/**
 * Every check of the evidence verifier, in the order it runs, and every `EVIDENCE_*` code it
 * reports, with their Markdown tables (docs/evidence.md, "Checks" and "Codes", are generated from these lists and a test keeps
 * them in step). Checks also report the codes of the layers they call: `BUNDLE_*`
 * (docs/bundle-verification.md), `TRANSCRIPT_*` and `SIGNOFF_*` (docs/transcript.md), `ATTEST_*`
 * (docs/attestation.md).
 *
 * Portable: no `node:` imports.
 */

/** Check ids and titles, in order. `attestation:<keyId>` repeats once per fleet key. */
export const CHECKS = {
  'package.files': 'The package holds only files a package may hold, within the size limits',
  'package.sums': 'SHA256SUMS is well-formed',
  'package.signature': 'SHA256SUMS is signed by an operator key pinned in the trust file',
  'package.digests': 'Every file has the SHA-256 that SHA256SUMS lists; none is missing, none is unlisted',
  manifest: 'manifest.json is a well-formed, canonical v1 manifest',
  'bundle.decode': 'bundle.cbor decodes strictly (fleet key set, witness statement, checkpoint)',
  'bundle.binding':
    'The witness statement is about this fleet key set (digest, namespace, epoch), in a pinned namespace',
  'bundle.witness': "The witness signature verifies under a pinned witness key valid at the statement's time",
  'bundle.countersignature': 'The operator counter-signature verifies under a pinned operator key',
  'bundle.log':
    'The statement is in the witness log: checkpoint signed by the pinned log key (and cosigners), inclusion proof to its root',
  'bundle.validity': 'The fleet key set is valid at the time judged',
  'bundle.rollback': 'No rollback: not an epoch older than the last one seen, nor another set for it',
  'files.fleet-key-set': 'fleet-key-set.cbor is the fleet key set the witness signed',
  'files.fleet-key-set-json': 'fleet-key-set.json is the rendering of that fleet key set',
  'files.witness': "The witness statement, its signature and the counter-signature files are the bundle's",
  'files.log': "The checkpoint and the inclusion proof files are the bundle's",
  transcript: "The transcript's hash chain, step order, quorum sign-offs and seal verify",
  'transcript.binding':
    'The witness-signed fleet key set names a record of this transcript, of the same ceremony',
  'transcript.nonce': 'The attestation nonce is the one the transcript records',
  'attestation:<keyId>':
    'Key <keyId> on its HSM: digest, chain to a pinned vendor root, challenge, policy, level',
  devices:
    "Each HSM's identity chain ends at a pinned vendor root, lies on the verified path of its keys' attestations and holds the certificate that signed them",
  'package.layout': 'The package holds exactly the files its fleet key set calls for',
  'package.signer': 'SHA256SUMS is signed by the operator key that counter-signed the witness statement',
  'manifest.consistent': 'manifest.json says exactly what the verified content says',
} as const;

/** A check id (with `attestation:<keyId>` standing for every key's check). */
export type CheckId = keyof typeof CHECKS;

/** The `EVIDENCE_*` codes, with what each means. */
export const EVIDENCE_CODES = {
  EVIDENCE_PATH_INVALID:
    'a file name is not a safe package path (absolute, `..`, hidden, unusual characters, too long)',
  EVIDENCE_TOO_LARGE: 'the package is over 256 MiB, or holds more than 10,000 files',
  EVIDENCE_FILE_TOO_LARGE: 'a file is over the size limit of its kind',
  EVIDENCE_FILE_UNEXPECTED: 'a file no v1 package holds, or one its fleet key set does not call for',
  EVIDENCE_FILE_MISSING: 'a file the package must hold is absent',
  EVIDENCE_SUMS_MALFORMED: 'SHA256SUMS is not in its one strict form',
  EVIDENCE_SIGNATURE_INVALID: 'no pinned operator key verifies SHA256SUMS.sig',
  EVIDENCE_DIGEST_MISMATCH: 'a file differs from its SHA-256 in SHA256SUMS',
  EVIDENCE_FILE_UNLISTED: 'a file is in the package but not in SHA256SUMS',
  EVIDENCE_FORMAT_UNSUPPORTED: 'manifest.json names another format than fleet-ceremony/evidence/v1',
  EVIDENCE_MANIFEST_NOT_CANONICAL: 'manifest.json is not the canonical rendering of its content',
  'EVIDENCE_MANIFEST_*':
    'manifest.json is malformed (`JSON_INVALID`, `DUPLICATE_KEY`, `FIELD_UNKNOWN`, `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_LENGTH`, `FIELD_RANGE`, `FIELD_PATTERN`, `TOO_LARGE`)',
  EVIDENCE_KEY_SET_MISMATCH: "fleet-key-set.cbor is not the bundle's fleet key set",
  EVIDENCE_KEY_SET_JSON_MISMATCH: 'fleet-key-set.json is not the rendering of fleet-key-set.cbor',
  EVIDENCE_WITNESS_FILE_MISMATCH:
    "a witness/ file is not the bundle's statement, signature or counter-signature",
  EVIDENCE_LOG_FILE_MISMATCH: "a log/ file is not the bundle's checkpoint or inclusion proof",
  EVIDENCE_TRANSCRIPT_NOT_BOUND:
    "the fleet key set's transcriptDigest is the hash of no record of transcript.jsonl",
  EVIDENCE_CEREMONY_MISMATCH:
    "the transcript's ceremony has another namespace, epoch or fleet than the fleet key set",
  EVIDENCE_NONCE_MISSING: 'the transcript records no attestation nonce',
  EVIDENCE_NONCE_MISMATCH: "the recorded nonce is malformed, or not the manifest's",
  EVIDENCE_ATTESTATION_DIGEST_MISMATCH:
    "an attestation statement's SHA-256 is not its key's attestationDigest",
  EVIDENCE_ATTESTATION_FORMAT_MISSING: 'the manifest states no format for a key attestation',
  EVIDENCE_ATTESTATION_LEVEL_MISMATCH:
    'an attestation has another level than its HSM has in the fleet key set',
  EVIDENCE_CHAIN_MALFORMED: 'a chain file is not strict PEM CERTIFICATE blocks',
  EVIDENCE_DEVICE_CHAIN_INVALID: 'an identity chain holds no certificate, or does not end at a pinned root',
  EVIDENCE_DEVICE_CHAIN_UNBOUND:
    "an identity chain is not bound to its HSM's verified attestations: a certificate of it is not on an attestation's verified path, it lacks the certificate that signed one, or an attestation has no X.509 path (nShield, pkcs11-attributes)",
  EVIDENCE_SIGNER_MISMATCH:
    'SHA256SUMS is signed by another pinned operator key than the one that counter-signed',
  EVIDENCE_MANIFEST_MISMATCH:
    "manifest.json differs from what the verified content says (the first differing member is named), or dates the package before the transcript's seal",
  EVIDENCE_INTERNAL_ERROR: 'the verifier hit a bug; the package is not accepted',
} as const;

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

/** Every check, in the order it runs. */
export function checksMarkdown(): string {
  return (
    [
      row(['check', 'what it establishes']),
      row(['---', '---']),
      ...Object.entries(CHECKS).map(([id, title]) => row([`\`${id}\``, title])),
    ].join('\n') + '\n'
  );
}

/** Every `EVIDENCE_*` code. */
export function codesMarkdown(): string {
  return (
    [
      row(['code', 'meaning']),
      row(['---', '---']),
      ...Object.entries(EVIDENCE_CODES).map(([code, meaning]) => row([`\`${code}\``, meaning])),
    ].join('\n') + '\n'
  );
}
