import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedError } from '../../../../ceremony/errors.js';
import {
  formatEntriesPath,
  formatTilePath,
  parseEntriesPath,
  parseTilePath,
  parseTileResource,
} from '../../../../ceremony/tlog/merkle/index.js';
import { runs } from './config.js';

const tileArb = fc.record({
  level: fc.integer({ min: 0, max: 63 }),
  n: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.maxSafeNat()),
  width: fc.integer({ min: 1, max: 256 }),
});

function refusal(path: string): MalformedError | undefined {
  try {
    parseTileResource(path);
  } catch (e) {
    if (e instanceof MalformedError) return e;
    throw e;
  }
  return undefined;
}

describe('tile paths (C2SP tlog-tiles)', () => {
  // The spec's example, and Go sumdb/tlog's tile_test.go paths without the height element.
  const known: [string, { level: number; n: number; width: number }][] = [
    ['tile/0/x001/x234/067', { level: 0, n: 1234067, width: 256 }],
    ['tile/0/001', { level: 0, n: 1, width: 256 }],
    ['tile/0/001.p/5', { level: 0, n: 1, width: 5 }],
    ['tile/5/x123/x456/078', { level: 5, n: 123456078, width: 256 }],
    ['tile/5/x123/x456/078.p/2', { level: 5, n: 123456078, width: 2 }],
    ['tile/1/x003/x057/500', { level: 1, n: 3057500, width: 256 }],
    ['tile/63/000.p/255', { level: 63, n: 0, width: 255 }],
    ['tile/2/x001/000', { level: 2, n: 1000, width: 256 }],
    ['tile/0/x009/x007/x199/x254/x740/991', { level: 0, n: Number.MAX_SAFE_INTEGER, width: 256 }],
  ];
  it.each(known)('%s', (path, tile) => {
    expect(formatTilePath(tile)).toBe(path);
    expect(parseTilePath(path)).toEqual(tile);
    expect(parseTileResource(path)).toEqual({ kind: 'tile', tile });
  });

  it('formats and parses entry bundles', () => {
    expect(formatEntriesPath({ n: 1234067, width: 256 })).toBe('tile/entries/x001/x234/067');
    expect(formatEntriesPath({ n: 0, width: 3 })).toBe('tile/entries/000.p/3');
    expect(parseEntriesPath('tile/entries/x001/x234/067.p/17')).toEqual({ n: 1234067, width: 17 });
    expect(parseTileResource('tile/entries/005')).toEqual({ kind: 'entries', bundle: { n: 5, width: 256 } });
  });

  it('round-trips every tile and bundle', () => {
    fc.assert(
      fc.property(tileArb, (tile) => {
        expect(parseTilePath(formatTilePath(tile))).toEqual(tile);
        const bundle = { n: tile.n, width: tile.width };
        expect(parseEntriesPath(formatEntriesPath(bundle))).toEqual(bundle);
      }),
      { numRuns: runs(500, 20000) },
    );
  });

  const malformed = [
    '',
    'tile',
    'tile/',
    'tile/0',
    'tile/0/',
    '/tile/0/000',
    'tile/0/000/',
    'tile//000',
    'tile/00/000', // leading zero in L
    'tile/01/000',
    'tile/64/000', // L out of range
    'tile/100/000',
    'tile/-1/000',
    'tile/+1/000',
    'tile/1e1/000',
    'tile/data/000', // Go's data tiles are not C2SP
    'tile/8/0/000', // Go's height element
    'tile/3/5/123/456/078',
    'tile/0/0',
    'tile/0/00',
    'tile/0/0000',
    'tile/0/x000/005', // non-canonical leading x000
    'tile/0/x000/x001/005',
    'tile/0/x001',
    'tile/0/x1/000',
    'tile/0/X001/000',
    'tile/0/x001/x234',
    'tile/0/001/234',
    'tile/0/x010/x000/x000/x000/x000/x000/000', // beyond 2^53
    'tile/0/000.p/0',
    'tile/0/000.p/256', // full tiles have no suffix
    'tile/0/000.p/300',
    'tile/0/000.p/007', // leading zeros in W
    'tile/0/000.p/',
    'tile/0/000.p',
    'tile/0/000.P/5',
    'tile/0/000.p/5/',
    'tile/0/000p/5',
    'tile/0/000.p/-5',
    ' tile/0/000',
    'tile/0/000 ',
    'tile/0/000\n',
    'tile/0/\u0661\u0662\u0663', // non-ASCII digits
    'tile/０/000',
    'TILE/0/000',
    'tile/0/../000',
    'tile/0\\000',
    'tile/entries',
    'tile/entries/',
    'tile/entries/x000/001',
    'tile/entries/000.p/256',
    'tile/entries/0',
    'tile/entry/000',
    'https://log.example/tile/0/000',
    `tile/0/${'x001/'.repeat(30)}000`,
  ];
  it.each(malformed.map((p) => [JSON.stringify(p), p]))('refuses %s', (_shown, path) => {
    const e = refusal(path);
    expect(e?.code).toBe('TILE_PATH_MALFORMED');
    expect(e?.message).toMatch(/tile path .*: /);
  });

  it('keeps tiles and entry bundles apart', () => {
    expect(() => parseTilePath('tile/entries/000')).toThrow(MalformedError);
    expect(() => parseEntriesPath('tile/0/000')).toThrow(MalformedError);
  });

  it('accepts only canonical paths (random strings over the path alphabet)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'tile/entris.xp0123456789'.split('')), maxLength: 40 }),
        (s) => {
          const candidates = [s, `tile/${s}`, `tile/0/${s}`, `tile/entries/${s}`];
          for (const path of candidates) {
            const e = refusal(path);
            if (e !== undefined) continue;
            const r = parseTileResource(path);
            expect(r.kind === 'tile' ? formatTilePath(r.tile) : formatEntriesPath(r.bundle)).toBe(path);
          }
        },
      ),
      { numRuns: runs(2000, 50000) },
    );
  });
});
