/**
 * The demo's trust file (docs/trust-file.md): what a client of the demo fleet would pin, under the
 * rehearsal profile: the witness's statement key and log key, the operator's counter-signing key
 * and, for emulated HSMs, the emulated vendor root.
 */
import { parseTrustFile } from '../bundle/index.js';
import { hexEncode, pemEncode } from '../codec/index.js';

/** The anchors to pin. */
export interface DemoAnchors {
  namespace: string;
  witnessKeys: { publicKey: Uint8Array; notBefore: number }[];
  logVerifierKey: string;
  operator: { algorithm: 'ed25519' | 'p256'; publicKey: Uint8Array };
  /** DER vendor roots (none for SoftHSM2 tokens, which have no vendor attestation). */
  vendorRoots: Uint8Array[];
}

/**
 * The trust file's text (JSON, two-space indented), checked with `parseTrustFile`.
 * @throws MalformedError `TRUST_*` if an anchor is unusable (a bug of the demo).
 */
export function demoTrustFile(a: DemoAnchors): string {
  const json = {
    version: 1,
    profile: 'rehearsal',
    namespaces: [a.namespace],
    witness: {
      statement_keys: a.witnessKeys.map((k) => ({
        public_key: hexEncode(k.publicKey),
        not_before: new Date(k.notBefore).toISOString(),
      })),
      log_key: a.logVerifierKey,
    },
    operator_keys: [{ algorithm: a.operator.algorithm, public_key: hexEncode(a.operator.publicKey) }],
    ...(a.vendorRoots.length === 0
      ? {}
      : {
          hsm_vendor_roots: a.vendorRoots.map((der) => ({
            name: 'fleet-ceremony emulated vendor (REHEARSAL)',
            pem: pemEncode('CERTIFICATE', der),
          })),
        }),
  };
  const text = JSON.stringify(json, null, 2) + '\n';
  parseTrustFile(text, 'trust.json');
  return text;
}
