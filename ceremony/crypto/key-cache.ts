/**
 * A small least-recently-used cache of imported **public** keys, keyed by the key's exact bytes.
 *
 * The native backend imports a raw public key into a node:crypto KeyObject (a JWK import, ≈6–17 µs)
 * before each verification; a client verifying bundles checks the same handful of pinned keys again
 * and again, so it keeps the last {@link PUBLIC_KEY_CACHE_SIZE} imports. Safe to share because a
 * public key is public and its KeyObject is immutable; the bound keeps memory fixed whatever keys
 * an attacker sends (they only evict one another). Secret keys are never cached: they would
 * outlive the call that was given them, beyond the reach of `wipe`.
 *
 * Only successful imports are stored, so a key that failed its checks is checked again next time.
 *
 * Portable: no `node:` imports.
 */

/** Entries each cache keeps. A fleet client pins a few keys; 64 leaves room for rotation. */
export const PUBLIC_KEY_CACHE_SIZE = 64;

/**
 * The bytes as a string map key: one UTF-16 code unit per byte, so two keys have the same string
 * exactly when they have the same bytes (and the same length).
 */
function cacheKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** An LRU map from public-key bytes to an imported key. */
export class PublicKeyCache<K> {
  readonly #entries = new Map<string, K>();

  /** @param capacity - entries kept, at least 1 (default {@link PUBLIC_KEY_CACHE_SIZE}). */
  constructor(readonly capacity: number = PUBLIC_KEY_CACHE_SIZE) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`PublicKeyCache capacity: got ${capacity}, want an integer >= 1`);
    }
  }

  /**
   * The key imported from `publicKey`: from the cache, or from `load(publicKey)`, which is then
   * cached (evicting the least recently used entry when full). An exception from `load`
   * propagates and caches nothing.
   *
   * Precondition: `publicKey` is a public key, never secret material.
   */
  get(publicKey: Uint8Array, load: (publicKey: Uint8Array) => K): K {
    const id = cacheKey(publicKey);
    const hit = this.#entries.get(id);
    if (hit !== undefined) {
      // Map iterates in insertion order: re-inserting makes this entry the most recently used.
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    const loaded = load(publicKey);
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, loaded);
    return loaded;
  }

  /** How many keys are cached (for tests). */
  get size(): number {
    return this.#entries.size;
  }
}
