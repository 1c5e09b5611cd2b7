/**
 * Building `manifest.json` from the evidence itself: the writer calls this to make the manifest,
 * the verifier to rebuild it from the authenticated content and the manifest's stated members
 * (./manifest-types.ts) and compare bytes, so every derived member is checked at once.
 *
 * Portable: no `node:` imports.
 */
import { operatorKeyId } from '../bundle/index.js';
import { hexEncode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { parseCheckpoint, parseNote } from '../tlog/index.js';
import { EVIDENCE_SIGNATURE_CONTEXT } from './evidence-signature.js';
import {
  attestationPaths,
  comparePaths,
  deviceChainPath,
  EVIDENCE_FILES,
  EVIDENCE_FORMAT,
} from './layout.js';
import type { Manifest, ManifestFile, ManifestStated } from './manifest-types.js';
import type { BundleFacts } from './steps-bundle.js';
import type { TranscriptVerification } from './transcript.js';

/** Files the manifest does not list: itself, and the two that cover it. */
export const UNLISTED_FILES: readonly string[] = [
  EVIDENCE_FILES.manifest,
  EVIDENCE_FILES.sums,
  EVIDENCE_FILES.sumsSignature,
];

const byText =
  <T>(f: (x: T) => string) =>
  (a: T, b: T) =>
    comparePaths(f(a), f(b));

/** A 64-bit millisecond time as ISO 8601 UTC, or its decimal when Date cannot hold it. */
function isoMs(ms: bigint | number): string {
  const n = Number(ms);
  return Math.abs(n) <= 8.64e15 ? new Date(n).toISOString() : String(ms);
}

/** The manifest's file list for `files` (every file but {@link UNLISTED_FILES}), sorted by path. */
export function manifestFiles(files: ReadonlyMap<string, Uint8Array>): ManifestFile[] {
  return [...files.entries()]
    .filter(([path]) => !UNLISTED_FILES.includes(path))
    .map(([path, bytes]) => ({ path, size: bytes.length, sha256: hexEncode(sha256(bytes)) }))
    .sort(byText((f) => f.path));
}

/**
 * The manifest of a package.
 *
 * @param b - the decoded bundle.
 * @param t - the verified transcript.
 * @param operator - the operator key that counter-signed and signs SHA256SUMS.
 * @param stated - the members that are stated, not derived.
 * @param files - every file of the package (the unlisted ones are ignored).
 */
export function buildManifest(
  b: BundleFacts,
  t: TranscriptVerification,
  operator: { algorithm: 'ed25519' | 'p256'; publicKey: Uint8Array },
  stated: ManifestStated,
  files: ReadonlyMap<string, Uint8Array>,
): Manifest {
  const ks = b.keySet;
  const cp = parseCheckpoint(parseNote(b.bundle.proof.checkpoint).text);
  const hsms = new Map(ks.hsms.map((h) => [h.id, h]));
  return {
    format: EVIDENCE_FORMAT,
    createdAt: stated.createdAt,
    rehearsal: ks.hsms.some((h) => h.attestationLevel === 'emulated'),
    ceremony: {
      id: t.ceremony.id,
      name: t.ceremony.name,
      kind: t.ceremony.kind,
      scriptSha256: t.scriptSha256,
      transcriptHead: t.head,
      nonce: stated.nonce,
    },
    fleet: {
      namespace: ks.namespace,
      epoch: ks.epoch.toString(),
      fleetId: ks.fleetId,
      keySetSha256: hexEncode(b.keySetSha256),
      previousDigest: ks.previousDigest === null ? null : hexEncode(ks.previousDigest),
      transcriptDigest: hexEncode(ks.transcriptDigest),
      validity: { notBefore: isoMs(ks.validity.notBefore), notAfter: isoMs(ks.validity.notAfter) },
      hsms: ks.hsms.length,
      keys: ks.keys.length,
      quorum: { threshold: ks.quorum.threshold, total: ks.quorum.total },
    },
    witness: {
      statementSha256: hexEncode(sha256(b.bundle.statement)),
      statementTime: isoMs(b.statement.timestamp),
      keyId: b.bundle.witnessKeyId,
      logOrigin: cp.origin,
      logIndex: b.bundle.proof.index.toString(),
      treeSize: cp.size.toString(),
      rootHash: hexEncode(cp.rootHash),
    },
    operator: {
      algorithm: operator.algorithm,
      keyId: operatorKeyId(operator.algorithm, operator.publicKey).toString(16).padStart(8, '0'),
      publicKey: hexEncode(operator.publicKey),
    },
    signature: {
      file: EVIDENCE_FILES.sumsSignature,
      covers: EVIDENCE_FILES.sums,
      context: EVIDENCE_SIGNATURE_CONTEXT,
    },
    tool: stated.tool,
    verifier: stated.verifier,
    anchors: stated.anchors,
    attestations: ks.keys
      .map((k) => ({
        keyId: k.keyId,
        hsmId: k.hsmId,
        format: stated.formats.get(k.keyId) ?? '',
        level: hsms.get(k.hsmId)?.attestationLevel ?? '',
        ...attestationPaths(k.hsmId, k.keyId),
      }))
      .sort(byText((a) => a.keyId)),
    devices: ks.hsms
      .filter((h) => files.has(deviceChainPath(h.id)))
      .map((h) => ({ hsmId: h.id, chain: deviceChainPath(h.id) }))
      .sort(byText((d) => d.hsmId)),
    files: manifestFiles(files),
  };
}

/** The stated members of a parsed manifest. */
export function statedOf(m: Manifest): ManifestStated {
  return {
    createdAt: m.createdAt,
    nonce: m.ceremony.nonce,
    tool: m.tool,
    verifier: m.verifier,
    anchors: m.anchors,
    formats: new Map(m.attestations.map((a) => [a.keyId, a.format])),
  };
}
