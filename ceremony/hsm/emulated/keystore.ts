/**
 * The encrypted keystore file (`keystore.bin`) of an emulated HSM (docs/hsm.md, "State format").
 *
 * ```
 * header (authenticated as AES-GCM associated data):
 *   magic "FCEHSMK1" (8) | kdf id 0x01 = scrypt (1) | log2N (1) | r (1) | p (1)
 *   | salt (32) | nonce (12) | serial length (1) | serial (UTF-8)
 * body: AES-256-GCM(key = scrypt(PIN, salt), nonce, plaintext = CBOR payload) || tag (16)
 * ```
 *
 * Every write draws a fresh random 96-bit nonce (NIST SP 800-38D §8.2.2; a device sees far fewer
 * than 2^32 writes). A wrong PIN and a modified file are indistinguishable: both fail the tag.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MalformedError } from '../../errors.js';
import { join } from 'node:path';
import { readStateFile } from './files.js';
import { checkKdf, deriveKek } from './kdf.js';
import type { ScryptParams } from './kdf.js';
import { decodePayload, encodePayload } from './payload.js';
import type { KeystorePayload } from './payload.js';

/** The encrypted keystore file in the state directory. */
export const KEYSTORE_FILE = 'keystore.bin';
const MAGIC = Buffer.from('FCEHSMK1', 'ascii');
const KDF_SCRYPT = 0x01;
const SALT_LEN = 32;
const NONCE_LEN = 12;
const TAG_LEN = 16;
/** Upper bound on a keystore file; a device holds at most a few hundred small keys. */
export const MAX_KEYSTORE_BYTES = 4 << 20;

/** The public, authenticated part of the keystore file. */
export interface KeystoreHeader {
  kdf: ScryptParams;
  salt: Uint8Array;
  serial: string;
}

function malformed(file: string | undefined, reason: string): MalformedError {
  return new MalformedError('HSM_STATE_MALFORMED', `keystore: ${reason}`, { file });
}

function encodeHeader(h: KeystoreHeader, nonce: Uint8Array): Buffer {
  const serial = Buffer.from(h.serial, 'utf8');
  if (h.salt.length !== SALT_LEN || serial.length === 0 || serial.length > 255)
    throw new Error('keystore header: bad salt or serial');
  return Buffer.concat([
    MAGIC,
    Uint8Array.of(KDF_SCRYPT, h.kdf.log2N, h.kdf.r, h.kdf.p),
    h.salt,
    nonce,
    Uint8Array.of(serial.length),
    serial,
  ]);
}

/**
 * Parses and bounds-checks the header of a keystore file.
 * @throws MalformedError `HSM_STATE_MALFORMED` naming the file and what is wrong.
 */
export function parseKeystoreHeader(
  bytes: Uint8Array,
  file?: string,
): { header: KeystoreHeader; nonce: Uint8Array; headerLength: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fixed = MAGIC.length + 4 + SALT_LEN + NONCE_LEN + 1;
  if (b.length < fixed + TAG_LEN) throw malformed(file, `file is ${b.length} bytes, too short`);
  if (!b.subarray(0, MAGIC.length).equals(MAGIC))
    throw malformed(file, 'bad magic (not an emulated HSM keystore)');
  let o = MAGIC.length;
  if (b[o] !== KDF_SCRYPT) throw malformed(file, `unknown kdf id ${b[o]}`);
  const kdf = checkKdf({ log2N: b[o + 1]!, r: b[o + 2]!, p: b[o + 3]! }, 'state', file);
  o += 4;
  const salt = Uint8Array.from(b.subarray(o, o + SALT_LEN));
  o += SALT_LEN;
  const nonce = Uint8Array.from(b.subarray(o, o + NONCE_LEN));
  o += NONCE_LEN;
  const serialLen = b[o]!;
  o += 1;
  if (serialLen === 0 || b.length < o + serialLen + TAG_LEN) throw malformed(file, 'bad serial length');
  const serial = b.subarray(o, o + serialLen).toString('utf8');
  o += serialLen;
  return { header: { kdf, salt, serial }, nonce, headerLength: o };
}

/**
 * Encrypts a payload under `kek` with a fresh nonce; returns the complete file bytes.
 * Precondition: `kek` is the 32-byte key derived from the PIN with `header.kdf` and `header.salt`.
 */
export function sealKeystore(kek: Uint8Array, header: KeystoreHeader, payload: KeystorePayload): Buffer {
  const nonce = randomBytes(NONCE_LEN);
  const aad = encodeHeader(header, nonce);
  const plaintext = encodePayload(payload);
  try {
    const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_LEN });
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return Buffer.concat([aad, body]);
  } finally {
    // The plaintext holds every private key of the device; wipe our copy as soon as it is sealed.
    plaintext.fill(0);
  }
}

/**
 * Decrypts a keystore file.
 * @returns the payload, or `undefined` when the tag does not verify (wrong PIN, or a modified file).
 * @throws MalformedError `HSM_STATE_MALFORMED` for a malformed header or (after a valid tag) payload.
 */
export function openKeystore(kek: Uint8Array, bytes: Uint8Array, file?: string): KeystorePayload | undefined {
  const { nonce, headerLength } = parseKeystoreHeader(bytes, file);
  const aad = bytes.subarray(0, headerLength);
  const ct = bytes.subarray(headerLength, bytes.length - TAG_LEN);
  const tag = bytes.subarray(bytes.length - TAG_LEN);
  const decipher = createDecipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_LEN });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    return undefined;
  }
  try {
    return decodePayload(plaintext, file);
  } finally {
    // Wipe the decrypted bytes: decodePayload copied out what it needs.
    plaintext.fill(0);
  }
}

/** A fresh random salt for a new device. */
export function newSalt(): Uint8Array {
  return new Uint8Array(randomBytes(SALT_LEN));
}

/**
 * Decrypts the keystore of state directory `dir` with `pin`, bypassing lock and retry counter.
 * Internal (not re-exported): for tests that must see the private keys to prove no file holds them
 * in the clear. It does nothing an attacker holding the directory could not do offline.
 * @returns the payload, or undefined for a wrong PIN.
 */
export async function decryptKeystoreFile(dir: string, pin: string): Promise<KeystorePayload | undefined> {
  const file = join(dir, KEYSTORE_FILE);
  const bytes = readStateFile(file, MAX_KEYSTORE_BYTES, 'HSM_NOT_INITIALIZED');
  const { header } = parseKeystoreHeader(bytes, file);
  const kek = await deriveKek(pin, header.salt, header.kdf);
  try {
    return openKeystore(kek, bytes, file);
  } finally {
    kek.fill(0);
  }
}
