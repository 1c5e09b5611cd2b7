/**
 * What the writer states besides the evidence: the tool's name and version (from package.json),
 * the anchors of the ceremony's trust file in display form (shown for comparison, never trusted by
 * a reader), and the SHA-256 of the single-file verifier, `dist/fleet-verify.mjs`, when it has been built
 * (`npm run build:verifier`). Both are found relative to this module, from the source tree
 * (`ceremony/evidence/`) and from the build (`dist/evidence/`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Trust } from '../bundle/index.js';
import { hexEncode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { formatVerifierKey } from '../tlog/index.js';
import type { ManifestAnchors } from '../verify/index.js';

/** The single-file verifier's file name. */
export const STANDALONE_VERIFIER = 'fleet-verify.mjs';

function read(candidates: string[]): Buffer | undefined {
  for (const c of candidates) {
    try {
      return readFileSync(fileURLToPath(new URL(c, import.meta.url)));
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/** `{ name, version }` of this package. */
export function toolIdentity(): { name: string; version: string } {
  const bytes = read(['../../package.json']);
  const pkg =
    bytes === undefined ? {} : (JSON.parse(bytes.toString('utf8')) as { name?: string; version?: string });
  return { name: pkg.name ?? 'fleet-ceremony', version: pkg.version ?? '0.0.0' };
}

/** Hex SHA-256 of the built single-file verifier, or null when it has not been built. */
export function standaloneVerifierSha256(): string | null {
  const bytes = read([`../../dist/${STANDALONE_VERIFIER}`, `../${STANDALONE_VERIFIER}`]);
  return bytes === undefined ? null : createHash('sha256').update(bytes).digest('hex');
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The anchors of `trust`, in display form. */
export function anchorsOf(trust: Trust): ManifestAnchors {
  return {
    namespaces: [...trust.namespaces],
    witnessKeys: trust.witnessKeys.map((k) => ({
      publicKey: hexEncode(k.publicKey),
      notBefore: iso(k.notBefore),
      ...(k.notAfter === undefined ? {} : { notAfter: iso(k.notAfter) }),
    })),
    logKey: formatVerifierKey(trust.log.verifier),
    operatorKeys: trust.operatorKeys.map((k) => ({
      algorithm: k.algorithm,
      publicKey: hexEncode(k.publicKey),
      ...(k.notBefore === undefined ? {} : { notBefore: iso(k.notBefore) }),
      ...(k.notAfter === undefined ? {} : { notAfter: iso(k.notAfter) }),
    })),
    vendorRoots: trust.vendorRoots.map((r) => ({
      name: r.name,
      sha256: r.certificates.map((c) => hexEncode(sha256(c))),
      // Bare root keys (nShield's KWARN-1) only when pinned, so older manifests read the same.
      ...(r.publicKeys.length === 0 ? {} : { publicKeys: r.publicKeys.map((k) => hexEncode(sha256(k))) }),
    })),
  };
}
