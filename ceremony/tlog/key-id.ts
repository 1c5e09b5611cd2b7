/**
 * Key names and key IDs of c2sp.org/signed-note ("Signatures", "Verifier keys").
 *
 *     key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian uint32
 *
 * Key names are non-empty and contain no Unicode space and no `+`. We also refuse control
 * characters and lone surrogates, which a note cannot carry anyway.
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../crypto/index.js';
import { utf8 } from './text.js';

/**
 * Unicode white space as Go's `unicode.IsSpace` sees it (which `sumdb/note` uses) plus what
 * JavaScript's `\s` adds (U+FEFF): tab, LF, VT, FF, CR, space, U+0085, U+00A0, U+1680,
 * U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
 */
const SPACE = /[\s\u0085]/u;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

/** Whether `name` is a valid key name: non-empty, no Unicode space, no `+`, no control character. */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !SPACE.test(name) &&
    !name.includes('+') &&
    !hasControl(name) &&
    !LONE_SURROGATE.test(name)
  );
}

/**
 * The recommended key ID of c2sp.org/signed-note: the first four bytes, big-endian, of
 * SHA-256(name || 0x0A || type || publicKey).
 *
 * @param name - the key name (not checked here; see {@link isValidKeyName}).
 * @param type - the signature type byte (0x01 Ed25519, 0x04 cosignature/v1).
 * @param publicKey - the public key material, without the type byte.
 * @returns the key ID as an unsigned 32-bit number.
 * @example keyIdFor('example.com/foo', 0x01, pk) // 0x530d903a for the spec's example key
 */
export function keyIdFor(name: string, type: number, publicKey: Uint8Array): number {
  const n = utf8(name);
  const buf = new Uint8Array(n.length + 2 + publicKey.length);
  buf.set(n, 0);
  buf[n.length] = 0x0a;
  buf[n.length + 1] = type;
  buf.set(publicKey, n.length + 2);
  return readUint32(sha256(buf), 0);
}

/** The key ID as 8 lowercase hex digits, as in verifier keys. */
export function formatKeyId(keyId: number): string {
  return (keyId >>> 0).toString(16).padStart(8, '0');
}

/**
 * Parses a key ID written as exactly 8 lowercase hex digits (c2sp.org/signed-note, "Conventions":
 * fixed-length lowercase base 16). Returns undefined for anything else.
 */
export function parseKeyIdHex(text: string): number | undefined {
  return /^[0-9a-f]{8}$/.test(text) ? Number.parseInt(text, 16) : undefined;
}

/** Big-endian uint32 at `offset`. Requires `offset + 4 <= bytes.length`. */
export function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  );
}

/** The big-endian bytes of a uint32. */
export function uint32Bytes(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}
