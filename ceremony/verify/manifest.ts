/**
 * Strict parsing of `manifest.json` (./manifest-types.ts). Every member's type and syntax is
 * checked, then the result is rendered (./manifest-render.ts) and must give the same bytes, which
 * also refuses any other spelling of the same content.
 *
 * Portable: no `node:` imports.
 */
import { utf8Decode } from '../codec/index.js';
import { isCeremonyError, MalformedError } from '../errors.js';
import { EVIDENCE_FILES } from './layout.js';
import { renderManifest } from './manifest-render.js';
import { DEC, HEX32, ISO, ManifestReader, readAnchors } from './manifest-reader.js';
import type { Manifest } from './manifest-types.js';

export { renderManifest } from './manifest-render.js';

/**
 * Parses manifest.json strictly.
 *
 * @throws MalformedError `EVIDENCE_MANIFEST_*` naming the JSON path: `JSON_INVALID`,
 *   `DUPLICATE_KEY`, `FIELD_UNKNOWN`, `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_LENGTH`, `FIELD_RANGE`,
 *   `FIELD_PATTERN`, `TOO_LARGE`; `EVIDENCE_FORMAT_UNSUPPORTED` for another format;
 *   `EVIDENCE_MANIFEST_NOT_CANONICAL` when the bytes are not the canonical rendering.
 */
export function parseManifest(bytes: Uint8Array, file: string = EVIDENCE_FILES.manifest): Manifest {
  try {
    return readManifest(bytes, file);
  } catch (e) {
    throw isCeremonyError(e) && e.file === undefined ? e.withFile(file) : e;
  }
}

function readManifest(bytes: Uint8Array, file: string): Manifest {
  const r = new ManifestReader('EVIDENCE_MANIFEST', undefined);
  let text: string;
  try {
    text = utf8Decode(bytes, '$');
  } catch (cause) {
    return r.fail('JSON_INVALID', '$', 'not UTF-8', cause);
  }
  const root = r.object(r.parse(text, 32 * 1024 * 1024), '$', [
    'format',
    'createdAt',
    'rehearsal',
    'ceremony',
    'fleet',
    'witness',
    'operator',
    'signature',
    'tool',
    'verifier',
    'anchors',
    'attestations',
    'devices',
    'files',
  ]);
  const format = r.text(root.format, '$.format');
  if (format !== 'fleet-ceremony/evidence/v1') {
    throw new MalformedError(
      'EVIDENCE_FORMAT_UNSUPPORTED',
      `$.format: got ${JSON.stringify(format.slice(0, 64))}, want fleet-ceremony/evidence/v1`,
      { file, field: '$.format' },
    );
  }
  const c = r.object(root.ceremony, '$.ceremony', [
    'id',
    'name',
    'kind',
    'scriptSha256',
    'transcriptHead',
    'nonce',
  ]);
  const f = r.object(root.fleet, '$.fleet', [
    'namespace',
    'epoch',
    'fleetId',
    'keySetSha256',
    'previousDigest',
    'transcriptDigest',
    'validity',
    'hsms',
    'keys',
    'quorum',
  ]);
  const fv = r.object(f.validity, '$.fleet.validity', ['notBefore', 'notAfter']);
  const fq = r.object(f.quorum, '$.fleet.quorum', ['threshold', 'total']);
  const w = r.object(root.witness, '$.witness', [
    'statementSha256',
    'statementTime',
    'keyId',
    'logOrigin',
    'logIndex',
    'treeSize',
    'rootHash',
  ]);
  const o = r.object(root.operator, '$.operator', ['algorithm', 'keyId', 'publicKey']);
  const s = r.object(root.signature, '$.signature', ['file', 'covers', 'context']);
  const t = r.object(root.tool, '$.tool', ['name', 'version']);
  const v = r.object(root.verifier, '$.verifier', ['file', 'sha256']);
  const m: Manifest = {
    format,
    createdAt: r.text(root.createdAt, '$.createdAt', ISO),
    rehearsal: r.boolean(root.rehearsal, '$.rehearsal'),
    ceremony: {
      id: r.text(c.id, '$.ceremony.id'),
      name: r.text(c.name, '$.ceremony.name'),
      kind: r.text(c.kind, '$.ceremony.kind'),
      scriptSha256: r.text(c.scriptSha256, '$.ceremony.scriptSha256', HEX32),
      transcriptHead: r.text(c.transcriptHead, '$.ceremony.transcriptHead', HEX32),
      nonce: r.text(c.nonce, '$.ceremony.nonce', HEX32),
    },
    fleet: {
      namespace: r.text(f.namespace, '$.fleet.namespace'),
      epoch: r.text(f.epoch, '$.fleet.epoch', DEC),
      fleetId: r.text(f.fleetId, '$.fleet.fleetId'),
      keySetSha256: r.text(f.keySetSha256, '$.fleet.keySetSha256', HEX32),
      previousDigest:
        f.previousDigest === null ? null : r.text(f.previousDigest, '$.fleet.previousDigest', HEX32),
      transcriptDigest: r.text(f.transcriptDigest, '$.fleet.transcriptDigest', HEX32),
      validity: {
        notBefore: r.text(fv.notBefore, '$.fleet.validity.notBefore', ISO),
        notAfter: r.text(fv.notAfter, '$.fleet.validity.notAfter', ISO),
      },
      hsms: r.integer(f.hsms, '$.fleet.hsms', 0, 1 << 20),
      keys: r.integer(f.keys, '$.fleet.keys', 0, 1 << 20),
      quorum: {
        threshold: r.integer(fq.threshold, '$.fleet.quorum.threshold', 0, 1 << 20),
        total: r.integer(fq.total, '$.fleet.quorum.total', 0, 1 << 20),
      },
    },
    witness: {
      statementSha256: r.text(w.statementSha256, '$.witness.statementSha256', HEX32),
      statementTime: r.text(w.statementTime, '$.witness.statementTime'),
      keyId: r.integer(w.keyId, '$.witness.keyId', 0, 255),
      logOrigin: r.text(w.logOrigin, '$.witness.logOrigin'),
      logIndex: r.text(w.logIndex, '$.witness.logIndex', DEC),
      treeSize: r.text(w.treeSize, '$.witness.treeSize', DEC),
      rootHash: r.text(w.rootHash, '$.witness.rootHash', HEX32),
    },
    operator: {
      algorithm: r.text(o.algorithm, '$.operator.algorithm'),
      keyId: r.text(o.keyId, '$.operator.keyId', /^[0-9a-f]{8}$/),
      publicKey: r.text(o.publicKey, '$.operator.publicKey', /^[0-9a-f]+$/),
    },
    signature: {
      file: r.text(s.file, '$.signature.file'),
      covers: r.text(s.covers, '$.signature.covers'),
      context: r.text(s.context, '$.signature.context'),
    },
    tool: { name: r.text(t.name, '$.tool.name'), version: r.text(t.version, '$.tool.version') },
    verifier: {
      file: r.text(v.file, '$.verifier.file'),
      sha256: v.sha256 === null ? null : r.text(v.sha256, '$.verifier.sha256', HEX32),
    },
    anchors: readAnchors(r, root.anchors, '$.anchors'),
    attestations: r.list(root.attestations, '$.attestations', (x, p) => {
      const a = r.object(x, p, ['keyId', 'hsmId', 'format', 'level', 'statement', 'chain']);
      return {
        keyId: r.text(a.keyId, `${p}.keyId`),
        hsmId: r.text(a.hsmId, `${p}.hsmId`),
        format: r.text(a.format, `${p}.format`, /^[a-z0-9][a-z0-9./-]{0,63}$/),
        level: r.text(a.level, `${p}.level`),
        statement: r.text(a.statement, `${p}.statement`),
        chain: r.text(a.chain, `${p}.chain`),
      };
    }),
    devices: r.list(root.devices, '$.devices', (x, p) => {
      const d = r.object(x, p, ['hsmId', 'chain']);
      return { hsmId: r.text(d.hsmId, `${p}.hsmId`), chain: r.text(d.chain, `${p}.chain`) };
    }),
    files: r.list(root.files, '$.files', (x, p) => {
      const e = r.object(x, p, ['path', 'size', 'sha256']);
      return {
        path: r.text(e.path, `${p}.path`),
        size: r.integer(e.size, `${p}.size`, 0, Number.MAX_SAFE_INTEGER),
        sha256: r.text(e.sha256, `${p}.sha256`, HEX32),
      };
    }),
  };
  if (renderManifest(m) !== text) {
    throw new MalformedError(
      'EVIDENCE_MANIFEST_NOT_CANONICAL',
      `not the canonical rendering of its content (member order, spacing, escapes or an unknown member)`,
      { file, field: '$' },
    );
  }
  return m;
}
