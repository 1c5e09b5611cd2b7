/**
 * The stored-hash layout of Go's golang.org/x/mod/sumdb/tlog: every hash of every complete subtree,
 * in one dense sequence in the order they become known as leaves are appended (Crosby and Wallach,
 * "Efficient Data Structures for Tamper-Evident Logging", §3.3). Appending leaf `n` appends its
 * leaf hash and then the hash of every subtree the leaf completes, so storage is append-only.
 *
 * Hash (level, n) is the root of the perfect subtree of 2^level leaves starting at leaf n·2^level.
 *
 * Portable: no `node:` imports. Storage is behind {@link HashReader}, which is synchronous.
 */
import { MalformedError } from '../../errors.js';
import type { MerkleInputErrorCode } from './checks.js';
import { checkBytes } from './checks.js';
import { HASH_SIZE, hashChildren, hashLeaf } from './hash.js';
import type { TreeInt } from './integers.js';
import { MAX_STORED_LEAVES, toTreeNumber, trailingZerosNumber } from './integers.js';

/**
 * Reads stored hashes by their stored-hash indexes (see {@link storedHashIndex}). Must return one
 * 32-byte hash per index, in the same order; callers ask in increasing order where they can.
 */
export type HashReader = (indexes: readonly number[]) => readonly Uint8Array[];

/** The highest level a stored hash can have (a subtree of 2^52 leaves). */
const MAX_LEVEL = 52;

function checkLevel(level: number): void {
  if (!Number.isSafeInteger(level) || level < 0 || level > MAX_LEVEL) {
    throw new MalformedError<MerkleInputErrorCode>(
      'MERKLE_BAD_INTEGER',
      `level: got ${String(level)}, want an integer in 0..${MAX_LEVEL}`,
      { field: 'level' },
    );
  }
}

/**
 * Position in the stored-hash sequence of hash (level, n). Requires n·2^level < 2^52.
 * Go: StoredHashIndex.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if level or n is out of range.
 */
export function storedHashIndex(level: number, n: TreeInt): number {
  checkLevel(level);
  let m = toTreeNumber(n, 'n');
  // Level L's n-th hash is stored right after level L+1's (2n+1)-th hash: walk down to the
  // level-0 leaf that completes the subtree, then add the level back.
  const scale = 2 ** level;
  m = m * scale + (scale - 1);
  if (m >= MAX_STORED_LEAVES) {
    throw new MalformedError<MerkleInputErrorCode>(
      'MERKLE_BAD_INTEGER',
      `n: got ${String(n)} at level ${level}, want the subtree to end below leaf 2^52`,
      { field: 'n' },
    );
  }
  // Leaf m's hash is stored at m + m/2 + m/4 + ... (integer halvings until zero).
  let i = 0;
  for (; m > 0; m = Math.floor(m / 2)) i += m;
  return i + level;
}

/**
 * The (level, n) of the stored hash at `index`; the inverse of {@link storedHashIndex}.
 * Go: SplitStoredHashIndex.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if index is not a non-negative safe integer below
 *   the storage limit.
 */
export function splitStoredHashIndex(index: TreeInt): [level: number, n: number] {
  // The last stored hash of a full 2^52-leaf tree is at 2^53 - 2.
  const idx = toTreeNumber(index, 'index', 2 * MAX_STORED_LEAVES - 2);
  // storedHashIndex(0, n) <= 2n, so the leaf stored at or before idx is in [idx/2, idx/2 + log2 idx].
  let n = Math.floor(idx / 2);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    // Appending leaf n+1 starts after the 1 + trailingZeros(n+1) hashes appended with leaf n.
    const next = indexN + 1 + trailingZerosNumber(n + 1);
    if (next > idx) break;
    n++;
    indexN = next;
  }
  // The hash was stored with leaf n, so it is one of (0, n), (1, n/2), (2, n/4), ...
  const level = idx - indexN;
  return [level, Math.floor(n / 2 ** level)];
}

/**
 * Number of stored hashes of a tree of `size` leaves. Go: StoredHashCount.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if size is out of range (0..2^52).
 */
export function storedHashCount(size: TreeInt): number {
  const n = toTreeNumber(size, 'size');
  if (n === 0) return 0;
  // Hashes up to the last leaf hash, then those of the subtrees that leaf completes.
  let count = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = Math.floor(i / 2)) count++;
  return count;
}

/**
 * Reads `indexes` through `reader` and checks the reader kept its contract.
 *
 * @throws MalformedError `MERKLE_READER_MISMATCH` if the reader returned the wrong number of
 *   hashes or a hash that is not 32 bytes.
 */
export function readHashesChecked(reader: HashReader, indexes: readonly number[]): readonly Uint8Array[] {
  if (indexes.length === 0) return [];
  const hashes = reader(indexes);
  if (!Array.isArray(hashes) || hashes.length !== indexes.length) {
    throw new MalformedError<MerkleInputErrorCode>(
      'MERKLE_READER_MISMATCH',
      `hash reader: got ${Array.isArray(hashes) ? hashes.length : typeof hashes} hashes, want ${indexes.length}`,
    );
  }
  for (let i = 0; i < hashes.length; i++) {
    const h: unknown = hashes[i];
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new MalformedError<MerkleInputErrorCode>(
        'MERKLE_READER_MISMATCH',
        `hash reader: stored hash ${indexes[i]}: got ${h instanceof Uint8Array ? `${h.length} bytes` : typeof h}, want ${HASH_SIZE} bytes`,
      );
    }
  }
  return hashes;
}

/**
 * The hashes to append to storage when appending leaf `n` whose leaf hash is `leafHash`: the leaf
 * hash, then the hash of each subtree the leaf completes (1 + trailingZeros(n+1) hashes). They go
 * at stored-hash indexes `storedHashIndex(0, n)` onwards. Requires that leaves 0..n-1 are stored.
 * Go: StoredHashesForRecordHash.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` if n is out of range; `MERKLE_BAD_ARGUMENT` if
 *   leafHash is not 32 bytes; `MERKLE_READER_MISMATCH` if the reader breaks its contract.
 */
export function storedHashesForRecordHash(
  n: TreeInt,
  leafHash: Uint8Array,
  reader: HashReader,
): Uint8Array[] {
  const leaf = toTreeNumber(n, 'n', MAX_STORED_LEAVES - 1);
  checkBytes(leafHash, 'leafHash');
  if (leafHash.length !== HASH_SIZE) {
    throw new MalformedError<MerkleInputErrorCode>(
      'MERKLE_BAD_ARGUMENT',
      `leafHash: got ${leafHash.length} bytes, want ${HASH_SIZE}`,
      { field: 'leafHash' },
    );
  }
  // Each trailing 1 bit of n completes a subtree, which needs the hash of its left sibling.
  const m = trailingZerosNumber(leaf + 1);
  const indexes = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    // Sorted increasingly; floor(n / 2^i) is odd here, so its left sibling is one less.
    indexes[m - 1 - i] = storedHashIndex(i, Math.floor(leaf / 2 ** i) - 1);
  }
  const old = readHashesChecked(reader, indexes);
  const hashes = [leafHash];
  let h = leafHash;
  for (let i = 0; i < m; i++) {
    h = hashChildren(old[m - 1 - i]!, h);
    hashes.push(h);
  }
  return hashes;
}

/**
 * The hashes to append to storage when appending leaf `n` with entry bytes `leafData`; see
 * {@link storedHashesForRecordHash}. Requires that leaves 0..n-1 are stored. Go: StoredHashes.
 *
 * @throws as {@link storedHashesForRecordHash}.
 */
export function storedHashes(n: TreeInt, leafData: Uint8Array, reader: HashReader): Uint8Array[] {
  checkBytes(leafData, 'leafData');
  return storedHashesForRecordHash(n, hashLeaf(leafData), reader);
}
