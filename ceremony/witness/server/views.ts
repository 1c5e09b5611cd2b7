/**
 * The JSON documents of the witness's read API (docs/witness.md, "HTTP API"). Field names follow
 * Plexi's (`/info` keys with `public_key` and `not_before`; audits as Plexi's SignatureResponse:
 * `version`, `ciphersuite`, `namespace`, `timestamp`, `epoch`, `digest`, `signature`, `key_id`,
 * `serialized_message`), extended with what this witness adds (log index, profile, operators).
 * Bytes are lowercase hex; epochs and timestamps are JSON numbers (ms).
 */
import { hexEncode } from '../../codec/index.js';
import { statementKeyId } from '../../statement/index.js';
import { formatVerifierKey } from '../../tlog/index.js';
import { formatNamespaceRoot } from '../config/fields.js';
import type { NamespaceConfig, WitnessConfig } from '../config/types.js';
import type { StatementRecord } from '../state/statements.js';

/** `/info`: statement keys with `not_before`, the log's and the cosigner's verifier keys. */
export function infoJson(c: WitnessConfig): object {
  const logKey = formatVerifierKey({ name: c.origin, type: 0x01, publicKey: c.logKey.publicKey });
  return {
    keys: c.statementKeys.map((k) => ({
      public_key: hexEncode(k.publicKey),
      not_before: k.notBefore,
      key_id: statementKeyId(k.publicKey),
    })),
    logs: [logKey],
    log: { origin: c.origin, verifier_key: logKey },
    cosigner: {
      name: c.cosignerName,
      verifier_key: formatVerifierKey({
        name: c.cosignerName,
        type: 0x04,
        publicKey: c.cosignerKey.publicKey,
      }),
    },
  };
}

/** The path segment of a namespace (percent-encoded: names may hold `/`, `:`, `@`, `+`). */
export function nsPath(name: string): string {
  return `/namespaces/${encodeURIComponent(name)}`;
}

/** A namespace as `/namespaces` and `/namespaces/{ns}` list it. */
export function namespaceJson(
  ns: NamespaceConfig,
  last: StatementRecord | undefined,
  operators: WitnessConfig['operators'],
): object {
  const status = !ns.online ? 'Disabled' : last === undefined ? 'Initialization' : 'Online';
  return {
    name: ns.name,
    root: formatNamespaceRoot(ns.root),
    status,
    ...(last === undefined ? {} : { last_verified_epoch: Number(last.epoch) }),
    profile: ns.profile,
    ciphersuite: 1,
    signature_version: 1,
    audits_uri: `${nsPath(ns.name)}/audits`,
    operators: ns.operators.map((name) => {
      const o = operators.find((x) => x.name === name)!;
      return { name, algorithm: o.algorithm, public_key: hexEncode(o.publicKey) };
    }),
    vendor_roots: ns.vendorRoots.length,
  };
}

/** One signed epoch: `/namespaces/{ns}/audits/{epoch}` (immutable once signed). */
export function auditJson(r: StatementRecord): object {
  const base = `${nsPath(r.namespace)}/audits/${r.epoch}`;
  return {
    version: 1,
    ciphersuite: 1,
    namespace: r.namespace,
    timestamp: Number(r.timestamp),
    epoch: Number(r.epoch),
    digest: hexEncode(r.digest),
    signature: hexEncode(r.signature),
    key_id: r.keyId,
    serialized_message: hexEncode(r.statement),
    artifact_digest: hexEncode(r.digest),
    log_index: Number(r.logIndex),
    operator: r.operator,
    fleet_key_set_uri: `${base}/fleet-key-set`,
    attestations_uri: `${base}/attestations`,
    proof_uri: `${base}/proof`,
    countersignature_uri: `${base}/countersignature`,
  };
}

/** The reply to a successful submission: the audit record plus its tlog-proof. */
export function signReplyJson(r: StatementRecord, tlogProof: string): object {
  return { ...auditJson(r), tlog_proof: tlogProof };
}
