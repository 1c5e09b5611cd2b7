/**
 * Merkle tree benchmarks (ceremony/tlog/merkle):
 *
 * - `merkle.verifyInclusion 2^20 / bare sha256`: verifying one inclusion proof in a tree of 2^20
 *   leaves (2^16 with --quick), median over many random leaves, against the bare cost of the same
 *   number of SHA-256 calls made directly with node:crypto (createHash('sha256').update(65
 *   bytes).digest(); the leaf hash is given, so there is no leaf-independent work). The ratio is
 *   the price of everything around the hashing: argument checks, the crypto facade, buffers.
 * - `merkle.verifyInclusion … [facade sha256 = bare createHash] / bare sha256`: the same, with the
 *   facade's sha256 swapped for the bare node:crypto call, so the ratio is this code's own overhead
 *   apart from the crypto backend's (its checks and the copy of each digest).
 * - `merkle.verifyConsistency … / bare sha256`: the same for consistency proofs to the full tree.
 * - `merkle.proveInclusion …`, `merkle.proveConsistency …`: proof generation from MemoryTree's
 *   stored hashes.
 * - `merkle.MemoryTree.append …`: building the tree, per leaf.
 *
 * Hash calls per proof are counted, not assumed, by wrapping the crypto backend.
 */
import { createHash } from 'node:crypto';
import { cryptoBackend, setCryptoBackend } from '../../ceremony/crypto/index.js';
import { MemoryTree, verifyConsistency, verifyInclusion } from '../../ceremony/tlog/merkle/index.js';
import type { Benchmark, BenchRecord } from './lib.js';
import { median, ratioRecord, valueRecord } from './lib.js';

/** A small deterministic PRNG (xorshift32), so runs pick the same leaves. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** SHA-256 calls `fn` makes through the crypto facade. */
function countHashes(fn: () => unknown): number {
  const backend = cryptoBackend();
  let calls = 0;
  setCryptoBackend({
    ...backend,
    sha256: (d) => {
      calls++;
      return backend.sha256(d);
    },
  });
  try {
    fn();
  } finally {
    setCryptoBackend(backend);
  }
  return calls;
}

const now = (): bigint => process.hrtime.bigint();

/** Mean ns per call of `fn` over `reps` back-to-back calls. */
function sample(fn: () => unknown, reps: number): number {
  const t0 = now();
  for (let r = 0; r < reps; r++) fn();
  return Number(now() - t0) / reps;
}

const bareInput = new Uint8Array(65).fill(0x5a);
function bareHashes(count: number): void {
  for (let i = 0; i < count; i++) createHash('sha256').update(bareInput).digest();
}

const bench: Benchmark = {
  name: 'merkle',
  async run(ctx) {
    const log2 = ctx.quick ? 16 : 20;
    const size = 2 ** log2;
    const label = `2^${log2}`;
    const leaves = ctx.quick ? 300 : 2000;
    const reps = 16;
    const rand = prng(0x6d65726b);
    ctx.log(`crypto backend: ${cryptoBackend().name}`);

    // Build the tree with the stored-hash MemoryTree.
    const tree = new MemoryTree();
    const entry = new Uint8Array(16);
    const view = new DataView(entry.buffer);
    const t0 = now();
    for (let i = 0; i < size; i++) {
      view.setUint32(0, i);
      tree.append(entry);
    }
    const appendNs = Number(now() - t0) / size;
    ctx.log(`built a ${label}-leaf tree in ${((appendNs * size) / 1e9).toFixed(2)} s`);
    const root = tree.root();

    // Random leaves and old sizes, with their proofs.
    const cases = Array.from({ length: leaves }, () => {
      const index = Math.floor(rand() * size);
      const size1 = 1 + Math.floor(rand() * (size - 1));
      return {
        index,
        leaf: tree.leafHash(index),
        proof: tree.proveInclusion(index),
        size1,
        root1: tree.root(size1),
        cproof: tree.proveConsistency(size1),
      };
    });
    for (const c of cases) {
      if (!verifyInclusion(c.leaf, c.index, size, c.proof, root))
        throw new Error(`bench: proof ${c.index} failed`);
      if (!verifyConsistency(c.size1, size, c.root1, root, c.cproof))
        throw new Error(`bench: proof ${c.size1} failed`);
    }
    const inclHashes = cases.map((c) =>
      countHashes(() => verifyInclusion(c.leaf, c.index, size, c.proof, root)),
    );
    const consHashes = cases.map((c) =>
      countHashes(() => verifyConsistency(c.size1, size, c.root1, root, c.cproof)),
    );
    ctx.log(
      `hashes per proof: inclusion ${Math.min(...inclHashes)}..${Math.max(...inclHashes)}, consistency ${Math.min(...consHashes)}..${Math.max(...consHashes)}`,
    );

    // Warm up, then sample each case: the verification and its bare hashes back to back.
    for (let round = 0; round < 3; round++) {
      cases.forEach((c, i) => {
        verifyInclusion(c.leaf, c.index, size, c.proof, root);
        verifyConsistency(c.size1, size, c.root1, root, c.cproof);
        bareHashes(inclHashes[i]! + consHashes[i]!);
      });
    }
    const incl: number[] = [];
    const inclBare: number[] = [];
    const cons: number[] = [];
    const consBare: number[] = [];
    cases.forEach((c, i) => {
      incl.push(sample(() => verifyInclusion(c.leaf, c.index, size, c.proof, root), reps));
      inclBare.push(sample(() => bareHashes(inclHashes[i]!), reps));
      cons.push(sample(() => verifyConsistency(c.size1, size, c.root1, root, c.cproof), reps));
      consBare.push(sample(() => bareHashes(consHashes[i]!), reps));
    });

    // The same with the facade's sha256 replaced by the bare call (no backend checks or copies).
    const inclStub: number[] = [];
    const inclStubBare: number[] = [];
    const backend = setCryptoBackend({
      ...cryptoBackend(),
      sha256: (d) => createHash('sha256').update(d).digest(),
    });
    try {
      cases.forEach((c) => verifyInclusion(c.leaf, c.index, size, c.proof, root)); // warm-up
      cases.forEach((c, i) => {
        inclStub.push(sample(() => verifyInclusion(c.leaf, c.index, size, c.proof, root), reps));
        inclStubBare.push(sample(() => bareHashes(inclHashes[i]!), reps));
      });
    } finally {
      setCryptoBackend(backend);
    }

    // Proof generation from stored hashes.
    const proveIncl = cases.map((c) => sample(() => tree.proveInclusion(c.index), 4));
    const proveCons = cases.map((c) => sample(() => tree.proveConsistency(c.size1), 4));

    const records: BenchRecord[] = [
      ratioRecord(
        `merkle.verifyInclusion ${label} / bare sha256`,
        median(incl),
        median(inclBare),
        'ns/proof',
      ),
      ratioRecord(
        `merkle.verifyInclusion ${label} [facade sha256 = bare createHash] / bare sha256`,
        median(inclStub),
        median(inclStubBare),
        'ns/proof',
      ),
      ratioRecord(
        `merkle.verifyConsistency ${label} / bare sha256`,
        median(cons),
        median(consBare),
        'ns/proof',
      ),
      valueRecord(`merkle.proveInclusion ${label}`, median(proveIncl), 'ns/proof'),
      valueRecord(`merkle.proveConsistency ${label}`, median(proveCons), 'ns/proof'),
      valueRecord(`merkle.MemoryTree.append ${label}`, appendNs, 'ns/leaf'),
    ];
    return records;
  },
};

export default bench;
