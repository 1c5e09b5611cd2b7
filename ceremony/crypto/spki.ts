/**
 * DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for the facade's three public-key types, so that
 * attestation code can compare a key an X.509 certificate attests with a fleet key byte for byte:
 *
 * - Ed25519: algorithm 1.3.101.112, parameters absent, the 32-byte key (RFC 8410 §3, §4).
 * - X25519: algorithm 1.3.101.110, parameters absent, the 32-byte u (RFC 8410 §3, §4).
 * - P-256: id-ecPublicKey 1.2.840.10045.2.1 with namedCurve prime256v1 1.2.840.10045.3.1.7, the
 *   65-byte uncompressed point (RFC 5480 §2.1.1, §2.2).
 *
 * Decoding is strict: DER only (minimal definite lengths), no trailing bytes, parameters exactly as
 * above, the key valid and canonical ({@link checkPublicKey}), and the input must equal the
 * re-encoding of what was read. An algorithm other than these three is `CRYPTO_SPKI_UNKNOWN_ALGORITHM`.
 *
 * Portable: no `node:` imports.
 */
import { bytesEqual } from './bytes.js';
import { oidToString, readTlv } from './der.js';
import { checkBytes, cryptoError } from './input.js';
import { checkPublicKey } from './public-key.js';
import type { PublicKeyAlgorithm } from './public-key.js';

/** Algorithms a SubjectPublicKeyInfo may carry here. */
export type SpkiAlgorithm = PublicKeyAlgorithm;

/** A decoded SubjectPublicKeyInfo. */
export interface SpkiPublicKey {
  algorithm: SpkiAlgorithm;
  /** Raw key: 32 bytes (ed25519, x25519) or the 65-byte uncompressed point (p256). */
  publicKey: Uint8Array;
}

/** Largest SubjectPublicKeyInfo accepted by {@link decodeSpki}; the real ones are 44 or 91 bytes. */
export const MAX_SPKI_BYTES = 1024;

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));

/** Every DER byte before the raw key, per algorithm. */
const PREFIX: Record<SpkiAlgorithm, Uint8Array> = {
  ed25519: hex('302a300506032b6570032100'),
  x25519: hex('302a300506032b656e032100'),
  p256: hex('3059301306072a8648ce3d020106082a8648ce3d030107034200'),
};

const OID_ED25519 = hex('2b6570');
const OID_X25519 = hex('2b656e');
const OID_EC_PUBLIC_KEY = hex('2a8648ce3d0201');
const OID_PRIME256V1 = hex('2a8648ce3d030107');

/**
 * Encodes a raw public key as DER SubjectPublicKeyInfo.
 *
 * Precondition: `raw` is valid for `algorithm`; P-256 keys must be uncompressed (65 bytes).
 *
 * @throws MalformedError from {@link checkPublicKey} (`CRYPTO_BAD_LENGTH`, `CRYPTO_BAD_PUBLIC_KEY`,
 * `CRYPTO_WEAK_PUBLIC_KEY`), or `CRYPTO_BAD_LENGTH` for a compressed P-256 key.
 * @example encodeSpki('ed25519', publicKey) // 44 bytes, `openssl pkey -pubin -inform DER` reads it
 */
export function encodeSpki(algorithm: SpkiAlgorithm, raw: Uint8Array): Uint8Array {
  checkPublicKey(algorithm, raw);
  if (algorithm === 'p256' && raw.length !== 65) {
    throw cryptoError(
      'CRYPTO_BAD_LENGTH',
      'publicKey',
      `p256 publicKey: got ${raw.length} bytes, want 65 (SubjectPublicKeyInfo carries the uncompressed point)`,
    );
  }
  const prefix = PREFIX[algorithm];
  const out = new Uint8Array(prefix.length + raw.length);
  out.set(prefix);
  out.set(raw, prefix.length);
  return out;
}

/**
 * Decodes a DER SubjectPublicKeyInfo holding an Ed25519, X25519 or P-256 key.
 *
 * @throws MalformedError `CRYPTO_SPKI_MALFORMED` (not DER, trailing bytes, wrong parameters, unused
 * bits, compressed point, over {@link MAX_SPKI_BYTES}), `CRYPTO_SPKI_UNKNOWN_ALGORITHM` (another
 * algorithm or curve; the message names its OID), or a key error from {@link checkPublicKey}.
 */
export function decodeSpki(der: Uint8Array): SpkiPublicKey {
  checkBytes(der, 'spki der');
  const bad = (reason: string) => cryptoError('CRYPTO_SPKI_MALFORMED', 'spki', `spki: ${reason}`);
  if (der.length > MAX_SPKI_BYTES) throw bad(`got ${der.length} bytes, want at most ${MAX_SPKI_BYTES}`);
  const outer = readTlv(der, 0, der.length, 'SubjectPublicKeyInfo');
  if (outer.tag !== 0x30) throw bad('not a SEQUENCE');
  if (outer.end !== der.length) throw bad(`${der.length - outer.end} trailing bytes`);
  const base = outer.value.byteOffset - der.byteOffset;
  const limit = base + outer.value.length;
  const algId = readTlv(der, base, limit, 'algorithm');
  if (algId.tag !== 0x30) throw bad('algorithm is not a SEQUENCE');
  const keyBits = readTlv(der, algId.end, limit, 'subjectPublicKey');
  if (keyBits.tag !== 0x03) throw bad('subjectPublicKey is not a BIT STRING');
  if (keyBits.end !== limit) throw bad('extra elements after subjectPublicKey');

  const algorithm = identify(der, algId.value.byteOffset - der.byteOffset, algId.end);
  if (keyBits.value.length === 0 || keyBits.value[0] !== 0) throw bad('subjectPublicKey has unused bits');
  const publicKey = keyBits.value.slice(1);
  if (algorithm === 'p256' && publicKey[0] !== 0x04) throw bad('p256 key is not an uncompressed point');
  checkPublicKey(algorithm, publicKey, 'subjectPublicKey');
  // Canonical by re-encoding: the only accepted bytes are those encodeSpki would produce.
  if (!bytesEqual(encodeSpki(algorithm, publicKey), der))
    throw bad(`not the DER encoding of a ${algorithm} key`);
  return { algorithm, publicKey };
}

/** Reads AlgorithmIdentifier contents in `der[start, end)` and names the algorithm. */
function identify(der: Uint8Array, start: number, end: number): SpkiAlgorithm {
  const bad = (reason: string) => cryptoError('CRYPTO_SPKI_MALFORMED', 'spki', `spki algorithm: ${reason}`);
  const unknown = (what: string) =>
    cryptoError(
      'CRYPTO_SPKI_UNKNOWN_ALGORITHM',
      'spki',
      `spki algorithm: ${what}, want ed25519, x25519 or p256`,
    );
  const oid = readTlv(der, start, end, 'algorithm OID');
  if (oid.tag !== 0x06) throw bad('not an OBJECT IDENTIFIER');
  const hasParams = oid.end < end;
  if (bytesEqual(oid.value, OID_ED25519) || bytesEqual(oid.value, OID_X25519)) {
    // RFC 8410 §3: "the parameters MUST be absent".
    if (hasParams)
      throw bad(`parameters present for ${oidToString(oid.value)} (RFC 8410 §3: must be absent)`);
    return bytesEqual(oid.value, OID_ED25519) ? 'ed25519' : 'x25519';
  }
  if (!bytesEqual(oid.value, OID_EC_PUBLIC_KEY)) throw unknown(`got OID ${oidToString(oid.value)}`);
  if (!hasParams) throw bad('id-ecPublicKey without parameters (RFC 5480 §2.1.1: namedCurve required)');
  const params = readTlv(der, oid.end, end, 'ECParameters');
  if (params.end !== end) throw bad('extra elements after ECParameters');
  if (params.tag !== 0x06) throw unknown('got id-ecPublicKey with non-namedCurve parameters');
  if (!bytesEqual(params.value, OID_PRIME256V1)) {
    throw unknown(`got id-ecPublicKey with curve ${oidToString(params.value)}`);
  }
  return 'p256';
}
