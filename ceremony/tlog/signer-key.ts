/**
 * Signer keys in the text form of Go's `sumdb/note` (for key generation and tests only; they hold
 * the private key, so never log, print or store them next to evidence):
 *
 *     PRIVATE+KEY+<name>+hex(key ID)+base64(type || 32-byte Ed25519 seed)
 *
 * The key ID is that of the matching verifier key (c2sp.org/signed-note, "Verifier keys"). Type 0x01
 * gives a plain Ed25519 note signer, type 0x04 a cosignature/v1 signer (c2sp.org/tlog-cosignature).
 *
 * Portable: no `node:` imports.
 */
import { base64Encode } from '../codec/index.js';
import { ed25519 } from '../crypto/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { cosignatureSigner } from './cosignature.js';
import type { CosignatureSignerOptions } from './cosignature.js';
import { formatKeyId, keyIdFor } from './key-id.js';
import { ed25519Signer, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519 } from './verifier.js';
import type { Signer } from './verifier.js';
import { formatVerifierKey, splitKey } from './vkey.js';

const PREFIX = 'PRIVATE+KEY+';

/** A fresh key pair in text form. `signerKey` is secret. */
export interface GeneratedSignerKey {
  signerKey: string;
  verifierKey: string;
}

/**
 * Generates an Ed25519 key pair for notes (type 0x01) or cosignatures (type 0x04).
 *
 * @param name - key name; non-empty, no spaces or `+`.
 * @param type - 0x01 (default) or 0x04.
 * @throws UsageError `KEY_NAME_INVALID`, `SKEY_TYPE_UNSUPPORTED`.
 */
export function generateSignerKey(name: string, type: number = SIGNATURE_TYPE_ED25519): GeneratedSignerKey {
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new UsageError('SKEY_TYPE_UNSUPPORTED', `type: got ${type}, want 0x01 or 0x04`, { field: 'type' });
  }
  const { secretKey, publicKey } = ed25519.generateKeyPair();
  const verifierKey = formatVerifierKey({ name, type, publicKey });
  const raw = new Uint8Array(33);
  raw[0] = type;
  raw.set(secretKey, 1);
  const signerKey = `${PREFIX}${name}+${formatKeyId(keyIdFor(name, type, publicKey))}+${base64Encode(raw)}`;
  // Wipe our copies of the seed: only the returned text keeps it.
  raw.fill(0);
  secretKey.fill(0);
  return { signerKey, verifierKey };
}

/**
 * Parses a signer key. Error messages never contain the key text or bytes.
 *
 * @param skey - `PRIVATE+KEY+<name>+<8 lowercase hex>+<base64(type || seed)>`.
 * @param options - for type 0x04: the cosigner clock.
 * @throws MalformedError `SKEY_MALFORMED`, `SKEY_NAME_INVALID`, `SKEY_KEY_ID_INVALID`,
 *   `SKEY_KEY_INVALID`, `SKEY_TYPE_UNSUPPORTED`, `SKEY_KEY_LENGTH_INVALID`, `SKEY_KEY_ID_MISMATCH`.
 */
export function parseSignerKey(skey: string, options: CosignatureSignerOptions = {}): Signer {
  if (typeof skey !== 'string' || !skey.startsWith(PREFIX) || skey.length > 4096) {
    throw new MalformedError('SKEY_MALFORMED', 'skey: want PRIVATE+KEY+<name>+<hex key ID>+<base64 key>', {
      field: 'skey',
    });
  }
  const { name, keyId, type, key, raw } = splitKey(skey.slice(PREFIX.length), 'SKEY', 'skey');
  try {
    if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
      throw new MalformedError('SKEY_TYPE_UNSUPPORTED', 'skey.type: want 0x01 or 0x04', {
        field: 'skey.type',
      });
    }
    if (key.length !== 32) {
      throw new MalformedError('SKEY_KEY_LENGTH_INVALID', `skey.key: got ${key.length} bytes, want 32`, {
        field: 'skey.key',
      });
    }
    const want = keyIdFor(name, type, ed25519.getPublicKey(key));
    if (want !== keyId) {
      throw new MalformedError(
        'SKEY_KEY_ID_MISMATCH',
        `skey.keyId: got ${formatKeyId(keyId)}, want ${formatKeyId(want)}`,
        {
          field: 'skey.keyId',
        },
      );
    }
    return type === SIGNATURE_TYPE_ED25519 ? ed25519Signer(name, key) : cosignatureSigner(name, key, options);
  } finally {
    // The signer holds its own copy; wipe the decoded seed so it does not linger.
    raw.fill(0);
  }
}
