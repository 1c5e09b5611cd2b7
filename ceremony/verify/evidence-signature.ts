/**
 * The package signature `SHA256SUMS.sig` (docs/evidence.md, "What covers what"): the operator's
 * counter-signing key, inside its HSM, signs
 *
 *     "fleet-ceremony evidence v1" || 0x00 || SHA-256(SHA256SUMS)
 *
 * (a context string no other message of the project starts with, so the signature can be taken
 * for nothing else). `SHA256SUMS` lists every other file's SHA-256, so this one signature covers
 * every byte of the package. The file holds Ed25519's 64 raw bytes, or for P-256 the DER
 * `Ecdsa-Sig-Value` with low S: both what `openssl pkeyutl -verify` reads, and each the only
 * accepted encoding of its signature.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes, equalBytes, utf8Encode } from '../codec/index.js';
import { ed25519, p256, sha256 } from '../crypto/index.js';
import { toLowS } from '../crypto/p256-rules.js';
import { MalformedError } from '../errors.js';
import type { TrustedOperatorKey } from '../bundle/index.js';
import { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-der.js';

/** The context string of the package signature (followed by a 0x00 byte in the message). */
export const EVIDENCE_SIGNATURE_CONTEXT = 'fleet-ceremony evidence v1';

/** The algorithms of operator keys. */
export type EvidenceSignatureAlgorithm = 'ed25519' | 'p256';

/** The exact bytes the operator key signs for a package whose SHA256SUMS is `sums`. */
export function evidenceSignatureMessage(sums: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(EVIDENCE_SIGNATURE_CONTEXT), new Uint8Array(1), sha256(sums));
}

/**
 * The file bytes of a signature made by an HSM: Ed25519 as is, P-256 raw `r || s` as low-S DER.
 *
 * @throws MalformedError `ECDSA_SIGNATURE_MALFORMED` (P-256 not 64 bytes);
 *   `EVIDENCE_SIGNATURE_MALFORMED` for an Ed25519 signature that is not 64 bytes.
 */
export function encodeEvidenceSignature(
  algorithm: EvidenceSignatureAlgorithm,
  signature: Uint8Array,
): Uint8Array {
  if (algorithm === 'p256') return ecdsaRawToDer(toLowS(signature));
  if (signature.length !== 64) throw malformed(`an Ed25519 signature is 64 bytes, got ${signature.length}`);
  return signature.slice();
}

function malformed(reason: string): MalformedError {
  return new MalformedError('EVIDENCE_SIGNATURE_MALFORMED', `signature: ${reason}`, { field: 'signature' });
}

/** The raw signature a file holds for `algorithm`, or undefined if it is not that algorithm's one encoding. */
function decode(algorithm: EvidenceSignatureAlgorithm, file: Uint8Array): Uint8Array | undefined {
  if (algorithm === 'ed25519') return file.length === 64 ? file : undefined;
  try {
    const raw = ecdsaDerToRaw(file);
    return equalBytes(toLowS(raw), raw) ? raw : undefined; // high S is a second encoding: refused
  } catch {
    return undefined;
  }
}

/** Whether `file` is a valid signature of `message` under `key` (false for anything malformed). */
export function verifyEvidenceSignatureWith(
  key: { algorithm: EvidenceSignatureAlgorithm; publicKey: Uint8Array },
  message: Uint8Array,
  file: Uint8Array,
): boolean {
  const raw = decode(key.algorithm, file);
  if (raw === undefined) return false;
  try {
    return key.algorithm === 'ed25519'
      ? ed25519.verify(key.publicKey, message, raw)
      : p256.verify(key.publicKey, message, raw);
  } catch {
    return false;
  }
}

/**
 * The pinned operator key under which `file` signs the package whose SHA256SUMS is `sums`.
 *
 * @returns the key, or undefined when no pinned operator key verifies the signature.
 */
export function findEvidenceSigner(
  keys: readonly TrustedOperatorKey[],
  sums: Uint8Array,
  file: Uint8Array,
): TrustedOperatorKey | undefined {
  const message = evidenceSignatureMessage(sums);
  return keys.find((k) => verifyEvidenceSignatureWith(k, message, file));
}
