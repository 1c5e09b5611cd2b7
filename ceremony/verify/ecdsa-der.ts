/**
 * ECDSA P-256 signatures as DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
 * (RFC 3279 §2.2.3), the form `openssl pkeyutl`/`openssl dgst -verify` read, converted to and from
 * the raw `r || s` the crypto facade uses. Decoding accepts only the one DER encoding (minimal
 * integers and lengths), so a file has a single valid byte string per signature.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes } from '../codec/index.js';
import { MalformedError } from '../errors.js';

function integer(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  const body = v.subarray(i);
  return (body[0]! & 0x80) !== 0 ? concatBytes(new Uint8Array([0]), body) : body;
}

/**
 * DER of a raw 64-byte `r || s` signature.
 *
 * @throws MalformedError `ECDSA_SIGNATURE_MALFORMED` if `raw` is not 64 bytes.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64)
    throw new MalformedError(
      'ECDSA_SIGNATURE_MALFORMED',
      `signature: got ${raw.length} bytes, want 64 (r || s)`,
      { field: 'signature' },
    );
  const r = integer(raw.subarray(0, 32));
  const s = integer(raw.subarray(32));
  const body = concatBytes(new Uint8Array([0x02, r.length]), r, new Uint8Array([0x02, s.length]), s);
  return concatBytes(new Uint8Array([0x30, body.length]), body);
}

/**
 * The raw `r || s` of a DER signature, accepting only the encoding {@link ecdsaRawToDer} writes.
 *
 * @throws MalformedError `ECDSA_SIGNATURE_MALFORMED` naming `field`.
 */
export function ecdsaDerToRaw(der: Uint8Array, field = 'signature'): Uint8Array {
  const bad = (why: string): never => {
    throw new MalformedError(
      'ECDSA_SIGNATURE_MALFORMED',
      `${field}: not a DER ECDSA P-256 signature (${why})`,
      { field },
    );
  };
  if (der.length < 8 || der.length > 72 || der[0] !== 0x30 || der[1] !== der.length - 2) bad('SEQUENCE');
  const out = new Uint8Array(64);
  let at = 2;
  for (const half of [0, 32]) {
    if (der[at] !== 0x02) bad('INTEGER tag');
    const len = der[at + 1]!;
    const v = der.subarray(at + 2, at + 2 + len);
    if (len === 0 || v.length !== len || len > 33) bad('INTEGER length');
    if ((v[0]! & 0x80) !== 0) bad('negative INTEGER');
    if (len > 1 && v[0] === 0 && (v[1]! & 0x80) === 0) bad('INTEGER not minimal');
    const mag = len === 33 ? v.subarray(1) : v;
    if (len === 33 && v[0] !== 0) bad('INTEGER too large');
    out.set(mag, half + 32 - mag.length);
    at += 2 + len;
  }
  if (at !== der.length) bad('trailing bytes');
  return out;
}
