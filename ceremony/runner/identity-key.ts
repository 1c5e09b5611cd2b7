/**
 * Participants' identity keys as files (rehearsals) and on tokens (smart cards).
 *
 * File format: an Ed25519 private key as PEM PKCS#8 (RFC 8410 §7, PEM label `PRIVATE KEY`),
 * exactly what `openssl genpkey -algorithm ed25519` writes, so participants can make and inspect
 * their keys with stock tools. The DER is the fixed 16-byte prefix below followed by the 32-byte
 * seed. Key files must not be readable by group or others (mode 0600 or stricter): a key file that
 * is, is refused before it is read.
 *
 * Seeds are wiped (filled with zeros) after use: they live in this process only as long as a
 * signature takes.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { concatBytes, equalBytes, hexEncode, pemDecode, pemEncode, utf8Decode } from '../codec/index.js';
import { ed25519 } from '../crypto/index.js';
import { MalformedError, UsageError, VerificationError, isCeremonyError } from '../errors.js';
import { writeFileExclusive } from '../io/index.js';
import type { Hsm } from '../hsm/index.js';

/** DER of PrivateKeyInfo { version 0, AlgorithmIdentifier id-Ed25519, OCTET STRING { OCTET STRING(32) } }. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** Largest key file read: a PEM Ed25519 key is 119 bytes. */
const MAX_KEY_FILE_BYTES = 4096;

/** A signature and the public key that makes it. */
export interface IdentitySignature {
  signature: Uint8Array;
  publicKey: Uint8Array;
}

/** PEM PKCS#8 text of an Ed25519 `seed` (32 bytes). */
export function encodeIdentityKey(seed: Uint8Array): string {
  if (seed.length !== 32)
    throw new UsageError('IDENTITY_KEY_BAD_SEED', `seed: got ${seed.length} bytes, want 32`);
  const der = concatBytes(PKCS8_ED25519_PREFIX, seed);
  try {
    return pemEncode('PRIVATE KEY', der);
  } finally {
    der.fill(0);
  }
}

/**
 * Creates a new identity key file at `path` (exclusively, mode 0600) and returns its public key.
 * @throws UsageError `IDENTITY_KEY_EXISTS` if the file exists.
 */
export function generateIdentityKeyFile(path: string): Uint8Array {
  const { secretKey, publicKey } = ed25519.generateKeyPair();
  try {
    writeFileExclusive(path, encodeIdentityKey(secretKey), 0o600, 'IDENTITY_KEY_EXISTS');
  } finally {
    secretKey.fill(0);
  }
  return publicKey;
}

/**
 * Checks that `path` is a regular file readable only by its owner, without reading it.
 * @throws UsageError `IDENTITY_KEY_NOT_FOUND`, `IDENTITY_KEY_PERMISSIONS`.
 */
export function checkIdentityKeyFile(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile())
    throw new UsageError('IDENTITY_KEY_NOT_FOUND', 'no such key file', { file: path });
  if ((st.mode & 0o077) !== 0) throw tooOpen(path, st.mode);
}

function tooOpen(path: string, mode: number): UsageError {
  return new UsageError(
    'IDENTITY_KEY_PERMISSIONS',
    `the key file is accessible to group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    { file: path },
  );
}

/**
 * Runs `use` with the seed of the identity key file at `path`, then wipes the seed.
 * @throws UsageError `IDENTITY_KEY_NOT_FOUND`, `IDENTITY_KEY_PERMISSIONS`; MalformedError
 *   `IDENTITY_KEY_MALFORMED` (not a PEM Ed25519 PKCS#8 key; the message never quotes the file).
 */
export function withIdentityKey<T>(path: string, use: (seed: Uint8Array, publicKey: Uint8Array) => T): T {
  checkIdentityKeyFile(path);
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(MAX_KEY_FILE_BYTES + 1);
  let der: Uint8Array | undefined;
  try {
    // Checked again on the open file: it may have been replaced since the check by name.
    const st = fstatSync(fd);
    if ((st.mode & 0o077) !== 0) throw tooOpen(path, st.mode);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n > MAX_KEY_FILE_BYTES) throw malformed(path, `larger than ${MAX_KEY_FILE_BYTES} bytes`);
    try {
      der = pemDecode(utf8Decode(buf.subarray(0, n)), 'PRIVATE KEY', { lax: true, field: 'key file' });
    } catch (e) {
      throw malformed(path, `not a PEM private key${isCeremonyError(e) ? ` (${e.code})` : ''}`);
    }
    const key = der;
    if (key.length !== 48 || !equalBytes(key.subarray(0, 16), PKCS8_ED25519_PREFIX))
      throw malformed(
        path,
        'not an Ed25519 PKCS#8 private key (openssl genpkey -algorithm ed25519 makes one)',
      );
    const seed = key.subarray(16);
    return use(seed, ed25519.getPublicKey(seed));
  } finally {
    closeSync(fd);
    buf.fill(0);
    der?.fill(0);
  }
}

function malformed(path: string, reason: string) {
  return new MalformedError('IDENTITY_KEY_MALFORMED', reason, { file: path });
}

/** The public key of the identity key file at `path` (the seed is wiped). */
export function identityPublicKey(path: string): Uint8Array {
  return withIdentityKey(path, (_seed, publicKey) => publicKey);
}

/** Signs `message` with the identity key file at `path`. */
export function signWithKeyFile(path: string, message: Uint8Array): IdentitySignature {
  return withIdentityKey(path, (seed, publicKey) => ({ signature: ed25519.sign(seed, message), publicKey }));
}

/**
 * Signs `message` with the Ed25519 key `keyLabel` on a token (a participant's smart card, or an
 * emulated device in rehearsals), after checking the key is Ed25519 and, when given, is
 * `expected`.
 * @throws UsageError `IDENTITY_TOKEN_KEY_NOT_FOUND`, `IDENTITY_TOKEN_KEY_NOT_ED25519`;
 *   VerificationError `IDENTITY_TOKEN_KEY_MISMATCH`.
 */
export async function signWithToken(
  hsm: Hsm,
  keyLabel: string,
  message: Uint8Array,
  expected?: Uint8Array,
): Promise<IdentitySignature> {
  const key = await hsm.findKey(keyLabel);
  if (key === undefined)
    throw new UsageError('IDENTITY_TOKEN_KEY_NOT_FOUND', `no key labelled ${keyLabel} on the token`, {
      field: 'keyLabel',
    });
  if (key.algorithm !== 'ed25519')
    throw new UsageError(
      'IDENTITY_TOKEN_KEY_NOT_ED25519',
      `key ${keyLabel} is ${key.algorithm}, an identity key is Ed25519`,
      {
        field: 'keyLabel',
      },
    );
  if (expected !== undefined && !equalBytes(key.publicKey, expected))
    throw new VerificationError(
      'IDENTITY_TOKEN_KEY_MISMATCH',
      `key ${keyLabel} on the token is ${hexEncode(key.publicKey)}, not the pinned ${hexEncode(expected)}`,
      { field: 'publicKey' },
    );
  return { signature: await hsm.sign(keyLabel, message), publicKey: key.publicKey };
}
