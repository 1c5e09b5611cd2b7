/**
 * Witness log benchmarks (ceremony/witness/log), on the machine's disk (os.tmpdir()):
 *
 * - Floor: the raw durable-insert rate of a bare SQLite file with the log's settings (WAL,
 *   synchronous = FULL): one `INSERT` of a 100-byte blob per `BEGIN IMMEDIATE` transaction. Every
 *   commit waits for an fsync, so this is the disk's durable-commit rate as SQLite sees it.
 * - `witness-log.append 1/txn`: WitnessLog.appendSync of one 100-byte entry per call (one
 *   transaction each, as the server does when requests arrive one by one), against the floor.
 * - `witness-log.append 50 concurrent`: 50 async submitters awaiting WitnessLog.append; group
 *   commit shares transactions, so the ratio can exceed 1.
 * - `witness-log.append 256/txn`: batches of 256 entries, against the same 1/txn floor and against
 *   a bare batched insert of 256 blobs per transaction.
 * - Proof generation at 1,000,000 entries (100,000 with --quick): inclusion and consistency proofs
 *   for random indexes and sizes read from the SQLite store, against the same proofs from an
 *   in-memory MemoryTree of the same entries (the ratio is the price of the store).
 * - Opening (quick recovery) of the 1,000,000-entry store.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTree, generateSignerKey, parseSignerKey } from '../../ceremony/tlog/index.js';
import { WitnessLog } from '../../ceremony/witness/log/index.js';
import type { Benchmark, BenchRecord } from './lib.js';
import { median, ratioRecord, valueRecord } from './lib.js';

const now = (): number => performance.now();
const ENTRY = 100;

function entry(i: number): Uint8Array {
  const e = new Uint8Array(ENTRY).fill(0x61);
  new DataView(e.buffer).setUint32(0, i);
  return e;
}

/** A bare SQLite file with the log's durability settings and one table of 100-byte blobs. */
function rawStore(path: string): (perTxn: number) => void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (idx INTEGER PRIMARY KEY, data BLOB NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO t (idx, data) VALUES (?, ?)');
  let idx = 0;
  const tx = db.transaction((perTxn: number) => {
    for (let k = 0; k < perTxn; k++, idx++) insert.run(idx, entry(idx));
  });
  return (perTxn) => tx.immediate(perTxn);
}

/**
 * Per-second rates of `a` and `b`, called alternately `count` times each (so both see the same
 * disk conditions), each call writing `perCall` entries.
 */
function interleaved(count: number, perCall: number, a: () => void, b: () => void): [number, number] {
  let ta = 0;
  let tb = 0;
  for (let k = 0; k < count; k++) {
    const t0 = now();
    a();
    const t1 = now();
    b();
    ta += t1 - t0;
    tb += now() - t1;
  }
  return [(count * perCall * 1000) / ta, (count * perCall * 1000) / tb];
}

function openLog(path: string, skey: string): WitnessLog {
  const signer = parseSignerKey(skey);
  return WitnessLog.open({ storagePath: path, origin: signer.name, signer });
}

/** Median µs per call of `fn` over `cases`. */
function medianUs<T>(cases: readonly T[], fn: (c: T) => unknown): number {
  for (const c of cases.slice(0, 50)) fn(c); // warm-up
  return median(
    cases.map((c) => {
      const t0 = now();
      fn(c);
      return (now() - t0) * 1000;
    }),
  );
}

const bench: Benchmark = {
  name: 'witness-log',
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'fc-bench-wlog-'));
    const { signerKey } = generateSignerKey('bench.example/log');
    const records: BenchRecord[] = [];
    try {
      // The disk's fsync latency drifts: floor and log alternate call by call; medians of rounds.
      const rounds = ctx.quick ? 3 : 5;
      const txns = ctx.quick ? 100 : 400;
      const raw = rawStore(join(dir, 'raw.db'));
      const log = openLog(join(dir, 'append.db'), signerKey);
      let i = 0;
      const m: Record<'raw1' | 'raw256' | 'one' | 'batched' | 'concurrent', number[]> = {
        raw1: [],
        raw256: [],
        one: [],
        batched: [],
        concurrent: [],
      };
      for (let w = 0; w < 20; w++) {
        raw(1);
        log.appendSync([entry(i++)]);
      }
      for (let r = 0; r < rounds; r++) {
        const [r1, o1] = interleaved(
          txns,
          1,
          () => raw(1),
          () => log.appendSync([entry(i++)]),
        );
        const batch = () => log.appendSync(Array.from({ length: 256 }, () => entry(i++)));
        const [r256, b256] = interleaved(txns / 10, 256, () => raw(256), batch);
        m.raw1.push(r1);
        m.one.push(o1);
        m.raw256.push(r256);
        m.batched.push(b256);
        const perSubmitter = Math.ceil((txns * 4) / 50);
        const t0 = now();
        await Promise.all(
          Array.from({ length: 50 }, async () => {
            for (let k = 0; k < perSubmitter; k++) await log.append([entry(i++)]);
          }),
        );
        m.concurrent.push((50 * perSubmitter * 1000) / (now() - t0));
      }
      log.close();
      const [raw1, raw256, one, batched, concurrent] = [m.raw1, m.raw256, m.one, m.batched, m.concurrent].map(
        median,
      ) as [number, number, number, number, number];
      ctx.log(
        `raw durable inserts: ${raw1.toFixed(0)}/s one per txn (rounds: ${m.raw1.map((x) => x.toFixed(0)).join(', ')})`,
      );
      records.push(ratioRecord('witness-log.append 1/txn / raw insert 1/txn', one, raw1, 'appends/s', 0.5));
      records.push(
        ratioRecord('witness-log.append 50 concurrent / raw insert 1/txn', concurrent, raw1, 'appends/s'),
      );
      records.push(ratioRecord('witness-log.append 256/txn / raw insert 1/txn', batched, raw1, 'appends/s'));
      records.push(
        ratioRecord('witness-log.append 256/txn / raw insert 256/txn', batched, raw256, 'appends/s'),
      );

      // The big store, built in batched transactions, with an in-memory reference.
      const size = ctx.quick ? 100_000 : 1_000_000;
      const label = ctx.quick ? '100,000 (quick)' : '1,000,000';
      const big = openLog(join(dir, 'big.db'), signerKey);
      const ref = new MemoryTree();
      let t0 = now();
      for (let k = 0; k < size; k += 10_000) {
        const batch = Array.from({ length: 10_000 }, (_, j) => entry(k + j));
        big.appendSync(batch);
        for (const e of batch) ref.append(e);
      }
      const buildS = (now() - t0) / 1000;
      ctx.log(`built a store of ${label} entries in ${buildS.toFixed(1)} s (with the in-memory reference)`);
      big.checkpoint();
      big.close();
      t0 = now();
      const reopened = openLog(join(dir, 'big.db'), signerKey);
      records.push(valueRecord(`witness-log.open (quick recovery) at ${label}`, now() - t0, 'ms'));

      let seed = 0x5eed;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const cases = Array.from({ length: ctx.quick ? 500 : 2000 }, () => ({
        index: rand(size),
        size1: 1 + rand(size - 1),
      }));
      const incl = medianUs(cases, (c) => reopened.inclusionProof(c.index, size));
      const inclRef = medianUs(cases, (c) => ref.proveInclusion(c.index, size));
      const cons = medianUs(cases, (c) => reopened.consistencyProof(c.size1, size));
      const consRef = medianUs(cases, (c) => ref.proveConsistency(c.size1, size));
      const tlog = medianUs(cases.slice(0, 200), (c) => reopened.tlogProof(c.index));
      records.push(ratioRecord(`witness-log.inclusionProof at ${label} / MemoryTree`, incl, inclRef, 'µs'));
      records.push(ratioRecord(`witness-log.consistencyProof at ${label} / MemoryTree`, cons, consRef, 'µs'));
      records.push(valueRecord(`witness-log.tlogProof at ${label}`, tlog, 'µs'));
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return records;
  },
};

export default bench;
