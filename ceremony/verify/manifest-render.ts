/**
 * The canonical text of `manifest.json` (./manifest-types.ts): members in a fixed order, two-space
 * indentation, a final newline; optional members left out when absent. Parsing
 * (./manifest.ts) accepts exactly this text.
 *
 * Portable: no `node:` imports.
 */
import type { Manifest, ManifestAnchors } from './manifest-types.js';

/** An object with member `k` when `v` is defined, else an empty one. */
export const opt = <K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } =>
  v === undefined ? {} : ({ [k]: v } as { [P in K]?: V });

function anchors(a: ManifestAnchors): ManifestAnchors {
  return {
    namespaces: [...a.namespaces],
    witnessKeys: a.witnessKeys.map((k) => ({
      publicKey: k.publicKey,
      notBefore: k.notBefore,
      ...opt('notAfter', k.notAfter),
    })),
    logKey: a.logKey,
    operatorKeys: a.operatorKeys.map((k) => ({
      algorithm: k.algorithm,
      publicKey: k.publicKey,
      ...opt('notBefore', k.notBefore),
      ...opt('notAfter', k.notAfter),
    })),
    vendorRoots: a.vendorRoots.map((r) => ({
      name: r.name,
      sha256: [...r.sha256],
      ...opt('publicKeys', r.publicKeys === undefined ? undefined : [...r.publicKeys]),
    })),
  };
}

/** The canonical text of a manifest. */
export function renderManifest(m: Manifest): string {
  const c = m.ceremony;
  const f = m.fleet;
  const w = m.witness;
  const ordered: Manifest = {
    format: m.format,
    createdAt: m.createdAt,
    rehearsal: m.rehearsal,
    ceremony: {
      id: c.id,
      name: c.name,
      kind: c.kind,
      scriptSha256: c.scriptSha256,
      transcriptHead: c.transcriptHead,
      nonce: c.nonce,
    },
    fleet: {
      namespace: f.namespace,
      epoch: f.epoch,
      fleetId: f.fleetId,
      keySetSha256: f.keySetSha256,
      previousDigest: f.previousDigest,
      transcriptDigest: f.transcriptDigest,
      validity: { notBefore: f.validity.notBefore, notAfter: f.validity.notAfter },
      hsms: f.hsms,
      keys: f.keys,
      quorum: { threshold: f.quorum.threshold, total: f.quorum.total },
    },
    witness: {
      statementSha256: w.statementSha256,
      statementTime: w.statementTime,
      keyId: w.keyId,
      logOrigin: w.logOrigin,
      logIndex: w.logIndex,
      treeSize: w.treeSize,
      rootHash: w.rootHash,
    },
    operator: { algorithm: m.operator.algorithm, keyId: m.operator.keyId, publicKey: m.operator.publicKey },
    signature: { file: m.signature.file, covers: m.signature.covers, context: m.signature.context },
    tool: { name: m.tool.name, version: m.tool.version },
    verifier: { file: m.verifier.file, sha256: m.verifier.sha256 },
    anchors: anchors(m.anchors),
    attestations: m.attestations.map((a) => ({
      keyId: a.keyId,
      hsmId: a.hsmId,
      format: a.format,
      level: a.level,
      statement: a.statement,
      chain: a.chain,
    })),
    devices: m.devices.map((d) => ({ hsmId: d.hsmId, chain: d.chain })),
    files: m.files.map((x) => ({ path: x.path, size: x.size, sha256: x.sha256 })),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}
