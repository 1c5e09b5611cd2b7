/**
 * The evidence package layout, format `fleet-ceremony/evidence/v1` (docs/evidence.md, "Layout"):
 * the fixed file names, where each HSM's and each key's attestation files go, and the size bounds
 * the verifier enforces before it reads anything. The writer (ceremony/evidence) and the verifier
 * both take their paths from here, so they cannot disagree.
 *
 * Portable: no `node:` imports.
 */

/** Format tag of the package (in `manifest.json`). */
export const EVIDENCE_FORMAT = 'fleet-ceremony/evidence/v1';

/** The fixed files of a v1 package. */
export const EVIDENCE_FILES = {
  manifest: 'manifest.json',
  sums: 'SHA256SUMS',
  sumsSignature: 'SHA256SUMS.sig',
  bundle: 'bundle.cbor',
  fleetKeySet: 'fleet-key-set.cbor',
  fleetKeySetJson: 'fleet-key-set.json',
  transcript: 'transcript.jsonl',
  statement: 'witness/statement.bin',
  statementSignature: 'witness/statement.sig',
  countersignature: 'witness/countersignature.sig',
  checkpoint: 'log/checkpoint',
  tlogProof: 'log/tlog-proof',
  report: 'report.pdf',
  summary: 'SUMMARY.md',
  summaryHtml: 'summary.html',
  verify: 'VERIFY.md',
} as const;

/** Largest package the verifier reads: 256 MiB in all (a 1,024-HSM, 4,096-key fleet fits). */
export const MAX_EVIDENCE_BYTES = 256 * 1024 * 1024;
/** Most files in a package: the fixed ones, a device chain per HSM and two files per key. */
export const MAX_EVIDENCE_FILES = 10_000;
/** Longest path inside a package, in bytes (what a ustar header can hold). */
export const MAX_EVIDENCE_PATH = 255;

const MiB = 1024 * 1024;

/** Largest size of each kind of file, in bytes. */
export const MAX_FILE_BYTES: Readonly<Record<string, number>> = {
  [EVIDENCE_FILES.manifest]: 32 * MiB,
  [EVIDENCE_FILES.sums]: 4 * MiB,
  [EVIDENCE_FILES.sumsSignature]: 128,
  [EVIDENCE_FILES.bundle]: 2 * MiB,
  [EVIDENCE_FILES.fleetKeySet]: MiB,
  [EVIDENCE_FILES.fleetKeySetJson]: 8 * MiB,
  [EVIDENCE_FILES.transcript]: 64 * MiB,
  [EVIDENCE_FILES.statement]: 4096,
  [EVIDENCE_FILES.statementSignature]: 64,
  [EVIDENCE_FILES.countersignature]: 128,
  [EVIDENCE_FILES.checkpoint]: 1_000_000,
  [EVIDENCE_FILES.tlogProof]: 1_000_000,
  [EVIDENCE_FILES.report]: 64 * MiB,
  [EVIDENCE_FILES.summary]: 16 * MiB,
  [EVIDENCE_FILES.summaryHtml]: 16 * MiB,
  [EVIDENCE_FILES.verify]: 16 * MiB,
};
/** Largest attestation statement file. */
export const MAX_ATTESTATION_STATEMENT_BYTES = 256 * 1024;
/** Largest certificate chain file (PEM). */
export const MAX_CHAIN_PEM_BYTES = 1 * MiB;

/** A path segment for an HSM or key id: ids may hold `:`, which some file systems refuse, so it becomes `~` (never in an id). */
export function idSegment(id: string): string {
  return id.replaceAll(':', '~');
}

/** Where the attestation of key `keyId` on HSM `hsmId` is stored. */
export function attestationPaths(hsmId: string, keyId: string): { statement: string; chain: string } {
  const base = `attestations/${idSegment(hsmId)}/keys/${idSegment(keyId)}`;
  return { statement: `${base}.statement`, chain: `${base}.chain.pem` };
}

/** Where the identity chain an HSM reported (device certificate … vendor root) is stored. */
export function deviceChainPath(hsmId: string): string {
  return `attestations/${idSegment(hsmId)}/device-chain.pem`;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;

/**
 * Whether `path` may name a file in a package: relative, `/`-separated segments of
 * `[A-Za-z0-9._~-]` that start with a letter or digit (so no `.`, `..`, hidden or empty
 * segments), at most {@link MAX_EVIDENCE_PATH} bytes.
 */
export function isSafeEvidencePath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_EVIDENCE_PATH) return false;
  return path.split('/').every((s) => SEGMENT.test(s));
}

/** The size bound of the file at `path` (fixed files, attestation files; 0 for a path no package has). */
export function maxFileBytes(path: string): number {
  const fixed = MAX_FILE_BYTES[path];
  if (fixed !== undefined) return fixed;
  if (!path.startsWith('attestations/')) return 0;
  if (path.endsWith('.statement')) return MAX_ATTESTATION_STATEMENT_BYTES;
  if (path.endsWith('.pem')) return MAX_CHAIN_PEM_BYTES;
  return 0;
}

/** Byte-wise order of two paths (ASCII only, so UTF-16 order is byte order): how lists are sorted. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
