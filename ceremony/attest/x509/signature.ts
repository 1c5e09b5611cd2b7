/**
 * Certificate signature verification (RFC 5280 §6.1.3 (a)(1)) for the algorithms vendor
 * attestation chains use:
 *
 * - sha256/384/512WithRSAEncryption (RFC 4055 §5; parameters NULL or absent), RSA keys of at least
 *   2048 bits, through WebCrypto `RSASSA-PKCS1-v1_5`;
 * - ecdsa-with-SHA256/384/512 (RFC 5758 §3.2) on P-256/P-384/P-521, after a strict DER →
 *   `r || s` conversion (RFC 3279 §2.2.3): ecdsa-with-SHA256 on P-256 through the crypto facade
 *   (`p256.verify`, docs/crypto.md §2), the others through WebCrypto `ECDSA`;
 * - Ed25519 (RFC 8410 §6) through the crypto facade (`ed25519.verify`): RFC 8032 with the
 *   cofactorless equation, S < L, and canonical, non-small-order keys, as OpenSSL verifies (noble's
 *   own verify is cofactored and accepts more). WebCrypto lacks Ed25519 in some browsers.
 *
 * SHA-1, MD5 and RSA-PSS are not supported: a chain that needs them does not verify.
 * Whether an ecdsa AlgorithmIdentifier may carry NULL parameters is decided by the chain
 * (deviation `ecdsa-null-parameters`); this module accepts both.
 *
 * Portable: the crypto facade and WebCrypto (`globalThis.crypto.subtle`); no `node:` imports.
 */
import { ed25519, p256 } from '../../crypto/index.js';
import type { AlgorithmId } from './certificate.js';
import { TAG, decodeDer, derSequence } from './der.js';
import { derInteger, derNull } from './der-values.js';
import type { CurveName, SpkiKey } from './spki.js';
import { NAMED_CURVES, parseSpki } from './spki.js';

/** The outcome of one signature check. */
export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'ATTEST_SIGNATURE_INVALID' | 'ATTEST_ALGORITHM_UNSUPPORTED'; reason: string };

const RSA_HASH: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ECDSA_HASH: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const ED25519_SIG = '1.3.101.112';
/** Smallest RSA modulus accepted for a certificate signature. */
export const MIN_RSA_BITS = 2048;

/** A copy backed by its own ArrayBuffer (what WebCrypto's BufferSource wants). */
const own = (u: Uint8Array): Uint8Array<ArrayBuffer> => u.slice();

const invalid = (reason: string): SignatureCheck => ({ ok: false, code: 'ATTEST_SIGNATURE_INVALID', reason });
const unsupported = (reason: string): SignatureCheck => ({
  ok: false,
  code: 'ATTEST_ALGORITHM_UNSUPPORTED',
  reason,
});

/**
 * Verifies `signature` over `data` made with `algorithm` by the key in `issuerSpki`.
 * Never throws for bad input: a key or signature that cannot be used gives `ok: false`.
 */
export async function verifySignature(
  algorithm: AlgorithmId,
  issuerSpki: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<SignatureCheck> {
  let key: SpkiKey;
  try {
    key = parseSpki(issuerSpki, 'issuer.subjectPublicKeyInfo');
  } catch (e) {
    return unsupported(`the issuer's public key cannot be used: ${(e as Error).message}`);
  }
  const rsaHash = RSA_HASH[algorithm.oid];
  const ecdsaHash = ECDSA_HASH[algorithm.oid];
  try {
    if (rsaHash !== undefined) {
      if (algorithm.parameters !== undefined) derNull(algorithm.parameters, 'signatureAlgorithm.parameters');
      if (key.type !== 'rsa') return invalid(`an RSA signature, but the issuer key is ${key.type}`);
      if (key.bits < MIN_RSA_BITS)
        return unsupported(`RSA key of ${key.bits} bits (minimum ${MIN_RSA_BITS})`);
      const params = { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash };
      const k = await crypto.subtle.importKey('spki', own(issuerSpki), params, false, ['verify']);
      return (await crypto.subtle.verify(params, k, own(signature), own(data)))
        ? { ok: true }
        : invalid('RSA signature does not verify');
    }
    if (ecdsaHash !== undefined) {
      if (key.type !== 'ec') return invalid(`an ECDSA signature, but the issuer key is ${key.type}`);
      const raw = ecdsaDerToRaw(signature, key.curve);
      if (raw === undefined) return invalid('ECDSA signature is not a DER ECDSA-Sig-Value of the right size');
      if (algorithm.oid === ECDSA_WITH_SHA256 && key.curve === 'P-256') {
        // The facade hashes with SHA-256, checks the point is on the curve (else throws, caught
        // below) and r, s in [1, n-1].
        return p256.verify(key.publicKey, data, raw)
          ? { ok: true }
          : invalid('ECDSA signature does not verify');
      }
      const k = await crypto.subtle.importKey(
        'spki',
        own(issuerSpki),
        { name: 'ECDSA', namedCurve: key.curve },
        false,
        ['verify'],
      );
      return (await crypto.subtle.verify({ name: 'ECDSA', hash: ecdsaHash }, k, own(raw), own(data)))
        ? { ok: true }
        : invalid('ECDSA signature does not verify');
    }
    if (algorithm.oid === ED25519_SIG) {
      if (algorithm.parameters !== undefined)
        return invalid('Ed25519 AlgorithmIdentifier must have no parameters');
      if (key.type !== 'ed25519') return invalid(`an Ed25519 signature, but the issuer key is ${key.type}`);
      if (signature.length !== 64) return invalid(`Ed25519 signature is ${signature.length} bytes, want 64`);
      // A malformed or small-order key throws (caught below); a wrong signature is false.
      return ed25519.verify(key.publicKey, data, signature)
        ? { ok: true }
        : invalid('Ed25519 signature does not verify');
    }
  } catch (e) {
    return invalid(`signature check failed: ${(e as Error).message}`);
  }
  return unsupported(`signature algorithm ${algorithm.oid} is not supported`);
}

/**
 * ECDSA-Sig-Value (RFC 3279 §2.2.3) → raw `r || s`, each left-padded to the curve size; undefined
 * when the DER is not canonical or r or s is out of range.
 */
export function ecdsaDerToRaw(der: Uint8Array, curve: CurveName): Uint8Array | undefined {
  const size = Object.values(NAMED_CURVES).find((c) => c.name === curve)!.size;
  try {
    const items = derSequence(decodeDer(der, 'signature'), 'signature', 2, 2);
    const out = new Uint8Array(2 * size);
    for (const [i, el] of items.entries()) {
      const v = derInteger(el, 'signature', TAG.INTEGER);
      if (v <= 0n) return undefined;
      const hex = v.toString(16);
      if (hex.length > 2 * size) return undefined;
      const bytes = hex.padStart(2 * size, '0');
      for (let j = 0; j < size; j++) out[i * size + j] = parseInt(bytes.slice(2 * j, 2 * j + 2), 16);
    }
    return out;
  } catch {
    return undefined;
  }
}
