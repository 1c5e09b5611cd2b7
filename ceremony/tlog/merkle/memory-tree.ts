/**
 * An in-memory, append-only Merkle tree on the stored-hash layout (see ./stored.ts): one flat
 * buffer of 32-byte hashes, grown by doubling. Used by tests, benchmarks and the witness until its
 * SQLite storage arrives; the proofs are the ones any stored-hash backend produces.
 *
 * Portable: no `node:` imports.
 */
import { UsageError } from '../../errors.js';
import type { MerkleUsageErrorCode } from './checks.js';
import { checkBytes } from './checks.js';
import { HASH_SIZE, hashLeaf } from './hash.js';
import type { TreeInt } from './integers.js';
import { toTreeNumber } from './integers.js';
import { proveRecord, proveTree } from './prove.js';
import type { HashReader } from './stored.js';
import { storedHashesForRecordHash, storedHashIndex } from './stored.js';
import { treeHash } from './tree-hash.js';

const INITIAL_CAPACITY = 64; // hashes

/** An append-only Merkle tree held in memory, with RFC 9162 roots and proofs for any past size. */
export class MemoryTree {
  #hashes = new Uint8Array(INITIAL_CAPACITY * HASH_SIZE);
  #count = 0; // stored hashes
  #size = 0; // leaves

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** Number of stored hashes (see storedHashCount). */
  get storedHashCount(): number {
    return this.#count;
  }

  /**
   * Reads stored hashes by stored-hash index; returns copies. Usable as the {@link HashReader} of
   * proveRecord, proveTree, treeHash and readTileData.
   *
   * @throws UsageError `MERKLE_INDEX_OUT_OF_RANGE` for an index that is not stored.
   */
  readonly readHashes: HashReader = (indexes) =>
    indexes.map((i) => {
      if (!Number.isSafeInteger(i) || i < 0 || i >= this.#count) {
        throw new UsageError<MerkleUsageErrorCode>(
          'MERKLE_INDEX_OUT_OF_RANGE',
          `stored hash index: got ${String(i)}, want 0..${this.#count - 1}`,
        );
      }
      return this.#hashes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    });

  /**
   * Appends an entry; returns its leaf index.
   * @throws MalformedError `MERKLE_BAD_ARGUMENT` if data is not a Uint8Array.
   */
  append(data: Uint8Array): number {
    checkBytes(data, 'data');
    return this.appendLeafHash(hashLeaf(data));
  }

  /**
   * Appends a leaf by its leaf hash (`hashLeaf(entry)`); returns its leaf index.
   * @throws MalformedError `MERKLE_BAD_ARGUMENT` if leafHash is not 32 bytes.
   */
  appendLeafHash(leafHash: Uint8Array): number {
    const n = this.#size;
    const hashes = storedHashesForRecordHash(n, leafHash, this.readHashes);
    this.#reserve(hashes.length);
    for (const h of hashes) {
      this.#hashes.set(h, this.#count * HASH_SIZE);
      this.#count++;
    }
    this.#size = n + 1;
    return n;
  }

  /**
   * The leaf hash at `index`. Requires 0 <= index < size.
   * @throws UsageError `MERKLE_INDEX_OUT_OF_RANGE` otherwise.
   */
  leafHash(index: TreeInt): Uint8Array {
    const i = this.#index(index, this.#size);
    return this.readHashes([storedHashIndex(0, i)])[0]!;
  }

  /**
   * The root hash of the tree of the first `size` leaves (default: all). Requires size <= this.size.
   * @throws UsageError `MERKLE_SIZE_OUT_OF_RANGE` otherwise.
   */
  root(size: TreeInt = this.#size): Uint8Array {
    return treeHash(this.#treeSize(size, 'size'), this.readHashes);
  }

  /**
   * The inclusion proof for leaf `index` in the tree of the first `size` leaves (default: all).
   * Requires 0 <= index < size <= this.size.
   * @throws UsageError `MERKLE_SIZE_OUT_OF_RANGE` or `MERKLE_INDEX_OUT_OF_RANGE` otherwise.
   */
  proveInclusion(index: TreeInt, size: TreeInt = this.#size): Uint8Array[] {
    return proveRecord(this.#treeSize(size, 'size'), index, this.readHashes);
  }

  /**
   * The consistency proof from the tree of `size1` leaves to the tree of `size2` leaves (default:
   * all). Requires 0 < size1 <= size2 <= this.size.
   * @throws UsageError `MERKLE_SIZE_OUT_OF_RANGE` otherwise.
   */
  proveConsistency(size1: TreeInt, size2: TreeInt = this.#size): Uint8Array[] {
    return proveTree(size1, this.#treeSize(size2, 'size2'), this.readHashes);
  }

  #treeSize(size: TreeInt, field: string): number {
    const n = toTreeNumber(size, field);
    if (n > this.#size) {
      throw new UsageError<MerkleUsageErrorCode>(
        'MERKLE_SIZE_OUT_OF_RANGE',
        `${field}: got ${n}, want at most the tree size ${this.#size}`,
        { field },
      );
    }
    return n;
  }

  #index(index: TreeInt, size: number): number {
    const i = toTreeNumber(index, 'index');
    if (i >= size) {
      throw new UsageError<MerkleUsageErrorCode>(
        'MERKLE_INDEX_OUT_OF_RANGE',
        `index: got ${i}, want less than the tree size ${size}`,
        { field: 'index' },
      );
    }
    return i;
  }

  #reserve(extra: number): void {
    const need = (this.#count + extra) * HASH_SIZE;
    if (need <= this.#hashes.length) return;
    let capacity = this.#hashes.length * 2;
    while (capacity < need) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#hashes.subarray(0, this.#count * HASH_SIZE));
    this.#hashes = grown;
  }
}
