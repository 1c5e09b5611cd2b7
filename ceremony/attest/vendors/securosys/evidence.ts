/**
 * How a Securosys Primus key attestation is carried in a {@link KeyAttestation}
 * (docs/attestation-vendors.md):
 *
 * - `statement`: deterministic CBOR (RFC 8949 §4.2.1) map `{"version": 1, "xml": bytes,
 *   "signature": bytes}`: the attestation XML exactly as the HSM signed it, and the signature
 *   (RSA PKCS#1 v1.5 SHA-256) the HSM returned with it. The HSM hands the two over separately;
 *   this wrapper keeps them together with one encoding.
 * - `chain`: the DER certificates from the attestation key to the root, nearest first: the
 *   `attestation-key` certificate, then the `PRIMUS HSM KEY (SN: …)` certificate.
 *
 * Portable: no `node:` imports.
 */
import { decodeCbor, encodeCbor, expectFields, expectMap, getBytes, getUint } from '../../../codec/index.js';
import type { KeyAttestation } from '../../types.js';

/** The format id. */
export const SECUROSYS_FORMAT = 'securosys-primus';
const VERSION = 1;
/** Bound on the wrapper: an attestation XML is ~1.5 KiB, a signature at most 512 bytes. */
const MAX_STATEMENT_BYTES = 64 * 1024;

/** The two parts of a Securosys attestation. */
export interface SecurosysStatement {
  xml: Uint8Array;
  signature: Uint8Array;
}

/**
 * Builds the evidence from what the HSM returns.
 *
 * @param chain - DER certificates, attestation key first.
 * @example securosysEvidence(xmlBytes, signatureBytes, [attestationKeyCert, hsmKeyCert])
 */
export function securosysEvidence(
  xml: Uint8Array,
  signature: Uint8Array,
  chain: readonly Uint8Array[],
): KeyAttestation {
  const statement = encodeCbor(
    new Map<string, number | Uint8Array>([
      ['version', VERSION],
      ['xml', xml],
      ['signature', signature],
    ]),
  );
  return { format: SECUROSYS_FORMAT, statement, chain: [...chain] };
}

/**
 * Reads the statement wrapper.
 *
 * @throws MalformedError (CBOR codes, `FIELD_*`) for anything but the one canonical encoding.
 */
export function readSecurosysStatement(statement: Uint8Array): SecurosysStatement {
  const map = expectMap(
    decodeCbor(statement, { maxBytes: MAX_STATEMENT_BYTES, field: 'statement' }),
    'statement',
  );
  expectFields(map, 'statement', { required: ['version', 'xml', 'signature'] });
  getUint(map, 'version', 'statement', { min: VERSION, max: VERSION });
  return { xml: getBytes(map, 'xml', 'statement'), signature: getBytes(map, 'signature', 'statement') };
}
