/**
 * Verifier keys, c2sp.org/signed-note ("Verifier keys"):
 *
 *     <key name>+hex(32-bit key ID)+base64(signature type || public key)
 *
 * Supported types: 0x01 (Ed25519 note signatures) and 0x04 (cosignature/v1,
 * c2sp.org/tlog-cosignature). The key ID must be the recommended one (first four bytes of
 * SHA-256(name || 0x0A || type || key)), written as 8 lowercase hex digits.
 *
 * Portable: no `node:` imports.
 */
import { base64Decode, base64Encode } from '../codec/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { cosignatureVerifier } from './cosignature.js';
import { formatKeyId, isValidKeyName, keyIdFor, parseKeyIdHex } from './key-id.js';
import { ed25519Verifier, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519 } from './verifier.js';
import type { Verifier } from './verifier.js';

/** Longest verifier key accepted, in UTF-16 code units. */
const MAX_VKEY_LENGTH = 4096;

function malformed(code: string, field: string, reason: string, cause?: unknown): never {
  throw new MalformedError(code, `${field}: ${reason}`, { field, cause });
}

/**
 * Splits `<a>+<b>+<rest>` at the first two `+` (base64 may itself contain `+`), checks the name,
 * key ID and base64. Shared with signer keys.
 */
export function splitKey(
  text: string,
  prefix: 'VKEY' | 'SKEY',
  field: string,
): { name: string; keyId: number; type: number; key: Uint8Array; raw: Uint8Array } {
  const p1 = text.indexOf('+');
  const p2 = p1 < 0 ? -1 : text.indexOf('+', p1 + 1);
  if (p2 < 0) malformed(`${prefix}_MALFORMED`, field, 'want <name>+<hex key ID>+<base64 key>');
  const name = text.slice(0, p1);
  const idText = text.slice(p1 + 1, p2);
  if (!isValidKeyName(name))
    malformed(`${prefix}_NAME_INVALID`, `${field}.name`, 'empty, or holds a space or +');
  const keyId = parseKeyIdHex(idText);
  if (keyId === undefined) {
    malformed(`${prefix}_KEY_ID_INVALID`, `${field}.keyId`, 'want exactly 8 lowercase hex digits');
  }
  let raw: Uint8Array;
  try {
    raw = base64Decode(text.slice(p2 + 1), `${field}.key`);
  } catch (cause) {
    malformed(`${prefix}_KEY_INVALID`, `${field}.key`, 'not canonical base64', cause);
  }
  if (raw.length < 2)
    malformed(`${prefix}_KEY_INVALID`, `${field}.key`, `got ${raw.length} bytes, want type || key`);
  return { name, keyId, type: raw[0]!, key: raw.subarray(1), raw };
}

/**
 * Parses a verifier key.
 *
 * @param vkey - `<name>+<8 lowercase hex>+<base64(type || key)>`.
 * @returns a {@link Verifier} for `openNote`.
 * @throws MalformedError `VKEY_MALFORMED` (missing parts, too long), `VKEY_NAME_INVALID`,
 *   `VKEY_KEY_ID_INVALID` (not 8 lowercase hex digits), `VKEY_KEY_INVALID` (bad base64, empty),
 *   `VKEY_KEY_ID_MISMATCH` (the ID is not SHA-256(name || 0x0A || type || key)[:4]),
 *   `VKEY_TYPE_UNSUPPORTED` (not 0x01 or 0x04), `VKEY_KEY_LENGTH_INVALID` (Ed25519 key not 32 bytes).
 * @example parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k')
 */
export function parseVerifierKey(vkey: string): Verifier {
  if (typeof vkey !== 'string' || vkey.length > MAX_VKEY_LENGTH) {
    malformed('VKEY_MALFORMED', 'vkey', `want a string of at most ${MAX_VKEY_LENGTH} characters`);
  }
  const { name, keyId, type, key } = splitKey(vkey, 'VKEY', 'vkey');
  const want = keyIdFor(name, type, key);
  if (want !== keyId) {
    malformed('VKEY_KEY_ID_MISMATCH', 'vkey.keyId', `got ${formatKeyId(keyId)}, want ${formatKeyId(want)}`);
  }
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    malformed(
      'VKEY_TYPE_UNSUPPORTED',
      'vkey.type',
      `got 0x${type.toString(16).padStart(2, '0')}, want 0x01 or 0x04`,
    );
  }
  if (key.length !== 32) malformed('VKEY_KEY_LENGTH_INVALID', 'vkey.key', `got ${key.length} bytes, want 32`);
  return type === SIGNATURE_TYPE_ED25519 ? ed25519Verifier(name, key) : cosignatureVerifier(name, key);
}

/**
 * Formats a verifier key (the inverse of {@link parseVerifierKey}).
 *
 * @param verifier - name, type and public key; `keyId`, when given, must be the recommended one.
 * @throws UsageError `KEY_NAME_INVALID`, `VKEY_TYPE_UNSUPPORTED`, `KEY_LENGTH_INVALID`,
 *   `VKEY_KEY_ID_MISMATCH`.
 */
export function formatVerifierKey(
  verifier: Pick<Verifier, 'name' | 'type' | 'publicKey'> & { keyId?: number },
): string {
  const { name, type, publicKey } = verifier;
  if (!isValidKeyName(name))
    throw new UsageError('KEY_NAME_INVALID', 'verifier.name: empty, or holds a space or +');
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new UsageError('VKEY_TYPE_UNSUPPORTED', `verifier.type: got ${type}, want 0x01 or 0x04`);
  }
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new UsageError('KEY_LENGTH_INVALID', 'verifier.publicKey: want 32 bytes');
  }
  const keyId = keyIdFor(name, type, publicKey);
  if (verifier.keyId !== undefined && verifier.keyId !== keyId) {
    throw new UsageError(
      'VKEY_KEY_ID_MISMATCH',
      `verifier.keyId: got ${formatKeyId(verifier.keyId)}, want ${formatKeyId(keyId)}`,
    );
  }
  const raw = new Uint8Array(33);
  raw[0] = type;
  raw.set(publicKey, 1);
  return `${name}+${formatKeyId(keyId)}+${base64Encode(raw)}`;
}
