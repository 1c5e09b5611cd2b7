/**
 * RFC 9162 §2.1.1 Merkle Tree hashing with SHA-256 (the same as RFC 6962 §2.1): leaves and interior
 * nodes are domain-separated by a one-byte prefix so a leaf can never be passed off as a node.
 *
 * Portable: no `node:` imports; SHA-256 comes from the crypto facade.
 */
// The project's crypto facade, not node:crypto: eslint's `crypto` built-in pattern also matches
// this relative path (reported; eslint.config.js is not ours to change).
import { sha256 } from '../../crypto/index.js';

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const nodeScratch = new Uint8Array(1 + 2 * HASH_SIZE);

/**
 * The leaf hash of one log entry: `SHA-256(0x00 || data)` (RFC 9162 §2.1.1).
 *
 * @param data - the entry's bytes, any length.
 * @returns a fresh 32-byte hash.
 */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + data.length);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return sha256(buf);
}

/**
 * The hash of an interior node: `SHA-256(0x01 || left || right)` (RFC 9162 §2.1.1).
 *
 * Both children are normally 32-byte hashes; this primitive hashes whatever it is given, and the
 * verification functions check lengths before they call it.
 *
 * @returns a fresh 32-byte hash.
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    // The common case reuses one buffer: allocating a small typed array costs about as much as
    // a third of the hash itself. Safe because sha256 is synchronous, keeps no reference to its
    // input and returns a fresh array.
    nodeScratch[0] = NODE_PREFIX;
    nodeScratch.set(left, 1);
    nodeScratch.set(right, 1 + HASH_SIZE);
    return sha256(nodeScratch);
  }
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/**
 * The root of the empty tree: `SHA-256()` of no bytes (RFC 9162 §2.1.1, `MTH({}) = HASH()`),
 * `e3b0c442…b855`.
 *
 * @returns a fresh 32-byte hash.
 */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** Byte-wise equality of two hashes (public data: no constant-time requirement). */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
