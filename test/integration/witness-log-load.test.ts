/**
 * Bounded load on the witness log: 50 concurrent async submitters append to one log (as the HTTP
 * server's requests do) while a checkpointer publishes checkpoints as fast as it can. Afterwards:
 * no acknowledged entry is lost, none is stored twice, each sits at the index it was acknowledged
 * with, the tree equals a MemoryTree of the entries in index order, and the final checkpoint is
 * consistent with every checkpoint published along the way.
 *
 * 50 × 80 = 4,000 appends by default; 50 × 1,000 = 50,000 with FLEET_LONG_TESTS=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  generateSignerKey,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  verifyConsistency,
} from '../../ceremony/tlog/index.js';
import { WitnessLog } from '../../ceremony/witness/log/index.js';

const SUBMITTERS = 50;
const PER_SUBMITTER = process.env.FLEET_LONG_TESTS === '1' ? 1000 : 80;
const ORIGIN = 'load.example/log';
const dir = mkdtempSync(join(tmpdir(), 'fc-wlog-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('witness log under load', () => {
  it(`${SUBMITTERS} concurrent submitters × ${PER_SUBMITTER} appends: nothing lost, nothing twice, all checkpoints consistent`, async () => {
    const key = generateSignerKey(ORIGIN);
    const verifier = parseVerifierKey(key.verifierKey);
    const log = WitnessLog.open({
      storagePath: join(dir, 'log.db'),
      origin: ORIGIN,
      signer: parseSignerKey(key.signerKey),
    });
    const acked = new Map<string, bigint>();
    const notes: string[] = [];
    let running = true;
    const checkpointer = (async () => {
      while (running) {
        notes.push(log.checkpoint());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: SUBMITTERS }, async (_, s) => {
        for (let j = 0; j < PER_SUBMITTER; j++) {
          const text = `submitter-${s}-statement-${j}`;
          const { firstIndex } = await log.append([new TextEncoder().encode(text)]);
          acked.set(text, firstIndex);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    running = false;
    await checkpointer;
    notes.push(log.checkpoint());
    const total = SUBMITTERS * PER_SUBMITTER;
    console.log(
      `${total} appends from ${SUBMITTERS} submitters in ${seconds.toFixed(2)} s (${(total / seconds).toFixed(0)}/s), ${new Set(notes).size} checkpoints`,
    );

    try {
      expect(log.size()).toBe(BigInt(total));
      expect(acked.size).toBe(total);
      // Each acknowledged entry at its index; the indexes cover 0..total-1 exactly once.
      const ref = new MemoryTree();
      const byIndex = new Map([...acked].map(([text, i]) => [i, text]));
      expect(byIndex.size).toBe(total);
      for (let i = 0n; i < BigInt(total); i++) {
        const entry = log.entry(i);
        expect(new TextDecoder().decode(entry)).toBe(byIndex.get(i));
        ref.append(entry);
      }
      expect(log.rootHash()).toEqual(ref.root());
      // The final checkpoint is consistent with every earlier one, and each was signed once.
      const final = openCheckpoint(notes.at(-1)!, [verifier], { origin: ORIGIN }).checkpoint;
      expect(final.size).toBe(BigInt(total));
      const seen = new Map<bigint, string>();
      for (const note of notes) {
        const cp = openCheckpoint(note, [verifier], { origin: ORIGIN }).checkpoint;
        if (seen.has(cp.size)) expect(seen.get(cp.size)).toBe(note);
        seen.set(cp.size, note);
        if (cp.size === 0n) continue;
        const proof = log.consistencyProof(cp.size, final.size);
        expect(verifyConsistency(cp.size, final.size, cp.rootHash, final.rootHash, proof)).toBe(true);
      }
      expect(log.checkpointSizes()).toEqual([...seen.keys()].sort((a, b) => (a < b ? -1 : 1)));
    } finally {
      log.close();
    }
  }, 120_000);
});
