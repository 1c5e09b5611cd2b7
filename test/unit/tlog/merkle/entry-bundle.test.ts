import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeEntryBundle,
  entryBundleForIndex,
  hashLeaf,
  MemoryTree,
  parseEntryBundle,
  readTileData,
  tileAtSize,
} from '../../../../ceremony/tlog/merkle/index.js';
import { runs } from './config.js';
import { leafData } from './reference.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('entry bundles (C2SP tlog-tiles)', () => {
  it('round-trips 1..256 entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }),
        (entries) => {
          const data = encodeEntryBundle(entries);
          expect(parseEntryBundle(data)).toEqual(entries);
          expect(parseEntryBundle(data, entries.length)).toEqual(entries);
        },
      ),
      { numRuns: runs(100, 2000) },
    );
    const big = new Uint8Array(0xffff).fill(7);
    expect(parseEntryBundle(encodeEntryBundle([big, new Uint8Array(0)]))).toEqual([big, new Uint8Array(0)]);
    expect(encodeEntryBundle([Uint8Array.of(0xaa, 0xbb)])).toEqual(Uint8Array.of(0, 2, 0xaa, 0xbb));
  });

  it('refuses malformed bundles', () => {
    const one = encodeEntryBundle([Uint8Array.of(1, 2, 3)]);
    const cases: [string, Uint8Array, number?][] = [
      ['empty', new Uint8Array(0)],
      ['half a length prefix', Uint8Array.of(0)],
      ['truncated entry', one.subarray(0, one.length - 1)],
      ['trailing byte', Uint8Array.of(...one, 0)],
      ['length prefix beyond the data', Uint8Array.of(0xff, 0xff, 1)],
      ['257 entries', new Uint8Array(257 * 2)],
      ['width mismatch', one, 2],
    ];
    for (const [name, data, width] of cases)
      expect(
        codeOf(() => parseEntryBundle(data, width)),
        name,
      ).toBe('ENTRY_BUNDLE_MALFORMED');
    expect(parseEntryBundle(new Uint8Array(256 * 2)).length).toBe(256);
  });

  it('refuses what it cannot encode', () => {
    expect(codeOf(() => encodeEntryBundle([]))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    expect(codeOf(() => encodeEntryBundle(new Array(257).fill(new Uint8Array(0))))).toBe(
      'MERKLE_SIZE_OUT_OF_RANGE',
    );
    expect(codeOf(() => encodeEntryBundle([new Uint8Array(0x10000)]))).toBe('MERKLE_SIZE_OUT_OF_RANGE');
    expect(codeOf(() => encodeEntryBundle(['x' as unknown as Uint8Array]))).toBe('MERKLE_BAD_ARGUMENT');
  });

  it('locates the bundle of a leaf, and its entries hash to the level-0 tile', () => {
    expect(entryBundleForIndex(0, 1)).toEqual({ n: 0, width: 1 });
    expect(entryBundleForIndex(255, 256)).toEqual({ n: 0, width: 256 });
    expect(entryBundleForIndex(256, 300)).toEqual({ n: 1, width: 44 });
    expect(entryBundleForIndex(5n, 70000n)).toEqual({ n: 0, width: 256 });
    expect(codeOf(() => entryBundleForIndex(300, 300))).toBe('MERKLE_INDEX_OUT_OF_RANGE');

    const tree = new MemoryTree();
    const entries = Array.from({ length: 600 }, (_, i) => leafData(5, i));
    entries.forEach((e) => tree.append(e));
    for (const i of [0, 255, 256, 599]) {
      const b = entryBundleForIndex(i, 600);
      const bundle = parseEntryBundle(
        encodeEntryBundle(entries.slice(b.n * 256, b.n * 256 + b.width)),
        b.width,
      );
      const tile = readTileData(tileAtSize(0, b.n, 600), tree.readHashes);
      bundle.forEach((e, k) => expect(hashLeaf(e)).toEqual(tile.subarray(k * 32, k * 32 + 32)));
    }
  });
});
