/**
 * ECDSA P-256 signatures as DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
 * (RFC 3279 §2.2.3), the form `openssl pkeyutl`/`openssl dgst -verify` read, converted to and from
 * the raw `r || s` the crypto facade uses. Decoding accepts only the one DER encoding (minimal
 * integers and lengths, 0 < r, s < 2^256), so a file has a single valid byte string per signature.
 * Both directions are the attestation code's DER reader and writer (ceremony/attest/x509).
 *
 * Portable: no `node:` imports.
 */
import { ecdsaDerToRaw as derToRaw } from '../attest/x509/signature.js';
import { ecdsaRawToDer as rawToDer } from '../attest/x509/der-write.js';
import { MalformedError } from '../errors.js';

const malformed = (field: string, why: string): MalformedError =>
  new MalformedError('ECDSA_SIGNATURE_MALFORMED', `${field}: ${why}`, { field });

/**
 * DER of a raw 64-byte `r || s` signature.
 *
 * @throws MalformedError `ECDSA_SIGNATURE_MALFORMED` if `raw` is not 64 bytes.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw malformed('signature', `got ${raw.length} bytes, want 64 (r || s)`);
  return rawToDer(raw);
}

/**
 * The raw `r || s` of a DER signature, accepting only the encoding {@link ecdsaRawToDer} writes.
 *
 * @throws MalformedError `ECDSA_SIGNATURE_MALFORMED` naming `field`.
 */
export function ecdsaDerToRaw(der: Uint8Array, field = 'signature'): Uint8Array {
  const raw = der.length <= 72 ? derToRaw(der, 'P-256') : undefined;
  if (raw === undefined) throw malformed(field, 'not a DER ECDSA P-256 signature');
  return raw;
}
