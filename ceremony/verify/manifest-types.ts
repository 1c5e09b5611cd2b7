/**
 * `manifest.json` of an evidence package, format v1 (docs/evidence.md, "manifest.json"). Every
 * member but the few marked *stated* is derived from the authenticated content (the fleet key
 * set, the validation bundle, the transcript, the file list): the verifier rebuilds the manifest
 * from that content and the stated members and requires the same bytes, so the manifest cannot say
 * anything the evidence does not. Hex is lowercase, times are ISO 8601 UTC with milliseconds,
 * 64-bit numbers are decimal strings.
 *
 * Portable: no `node:` imports.
 */

/** One file of the package, as listed in the manifest (every file but the manifest and SHA256SUMS[.sig]). */
export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

/** A key's attestation files. */
export interface ManifestAttestation {
  keyId: string;
  hsmId: string;
  /** *Stated*: the attestation format id the verifier dispatches on, e.g. `emulated-x509/v1`. */
  format: string;
  /** The HSM's attestation level in the fleet key set. */
  level: string;
  statement: string;
  chain: string;
}

/** The trust anchors the ceremony was run against, *stated* for comparison only: never trusted. */
export interface ManifestAnchors {
  namespaces: string[];
  witnessKeys: { publicKey: string; notBefore: string; notAfter?: string }[];
  logKey: string;
  operatorKeys: { algorithm: string; publicKey: string; notBefore?: string; notAfter?: string }[];
  /** Per vendor: SHA-256 of each root certificate, and of each bare root public key (DER SPKI), if any. */
  vendorRoots: { name: string; sha256: string[]; publicKeys?: string[] }[];
}

/** manifest.json, v1. */
export interface Manifest {
  format: string;
  /** *Stated*: when the package was made (fixes the PDF dates and the tar times). */
  createdAt: string;
  /** True when any HSM's attestation level is `emulated`. */
  rehearsal: boolean;
  ceremony: {
    id: string;
    name: string;
    kind: string;
    scriptSha256: string;
    /** Hash of the transcript's last record. */
    transcriptHead: string;
    /** *Stated* (and required in the transcript): the 32-byte challenge every attestation carries. */
    nonce: string;
  };
  fleet: {
    namespace: string;
    epoch: string;
    fleetId: string;
    keySetSha256: string;
    previousDigest: string | null;
    transcriptDigest: string;
    validity: { notBefore: string; notAfter: string };
    hsms: number;
    keys: number;
    quorum: { threshold: number; total: number };
  };
  witness: {
    statementSha256: string;
    statementTime: string;
    keyId: number;
    logOrigin: string;
    logIndex: string;
    treeSize: string;
    rootHash: string;
  };
  /** The operator key that counter-signed and signed SHA256SUMS (its id as in bundles, 8 hex digits). */
  operator: { algorithm: string; keyId: string; publicKey: string };
  signature: { file: string; covers: string; context: string };
  /** *Stated*: the tool that made the package. */
  tool: { name: string; version: string };
  /** *Stated*: SHA-256 of the single-file verifier the package was made with (null when not built). */
  verifier: { file: string; sha256: string | null };
  /** *Stated*: see {@link ManifestAnchors}. */
  anchors: ManifestAnchors;
  attestations: ManifestAttestation[];
  devices: { hsmId: string; chain: string }[];
  files: ManifestFile[];
}

/** The members of a manifest that are stated rather than derived from the content. */
export interface ManifestStated {
  createdAt: string;
  nonce: string;
  tool: { name: string; version: string };
  verifier: { file: string; sha256: string | null };
  anchors: ManifestAnchors;
  /** Attestation format per key id. */
  formats: ReadonlyMap<string, string>;
}
