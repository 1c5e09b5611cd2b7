/**
 * WitnessLog on a real SQLite file, checked against MemoryTree (ceremony/tlog/merkle) as the
 * reference: roots, inclusion and consistency proofs for every size, checkpoints, tlog-proofs,
 * group commit, and the argument errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  openCheckpoint,
  parseTlogProof,
  verifyConsistency,
  verifyInclusion,
  hashLeaf,
  verifyTlogProof,
} from '../../../../ceremony/tlog/index.js';
import type { WitnessLog } from '../../../../ceremony/witness/log/index.js';
import { entryBytes, logFixture, ORIGIN } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
let log: WitnessLog;
beforeEach(() => {
  fx = logFixture();
  log = fx.open();
});
afterEach(() => {
  log.close();
  fx.cleanup();
});

/** Appends `n` entries in batches of varied sizes to both the log and a MemoryTree. */
function fill(n: number, ref = new MemoryTree(), tag = 'e'): void {
  let i = Number(log.size());
  const end = i + n;
  while (i < end) {
    const batch = Array.from({ length: Math.min(end - i, 1 + (i % 7)) }, (_, k) => entryBytes(i + k, tag));
    const { firstIndex } = log.appendSync(batch);
    expect(firstIndex).toBe(BigInt(i));
    for (const e of batch) ref.append(e);
    i += batch.length;
  }
}

describe('WitnessLog: tree and proofs', () => {
  it('matches MemoryTree: entries, roots, every inclusion and consistency proof up to 40 entries', () => {
    const ref = new MemoryTree();
    fill(40, ref);
    expect(log.size()).toBe(40n);
    for (let size = 1; size <= 40; size++) {
      const root = log.rootHash(size);
      expect(root).toEqual(ref.root(size));
      for (let i = 0; i < size; i++) {
        const proof = log.inclusionProof(i, size);
        expect(proof).toEqual(ref.proveInclusion(i, size));
        expect(verifyInclusion(hashLeaf(entryBytes(i)), i, size, proof, root)).toBe(true);
      }
      for (let s1 = 1; s1 <= size; s1++) {
        const proof = log.consistencyProof(s1, size);
        expect(proof).toEqual(ref.proveConsistency(s1, size));
        expect(verifyConsistency(s1, size, ref.root(s1), root, proof)).toBe(true);
      }
    }
    for (let i = 0; i < 40; i++) expect(log.entry(i)).toEqual(entryBytes(i));
  });

  it('matches MemoryTree on random proofs in a log of 3000 entries (several tile levels)', () => {
    const ref = new MemoryTree();
    for (let i = 0; i < 3000; i += 500) {
      const batch = Array.from({ length: 500 }, (_, k) => entryBytes(i + k));
      log.appendSync(batch);
      batch.forEach((e) => ref.append(e));
    }
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), 1 + (seed % n));
    for (let k = 0; k < 300; k++) {
      const size = rand(3000);
      const other = rand(size);
      expect(log.rootHash(size)).toEqual(ref.root(size));
      expect(log.inclusionProof(other - 1, size)).toEqual(ref.proveInclusion(other - 1, size));
      expect(log.consistencyProof(other, size)).toEqual(ref.proveConsistency(other, size));
    }
  });

  it('the empty log has the RFC 9162 empty root and no entries', () => {
    expect(log.size()).toBe(0n);
    expect(log.rootHash()).toEqual(new MemoryTree().root());
    expect(() => log.entry(0)).toThrow(expect.objectContaining({ code: 'LOG_INDEX_OUT_OF_RANGE' }));
  });

  it('refuses bad arguments with named codes', async () => {
    fill(3);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'no error';
    };
    expect(code(() => log.appendSync([]))).toBe('LOG_BATCH_EMPTY');
    expect(code(() => log.appendSync([new Uint8Array(65536)]))).toBe('LOG_ENTRY_INVALID');
    expect(code(() => log.appendSync(['x' as unknown as Uint8Array]))).toBe('LOG_ENTRY_INVALID');
    expect(code(() => log.inclusionProof(3, 3))).toBe('LOG_INDEX_OUT_OF_RANGE');
    expect(code(() => log.inclusionProof(0, 4))).toBe('LOG_SIZE_OUT_OF_RANGE');
    expect(code(() => log.consistencyProof(0, 2))).toBe('LOG_SIZE_OUT_OF_RANGE');
    expect(code(() => log.consistencyProof(3, 2))).toBe('LOG_SIZE_OUT_OF_RANGE');
    expect(code(() => log.rootHash(-1))).toBe('MERKLE_BAD_INTEGER');
    await expect(log.append([])).rejects.toMatchObject({ code: 'LOG_BATCH_EMPTY' });
    expect(log.size()).toBe(3n);
    // A 65535-byte entry (the bundle limit) and an empty one are fine.
    expect(log.appendSync([new Uint8Array(65535), new Uint8Array(0)]).firstIndex).toBe(3n);
  });
});

describe('WitnessLog: checkpoints', () => {
  it('signs one checkpoint per size and returns the stored one when asked again', () => {
    fill(10);
    const cp = log.checkpoint();
    expect(log.checkpoint()).toBe(cp);
    const opened = openCheckpoint(cp, [fx.verifier], { origin: ORIGIN });
    expect(opened.checkpoint.size).toBe(10n);
    expect(opened.checkpoint.rootHash).toEqual(log.rootHash());
    fill(5, undefined, 'f');
    const cp2 = log.checkpoint();
    expect(cp2).not.toBe(cp);
    expect(log.checkpointSizes()).toEqual([10n, 15n]);
    expect(log.checkpointAt(10)?.note).toBe(cp);
    expect(log.latestCheckpoint()?.note).toBe(cp2);
    expect(log.checkpointAt(11)).toBeUndefined();
  });

  it('keeps the stored checkpoint across reopen and never re-signs a size', () => {
    fill(4);
    const cp = log.checkpoint();
    log.close();
    log = fx.open();
    expect(log.checkpoint()).toBe(cp);
    expect(log.checkpointSizes()).toEqual([4n]);
  });

  it('tlogProof verifies, checkpoints the current size when needed, and honours options.size', () => {
    fill(9);
    const p = log.tlogProof(8);
    expect(log.checkpointSizes()).toEqual([9n]);
    expect(verifyTlogProof(p, { entry: entryBytes(8) }, [fx.verifier], { origin: ORIGIN }).index).toBe(8n);
    fill(3, undefined, 'g');
    // The latest checkpoint (9) covers entry 2: no new checkpoint.
    expect(parseTlogProof(log.tlogProof(2)).checkpoint).toBe(log.checkpointAt(9)!.note);
    expect(log.checkpointSizes()).toEqual([9n]);
    log.tlogProof(10);
    expect(log.checkpointSizes()).toEqual([9n, 12n]);
    const old = log.tlogProof(2, { size: 9, extra: Uint8Array.of(7) });
    expect(parseTlogProof(old).extra).toEqual(Uint8Array.of(7));
    expect(verifyTlogProof(old, { entry: entryBytes(2) }, [fx.verifier]).checkpoint.size).toBe(9n);
    expect(() => log.tlogProof(2, { size: 10 })).toThrow(
      expect.objectContaining({ code: 'LOG_SIZE_OUT_OF_RANGE' }),
    );
  });
});

describe('WitnessLog: concurrent appends', () => {
  it('queues concurrent callers, groups them, gives each its own contiguous indexes', async () => {
    const batches = Array.from({ length: 200 }, (_, k) =>
      Array.from({ length: 1 + (k % 3) }, (_, j) => entryBytes(k * 10 + j, 'c')),
    );
    const results = await Promise.all(batches.map((b) => log.append(b)));
    const total = batches.reduce((n, b) => n + b.length, 0);
    expect(log.size()).toBe(BigInt(total));
    results.forEach((r, k) => {
      batches[k]!.forEach((e, j) => expect(log.entry(r.firstIndex + BigInt(j))).toEqual(e));
    });
    // Call order is kept.
    const firsts = results.map((r) => r.firstIndex);
    expect([...firsts].sort((a, b) => (a < b ? -1 : 1))).toEqual(firsts);
  });

  it('copies entries: a caller reusing its buffer does not change what is logged', async () => {
    const buf = Uint8Array.of(1, 2, 3);
    const p = log.append([buf]);
    buf[0] = 9;
    await p;
    expect(log.entry(0)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('rejects queued appends when closed, and everything afterwards', async () => {
    const p = log.append([Uint8Array.of(1)]);
    log.close();
    await expect(p).rejects.toMatchObject({ code: 'LOG_CLOSED' });
    expect(() => log.size()).toThrow(expect.objectContaining({ code: 'LOG_CLOSED' }));
    log = fx.open();
    expect(log.size()).toBe(0n);
  });
});
