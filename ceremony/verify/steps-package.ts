/**
 * The last checks of a package, on verified content: its files are exactly those its fleet key
 * set calls for (`package.layout`), SHA256SUMS was signed by the very operator key that
 * counter-signed (`package.signer`), and the manifest says exactly what the content says
 * (`manifest.consistent`: rebuilt and compared byte for byte).
 *
 * Portable: no `node:` imports.
 */
import type { FleetKeySet, TrustedOperatorKey } from '../bundle/index.js';
import { VerificationError } from '../errors.js';
import { CHECKS } from './checks.js';
import type { EvidenceFacts } from './content.js';
import { attestationPaths, deviceChainPath, EVIDENCE_FILES } from './layout.js';
import { buildManifest, statedOf } from './manifest-build.js';
import { renderManifest } from './manifest.js';
import type { Manifest } from './manifest-types.js';
import type { CheckRecorder } from './report.js';

/** The first member path where `a` and `b` differ (`$.fleet.epoch`, `$.files[3].sha256`), or undefined. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return a === b ? undefined : path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`,
    );
    if (d !== undefined) return d;
  }
  return undefined;
}

function checkLayout(files: ReadonlyMap<string, Uint8Array>, ks: FleetKeySet): { reason: string } {
  const required = new Set<string>(Object.values(EVIDENCE_FILES));
  for (const k of ks.keys) for (const p of Object.values(attestationPaths(k.hsmId, k.keyId))) required.add(p);
  const optional = new Set(ks.hsms.map((h) => deviceChainPath(h.id)));
  for (const p of required)
    if (!files.has(p))
      throw new VerificationError('EVIDENCE_FILE_MISSING', 'missing: the package must hold it', { file: p });
  for (const p of files.keys()) {
    if (!required.has(p) && !optional.has(p))
      throw new VerificationError(
        'EVIDENCE_FILE_UNEXPECTED',
        'no key or HSM of the fleet key set calls for this file',
        { file: p },
      );
  }
  return {
    reason: `${required.size} required files and ${[...optional].filter((p) => files.has(p)).length} identity chains, nothing else`,
  };
}

/** Records `package.layout`, `package.signer` and `manifest.consistent`. */
export async function packageSteps(
  files: ReadonlyMap<string, Uint8Array>,
  manifest: Manifest,
  facts: EvidenceFacts,
  signer: TrustedOperatorKey | undefined,
  rec: CheckRecorder,
): Promise<void> {
  const b = facts.bundle;
  if (b === undefined)
    rec.skip('package.layout', CHECKS['package.layout'], 'not checked: bundle.cbor does not decode');
  else await rec.run('package.layout', CHECKS['package.layout'], () => checkLayout(files, b.keySet));
  const counter = b?.verified?.operatorKey;
  if (counter === undefined || signer === undefined)
    rec.skip(
      'package.signer',
      CHECKS['package.signer'],
      'not checked: the counter-signature or the package signature did not verify',
    );
  else {
    await rec.run('package.signer', CHECKS['package.signer'], () => {
      if (counter.keyId !== signer.keyId || counter.algorithm !== signer.algorithm) {
        throw new VerificationError(
          'EVIDENCE_SIGNER_MISMATCH',
          `SHA256SUMS is signed by operator key ${signer.keyId.toString(16).padStart(8, '0')}, the witness statement counter-signed by ${counter.keyId.toString(16).padStart(8, '0')}`,
          { file: EVIDENCE_FILES.sumsSignature },
        );
      }
      return { reason: `both by operator key ${signer.keyId.toString(16).padStart(8, '0')}` };
    });
  }
  const t = facts.transcript?.transcript;
  if (b === undefined || t === undefined || counter === undefined) {
    rec.skip(
      'manifest.consistent',
      CHECKS['manifest.consistent'],
      'not checked: the bundle or the transcript did not verify',
    );
    return;
  }
  await rec.run('manifest.consistent', CHECKS['manifest.consistent'], () => {
    const want = buildManifest(b, t, counter, statedOf(manifest), files);
    if (renderManifest(want) !== renderManifest(manifest)) {
      const at = firstDifference(manifest, want) ?? '$';
      throw new VerificationError(
        'EVIDENCE_MANIFEST_MISMATCH',
        `${at} is not what the verified content says`,
        { file: EVIDENCE_FILES.manifest, field: at },
      );
    }
    // The package is made after the seal: a time before it would judge certificates too early.
    const sealed = t.entries[t.entries.length - 1]!.time;
    if (Date.parse(manifest.createdAt) < Date.parse(sealed)) {
      throw new VerificationError(
        'EVIDENCE_MANIFEST_MISMATCH',
        `$.createdAt ${manifest.createdAt} is before the transcript's last record (${sealed})`,
        { file: EVIDENCE_FILES.manifest, field: '$.createdAt' },
      );
    }
    return {
      reason: `rebuilt from the bundle, the transcript and the file list: identical; made after the seal (${sealed})`,
    };
  });
}
