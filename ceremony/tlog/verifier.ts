/**
 * Note verifiers and signers (c2sp.org/signed-note, "Signatures"), and the Ed25519 kind
 * (signature type 0x01, "Ed25519 signatures": RFC 8032 over the note text).
 *
 * Portable: no `node:` imports.
 */
import { ed25519 } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { isValidKeyName, keyIdFor } from './key-id.js';

/** Signature type byte of plain Ed25519 note signatures. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** Signature type byte of timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;

/** A public key that checks note signatures. The pair (name, keyId) identifies it in a note. */
export interface Verifier {
  /** Key name as it appears in signature lines. */
  readonly name: string;
  /** Key ID, an unsigned 32-bit number. */
  readonly keyId: number;
  /** Signature type byte (0x01 Ed25519, 0x04 cosignature/v1). */
  readonly type: number;
  /** Public key material, without the type byte. */
  readonly publicKey: Uint8Array;
  /**
   * Whether `signature` (the bytes after the 4-byte key ID) signs the note text `message`.
   * Never throws for bad signature bytes: they give `false`.
   */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
  /** For timestamped types: the timestamp a (verified) signature carries. */
  timestamp?(signature: Uint8Array): bigint | undefined;
}

/**
 * A private key that signs note texts. Synchronous, so an HSM-backed signer must block. Holds
 * secret material: never log or serialise it.
 */
export interface Signer {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  /** Signs the note text; returns the signature bytes that follow the key ID. */
  sign(message: Uint8Array): Uint8Array;
}

/** Checks a key name for a verifier or signer being built by this library. */
export function assertKeyName(name: string, field: string): void {
  if (!isValidKeyName(name)) {
    throw new UsageError(
      'KEY_NAME_INVALID',
      `${field}: got ${JSON.stringify(name)}, want non-empty, no spaces or '+'`,
      {
        field,
      },
    );
  }
}

function assertLength(bytes: Uint8Array, length: number, field: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new UsageError('KEY_LENGTH_INVALID', `${field}: got ${got}, want ${length} bytes`, { field });
  }
}

/**
 * Ed25519 verification that answers `false` for anything that is not a valid signature (wrong
 * length, a point that does not decode), instead of throwing.
 */
export function ed25519VerifySafe(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(publicKey, message, signature);
  } catch {
    return false;
  }
}

/**
 * A verifier of plain Ed25519 note signatures (type 0x01).
 *
 * @param name - key name; non-empty, no spaces or `+`.
 * @param publicKey - 32-byte RFC 8032 public key.
 * @throws UsageError `KEY_NAME_INVALID`, `KEY_LENGTH_INVALID`.
 */
export function ed25519Verifier(name: string, publicKey: Uint8Array): Verifier {
  assertKeyName(name, 'verifier.name');
  assertLength(publicKey, 32, 'verifier.publicKey');
  const pk = publicKey.slice();
  return {
    name,
    keyId: keyIdFor(name, SIGNATURE_TYPE_ED25519, pk),
    type: SIGNATURE_TYPE_ED25519,
    publicKey: pk,
    verify: (message, signature) => ed25519VerifySafe(pk, message, signature),
  };
}

/**
 * A signer of plain Ed25519 note signatures (type 0x01).
 *
 * @param name - key name; non-empty, no spaces or `+`.
 * @param secretKey - 32-byte RFC 8032 seed. Copied; the caller may wipe its buffer afterwards.
 * @throws UsageError `KEY_NAME_INVALID`, `KEY_LENGTH_INVALID` (the message never shows key bytes).
 */
export function ed25519Signer(name: string, secretKey: Uint8Array): Signer {
  assertKeyName(name, 'signer.name');
  assertLength(secretKey, 32, 'signer.secretKey');
  const sk = secretKey.slice();
  const pk = ed25519.getPublicKey(sk);
  return {
    name,
    keyId: keyIdFor(name, SIGNATURE_TYPE_ED25519, pk),
    type: SIGNATURE_TYPE_ED25519,
    sign: (message) => ed25519.sign(sk, message),
  };
}
