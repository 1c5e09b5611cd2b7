/**
 * RFC 9162 Merkle trees for the witness log: hashing, proof verification, proof generation from
 * stored hashes, an in-memory tree, and C2SP tlog-tiles tile math. Re-exports only; see
 * docs/tlog-merkle.md.
 */
export { HASH_SIZE, emptyRoot, hashChildren, hashLeaf, hashesEqual } from './hash.js';
export type { TreeInt } from './integers.js';
export { MAX_STORED_LEAVES, MAX_TREE_INT } from './integers.js';
export type { MerkleInputErrorCode, MerkleUsageErrorCode, ProofErrorCode } from './checks.js';
export { checkInclusion, rootFromInclusionProof, verifyInclusion } from './verify-inclusion.js';
export { checkConsistency, rootFromConsistencyProof, verifyConsistency } from './verify-consistency.js';
export type { HashReader } from './stored.js';
export {
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashesForRecordHash,
  storedHashIndex,
} from './stored.js';
export { treeHash } from './tree-hash.js';
export { proveRecord, proveTree } from './prove.js';
export { MemoryTree } from './memory-tree.js';
export type { Tile } from './tiles.js';
export {
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  checkTile,
  hashFromTile,
  newTiles,
  readTileData,
  tileAtSize,
  tileForIndex,
  tileHashReader,
  tileStoredHashIndexes,
} from './tiles.js';
export type { EntryBundle, TileResource } from './tile-path.js';
export {
  formatEntriesPath,
  formatTilePath,
  parseEntriesPath,
  parseTilePath,
  parseTileResource,
} from './tile-path.js';
export { MAX_ENTRY_SIZE, encodeEntryBundle, entryBundleForIndex, parseEntryBundle } from './entry-bundle.js';
