/**
 * C2SP tlog-tiles entry bundles (c2sp.org/tlog-tiles, "Log entries"): the entries of one level-0
 * tile, each as a big-endian uint16 length followed by the entry's bytes. Entry i of bundle n is
 * leaf n·256 + i; its leaf hash (hashLeaf) is hash i of level-0 tile n.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../../errors.js';
import type { MerkleInputErrorCode, MerkleUsageErrorCode } from './checks.js';
import { checkBytes } from './checks.js';
import type { TreeInt } from './integers.js';
import { toTreeNumber } from './integers.js';
import type { EntryBundle } from './tile-path.js';
import { TILE_WIDTH, tileAtSize } from './tiles.js';

/** The largest entry a bundle can carry (uint16 length prefix). */
export const MAX_ENTRY_SIZE = 0xffff;

/**
 * The entry bundle holding leaf `index`, as published for a tree of `size` leaves.
 * Requires 0 <= index < size.
 *
 * @throws MalformedError `MERKLE_BAD_INTEGER` for integers out of range.
 * @throws UsageError `MERKLE_INDEX_OUT_OF_RANGE` if index >= size.
 */
export function entryBundleForIndex(index: TreeInt, size: TreeInt): EntryBundle {
  const i = toTreeNumber(index, 'index');
  const s = toTreeNumber(size, 'size');
  if (i >= s) {
    throw new UsageError<MerkleUsageErrorCode>(
      'MERKLE_INDEX_OUT_OF_RANGE',
      `index: got ${i}, want less than the tree size ${s}`,
      { field: 'index' },
    );
  }
  const { n, width } = tileAtSize(0, Math.floor(i / TILE_WIDTH), s);
  return { n, width };
}

/**
 * Encodes 1..256 entries as an entry bundle.
 *
 * @throws MalformedError `MERKLE_BAD_ARGUMENT` if an entry is not a Uint8Array.
 * @throws UsageError `MERKLE_SIZE_OUT_OF_RANGE` for 0 or more than 256 entries, or an entry
 *   longer than 65535 bytes.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) {
    throw new UsageError<MerkleUsageErrorCode>(
      'MERKLE_SIZE_OUT_OF_RANGE',
      `entries: got ${entries.length}, want 1..${TILE_WIDTH}`,
      { field: 'entries' },
    );
  }
  let total = 0;
  entries.forEach((e, i) => {
    checkBytes(e, `entries[${i}]`);
    if (e.length > MAX_ENTRY_SIZE) {
      throw new UsageError<MerkleUsageErrorCode>(
        'MERKLE_SIZE_OUT_OF_RANGE',
        `entries[${i}]: got ${e.length} bytes, want at most ${MAX_ENTRY_SIZE}`,
        { field: `entries[${i}]` },
      );
    }
    total += 2 + e.length;
  });
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Parses an entry bundle, strictly: no truncated entry, no trailing bytes, 1..256 entries, and
 * exactly `width` entries when `width` is given (as a bundle path states it).
 *
 * @returns the entries, as views into `data`.
 * @throws MalformedError `ENTRY_BUNDLE_MALFORMED` with the reason.
 */
export function parseEntryBundle(data: Uint8Array, width?: number): Uint8Array[] {
  checkBytes(data, 'data');
  const bad = (reason: string): never => {
    throw new MalformedError<MerkleInputErrorCode>('ENTRY_BUNDLE_MALFORMED', `entry bundle: ${reason}`, {
      field: 'data',
    });
  };
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (entries.length === TILE_WIDTH) bad(`got more than ${TILE_WIDTH} entries`);
    if (at + 2 > data.length) bad(`entry ${entries.length}: got 1 byte of its 2-byte length prefix`);
    const len = (data[at]! << 8) | data[at + 1]!;
    if (at + 2 + len > data.length) {
      bad(`entry ${entries.length}: got ${data.length - at - 2} bytes, want ${len}`);
    }
    entries.push(data.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  if (entries.length === 0) bad('got no entries, want at least 1');
  if (width !== undefined && entries.length !== width) bad(`got ${entries.length} entries, want ${width}`);
  return entries;
}
