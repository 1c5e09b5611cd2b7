/**
 * LogClient over exported tiles: proofs built client-side from tiles equal the log's server-side
 * proofs and verify; entries come back checked; a missing partial tile falls back to the full one;
 * tiles or bundles that lie are caught with LOG_TILES_INVALID; and the HTTP source reads the same
 * through a stubbed fetch.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyTlogProof } from '../../../../ceremony/tlog/index.js';
import {
  LogClient,
  dirLogSource,
  httpLogSource,
  openLogSource,
} from '../../../../ceremony/witness/log/index.js';
import type { WitnessLog } from '../../../../ceremony/witness/log/index.js';
import { entryBytes, logFixture, ORIGIN } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
let log: WitnessLog;
let out: string;
beforeEach(() => {
  fx = logFixture();
  log = fx.open();
  out = join(fx.dir, 'tiles');
});
afterEach(() => {
  log.close();
  fx.cleanup();
});

function grow(to: number): void {
  for (let i = Number(log.size()); i < to; i += 1000) {
    log.appendSync(Array.from({ length: Math.min(1000, to - i) }, (_, k) => entryBytes(i + k)));
  }
}

describe('LogClient from exported tiles', () => {
  it('builds the same inclusion and consistency proofs as the log, and checks them', async () => {
    grow(1000);
    log.exportTiles(out);
    grow(66_000 + 17);
    log.exportTiles(out);
    const client = new LogClient(dirLogSource(out), fx.verifier);
    const cp = await client.fetchCheckpoint();
    expect(cp).toMatchObject({ origin: ORIGIN, size: 66_017n });
    for (const i of [0, 1, 255, 256, 999, 1000, 65_535, 65_536, 66_016]) {
      const { proof } = await client.inclusionProof(i, cp);
      expect(proof).toEqual(log.inclusionProof(i, 66_017));
      const p = await client.tlogProof(i, cp);
      expect(verifyTlogProof(p, { entry: entryBytes(i) }, [fx.verifier]).index).toBe(BigInt(i));
      expect(await client.entry(i, cp)).toEqual(entryBytes(i));
    }
    for (const s of [1, 2, 256, 999, 1000, 65_536, 66_016, 66_017]) {
      const { proof, oldRoot } = await client.consistencyProof(s, cp);
      expect(proof).toEqual(log.consistencyProof(s, 66_017));
      expect(oldRoot).toEqual(log.rootHash(s));
      expect(await client.rootHash(s, cp)).toEqual(log.rootHash(s));
    }
  }, 30_000);

  it('reads a range of entries fetching each bundle and tile once', async () => {
    grow(700);
    log.exportTiles(out);
    const dirSource = dirLogSource(out);
    const reads: string[] = [];
    const counting = {
      location: out,
      read: (p: string, max: number) => (reads.push(p), dirSource.read(p, max)),
    };
    const client = new LogClient(counting, fx.verifier);
    const cp = await client.fetchCheckpoint();
    const got = await client.entries(0, 700, cp);
    expect(got).toEqual(Array.from({ length: 700 }, (_, i) => entryBytes(i)));
    expect(reads.filter((p) => p.startsWith('tile/entries/')).sort()).toEqual([
      'tile/entries/000',
      'tile/entries/001',
      'tile/entries/002.p/188',
    ]);
    expect(new Set(reads).size).toBe(reads.length);
    expect(await client.entries(5, 5, cp)).toEqual([]);
    await expect(client.entries(0, 701, cp)).rejects.toMatchObject({ code: 'LOG_INDEX_OUT_OF_RANGE' });
  });

  it('falls back to the full tile when a partial one was pruned', async () => {
    grow(300);
    log.exportTiles(out);
    const client = new LogClient(dirLogSource(out), fx.verifier);
    const old = await client.fetchCheckpoint();
    grow(600);
    log.exportTiles(out);
    rmSync(join(out, 'tile/0/001.p/44'));
    rmSync(join(out, 'tile/entries/001.p/44'));
    // The old checkpoint's tree needs tile/0/001.p/44: the full tile/0/001 serves instead.
    expect(await client.rootHash(300, old)).toEqual(log.rootHash(300));
    expect(await new LogClient(dirLogSource(out), fx.verifier).entry(299, old)).toEqual(entryBytes(299));
  });

  it('catches tiles and entry bundles that do not match the signed checkpoint', async () => {
    grow(600);
    log.exportTiles(out);
    const tile = log.readResource('tile/0/002.p/88');
    tile[5]! ^= 1;
    writeFileSync(join(out, 'tile/0/002.p/88'), tile);
    const client = new LogClient(dirLogSource(out), fx.verifier);
    const cp = await client.fetchCheckpoint();
    await expect(client.rootHash(600, cp)).rejects.toMatchObject({ code: 'LOG_TILES_INVALID' });
    await expect(client.inclusionProof(599, cp)).rejects.toMatchObject({ code: 'LOG_TILES_INVALID' });
    await expect(client.consistencyProof(300, cp)).rejects.toMatchObject({ code: 'LOG_TILES_INVALID' });
    // Entries: a bundle with one entry changed.
    const fresh = logFixture();
    try {
      const l2 = fresh.open();
      l2.appendSync([Uint8Array.of(1), Uint8Array.of(2)]);
      const d = join(fresh.dir, 't');
      l2.exportTiles(d);
      writeFileSync(join(d, 'tile/entries/000.p/2'), Uint8Array.of(0, 1, 1, 0, 1, 3));
      const c2 = new LogClient(dirLogSource(d), fresh.verifier);
      await expect(c2.entry(1, await c2.fetchCheckpoint())).rejects.toMatchObject({
        code: 'LOG_TILES_INVALID',
      });
      l2.close();
    } finally {
      fresh.cleanup();
    }
  });

  it('refuses a checkpoint signed by another key, and a missing or oversized resource', async () => {
    grow(3);
    log.exportTiles(out);
    const stranger = logFixture();
    try {
      const c = new LogClient(dirLogSource(out), stranger.verifier);
      await expect(c.fetchCheckpoint()).rejects.toMatchObject({ code: 'CHECKPOINT_NO_VERIFIED_SIGNATURE' });
    } finally {
      stranger.cleanup();
    }
    rmSync(join(out, 'tile/0/000.p/3'));
    const c = new LogClient(dirLogSource(out), fx.verifier);
    const cp = await c.fetchCheckpoint();
    await expect(c.rootHash(3, cp)).rejects.toMatchObject({ code: 'LOG_RESOURCE_MISSING' });
    writeFileSync(join(out, 'checkpoint'), 'x'.repeat(2_000_000));
    await expect(c.fetchCheckpoint()).rejects.toMatchObject({ code: 'LOG_RESOURCE_MALFORMED' });
    await expect(openLogSource(join(fx.dir, 'nope'))).rejects.toMatchObject({ code: 'LOG_LOCATION_INVALID' });
    await expect(dirLogSource(out).read('../log.db', 100)).rejects.toMatchObject({
      code: 'TILE_PATH_MALFORMED',
    });
  });

  it('reads over HTTP through fetch, with 404 as missing and other statuses as errors', async () => {
    grow(5);
    log.exportTiles(out);
    const seen: string[] = [];
    const fakeFetch = (async (url: string) => {
      seen.push(url);
      const path = url.slice('https://log.example/prefix/'.length);
      if (path === 'tile/0/000.p/5') return new Response('busy', { status: 503 });
      try {
        return new Response(log.readResource(path).slice().buffer as ArrayBuffer);
      } catch {
        return new Response('not found', { status: 404 });
      }
    }) as unknown as typeof fetch;
    const src = httpLogSource('https://log.example/prefix', { fetch: fakeFetch });
    const c = new LogClient(src, fx.verifier);
    const cp = await c.fetchCheckpoint();
    expect(cp.size).toBe(5n);
    expect(seen).toEqual(['https://log.example/prefix/checkpoint']);
    expect(await src.read('tile/0/001', 8192)).toBeUndefined();
    await expect(c.rootHash(5, cp)).rejects.toMatchObject({ code: 'LOG_RESOURCE_MISSING' });
    await expect(src.read('checkpoint', 10)).rejects.toMatchObject({ code: 'LOG_RESOURCE_MALFORMED' });
    expect(() => httpLogSource('ftp://x/')).toThrow(
      expect.objectContaining({ code: 'LOG_LOCATION_INVALID' }),
    );
  });
});
