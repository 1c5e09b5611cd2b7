/**
 * How a Fortanix DSM key attestation is carried in a {@link KeyAttestation}
 * (docs/attestation-vendors.md):
 *
 * - `statement`: the key attestation statement, a DER X.509 certificate for the attested key
 *   (`attestation_statement.statement` of DSM's JSON, base64-decoded);
 * - `chain`: DSM's `authority_chain`, base64-decoded, in its order: the key attestation authority,
 *   the Fortanix Key Attestation CA, and (optionally) the root, which must then be a pinned one.
 *
 * Portable: no `node:` imports.
 */
import { base64Decode, utf8Decode } from '../../../codec/index.js';
import { MalformedError } from '../../../errors.js';
import type { KeyAttestation } from '../../types.js';

/** The format id. */
export const FORTANIX_FORMAT = 'fortanix-dsm';
const MAX_JSON_BYTES = 64 * 1024;

function fail(field: string, reason: string): never {
  throw new MalformedError('FORTANIX_JSON_INVALID', `${field}: ${reason}`, { field });
}

function keysOf(v: unknown, field: string, keys: string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'not an object');
  const o = v as Record<string, unknown>;
  const got = Object.keys(o).sort();
  if (got.join() !== [...keys].sort().join())
    fail(field, `fields ${got.join(', ')}, want ${keys.join(', ')}`);
  return o;
}

function b64(v: unknown, field: string): Uint8Array {
  if (typeof v !== 'string') fail(field, 'not a string');
  return base64Decode(v, field);
}

/**
 * Builds the evidence from the key attestation JSON DSM returns
 * (`{"authority_chain": [base64…], "attestation_statement": {"format": "x509_certificate", "statement": base64}}`).
 *
 * @throws MalformedError `FORTANIX_JSON_INVALID` for any other shape; base64 codes for bad base64.
 */
export function fortanixEvidenceFromJson(json: Uint8Array): KeyAttestation {
  if (json.length > MAX_JSON_BYTES) fail('json', `larger than ${MAX_JSON_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(utf8Decode(json, 'json'));
  } catch (e) {
    if (e instanceof MalformedError) throw e;
    fail('json', 'not JSON');
  }
  const top = keysOf(doc, 'json', ['authority_chain', 'attestation_statement']);
  const st = keysOf(top.attestation_statement, 'attestation_statement', ['format', 'statement']);
  if (st.format !== 'x509_certificate') fail('attestation_statement.format', 'want "x509_certificate"');
  const chain = top.authority_chain;
  if (!Array.isArray(chain) || chain.length === 0 || chain.length > 8)
    fail('authority_chain', 'want 1 to 8 certificates');
  return {
    format: FORTANIX_FORMAT,
    statement: b64(st.statement, 'attestation_statement.statement'),
    chain: chain.map((c, i) => b64(c, `authority_chain[${i}]`)),
  };
}
