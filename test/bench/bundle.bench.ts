/**
 * Validation bundle benchmarks (ceremony/bundle):
 *
 * - `bundle.size 5-key fleet, log 1e6`: bytes of a validation bundle for the 5-key, 5-HSM fleet of
 *   the tests, whose statement sits mid-log in a real 1,000,000-leaf MemoryTree (a 20-hash
 *   inclusion proof; --quick builds a 2^16 + 1 leaf tree, whose mid-log proof has 17 hashes, and
 *   also reports the exact size of the same bundle shaped as at 1e6: index 500000, 20 hashes, a
 *   checkpoint of size 1000000 signed by the log key). Target: at most 2,048 bytes.
 * - `bundle.verifyValidationBundle / bare crypto`: the median CPU time of a full client
 *   verification, against the bare cryptographic lower bound measured in alternation with it: the
 *   same Ed25519 verifications (witness statement, counter-signature, checkpoint) and the same
 *   number of SHA-256 calls over the same inputs, called directly on node:crypto with the pinned
 *   keys imported once. Target: at most 1.3×.
 * - `bundle.same crypto via the facade / bare crypto` and `bundle.verifyValidationBundle / same
 *   crypto via the facade`: the same calls made through ceremony/crypto, splitting the overhead
 *   between the crypto facade and the bundle code.
 * - `bundle.verifyValidationBundle portable / native`: the same verification on the portable
 *   backend (@noble/curves, what browsers and mobile clients run) against the native one.
 *
 * CPU time (process.cpuUsage), not wall time: the benchmark machine is shared, and time spent
 * descheduled is not the verifier's.
 *
 * SHA-256 calls are counted through the crypto facade, not assumed.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  decodeValidationBundle,
  encodeValidationBundle,
  verifyValidationBundle,
  witnessLogLeaf,
} from '../../ceremony/bundle/index.js';
import { base64Decode, concatBytes } from '../../ceremony/codec/index.js';
import { cryptoBackend, ed25519, portable, setCryptoBackend, sha256 } from '../../ceremony/crypto/index.js';
import { countersignMessage } from '../../ceremony/statement/index.js';
import { formatCheckpoint, parseCheckpoint, parseNote, signNote } from '../../ceremony/tlog/index.js';
import { NOW, softwareHsm, world } from '../unit/bundle/fixture.js';
import type { Benchmark, BenchRecord } from './lib.js';
import { median, ratioRecord, valueRecord } from './lib.js';

/**
 * Median CPU time per call (µs) of each function, sampled in alternation so that a busy machine
 * slows all of them alike: `samples` rounds, each running every function for at least `sampleMs`
 * of CPU time (after a warm-up of `warmupMs` each, and batch sizes calibrated). CPU time, not wall time, so that time the process
 * spends descheduled on a shared machine is not counted.
 */
function interleavedCpuUs(
  fns: (() => unknown)[],
  samples: number,
  sampleMs: number,
  warmupMs: number,
): number[] {
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  // Warm-up: the verifier reaches its steady state only after a few thousand calls (JIT tiers).
  for (const fn of fns) {
    const t0 = cpu();
    while (cpu() - t0 < warmupMs * 1000) fn();
  }
  const batches = fns.map((fn) => {
    let n = 1;
    for (;;) {
      const t0 = cpu();
      for (let i = 0; i < n; i++) fn();
      const us = cpu() - t0;
      if (us >= (sampleMs * 1000) / 4) return Math.max(1, Math.ceil((n * sampleMs * 1000) / Math.max(us, 1)));
      n *= 2;
    }
  });
  const results: number[][] = fns.map(() => []);
  for (let s = 0; s < samples; s++) {
    fns.forEach((fn, k) => {
      const n = batches[k]!;
      const t0 = cpu();
      for (let i = 0; i < n; i++) fn();
      results[k]!.push((cpu() - t0) / n);
    });
  }
  return results.map(median);
}

const ed25519Key = (raw: Uint8Array): KeyObject =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });

/** SHA-256 calls `fn` makes through the crypto facade. */
function countHashes(fn: () => unknown): number {
  const backend = cryptoBackend();
  let calls = 0;
  setCryptoBackend({ ...backend, sha256: (d) => (calls++, backend.sha256(d)) });
  try {
    fn();
  } finally {
    setCryptoBackend(backend);
  }
  return calls;
}

const bench: Benchmark = {
  name: 'bundle',
  async run(ctx) {
    const size = ctx.quick ? 2 ** 16 + 1 : 1_000_000;
    const before = Math.floor(size / 2);
    const operator = softwareHsm('ed25519');
    const w = world({ operator, operatorAlgorithm: 'ed25519' });
    const t0 = Date.now();
    const b = await w.build({ before, after: size - before - 1 });
    ctx.log(`built a ${size}-leaf witness log in ${Date.now() - t0} ms`);
    const parts = decodeValidationBundle(b.bytes);
    const hashes = parts.proof.hashes.length;
    const out: BenchRecord[] = [];
    out.push(
      valueRecord(
        `bundle.size 5-key fleet, log ${size} (${hashes} proof hashes)`,
        b.bytes.length,
        'bytes',
        2048,
      ),
    );
    if (ctx.quick) {
      // The same bundle shaped as at log size 1e6 (index 500000, 20 hashes, a checkpoint of size
      // 1000000 signed by the log key): its exact size, though its proof does not verify.
      const cp = parseCheckpoint(parseNote(b.checkpoint).text);
      const shaped = encodeValidationBundle({
        ...parts,
        proof: {
          index: 500_000,
          hashes: Array.from({ length: 20 }, () => new Uint8Array(32)),
          checkpoint: signNote(formatCheckpoint({ ...cp, size: 1_000_000 }), w.log),
        },
      });
      out.push(
        valueRecord(
          'bundle.size 5-key fleet, log 1e6 (20 proof hashes, shaped)',
          shaped.length,
          'bytes',
          2048,
        ),
      );
    }
    ctx.log(
      `bundle ${b.bytes.length} bytes: fleet key set ${b.fks.length}, statement ${b.statement.length}, checkpoint ${b.checkpoint.length}, ${hashes} hashes`,
    );

    const run = () => verifyValidationBundle(b.bytes, w.trust, { now: NOW });
    run();
    const calls = countHashes(run);
    ctx.log(`verifyValidationBundle makes ${calls} SHA-256 calls and 3 Ed25519 verifications`);

    // The bare lower bound: the same verifications and hash inputs, on node:crypto, keys imported once.
    const note = parseNote(b.checkpoint);
    const logSig = base64Decode(note.signatures[0]!.base64).subarray(4);
    const keys = {
      witness: ed25519Key(w.wk.current.publicKey),
      operator: ed25519Key(operator.publicKey),
      log: ed25519Key(w.trust.log.verifier.publicKey),
    };
    const csMessage = countersignMessage(b.witnessSignature, b.statement);
    const leaf = concatBytes(
      new Uint8Array(1),
      witnessLogLeaf({
        statement: b.statement,
        signature: b.witnessSignature,
        keyId: w.wk.current.publicKey[31]!,
      }),
    );
    const node = new Uint8Array(65).fill(1);
    const interior = calls - 3; // fleet key set digest, statement digest, leaf hash
    const bare = () => {
      if (!verify(null, b.statement, keys.witness, b.witnessSignature)) throw new Error('bare: witness');
      if (!verify(null, csMessage, keys.operator, b.countersignature)) throw new Error('bare: operator');
      if (!verify(null, note.textBytes, keys.log, logSig)) throw new Error('bare: log');
      createHash('sha256').update(b.fks).digest();
      createHash('sha256').update(b.statement).digest();
      createHash('sha256').update(leaf).digest();
      for (let i = 0; i < interior; i++) createHash('sha256').update(node).digest();
    };
    // The same calls through the crypto facade: splits the overhead between the facade (key
    // import and checks per call) and the bundle code (decoding, validation, note parsing).
    const raw = {
      witness: w.wk.current.publicKey,
      operator: operator.publicKey,
      log: w.trust.log.verifier.publicKey,
    };
    const viaFacade = () => {
      if (!ed25519.verify(raw.witness, b.statement, b.witnessSignature)) throw new Error('facade: witness');
      if (!ed25519.verify(raw.operator, csMessage, b.countersignature)) throw new Error('facade: operator');
      if (!ed25519.verify(raw.log, note.textBytes, logSig)) throw new Error('facade: log');
      sha256(b.fks);
      sha256(b.statement);
      sha256(leaf);
      for (let i = 0; i < interior; i++) sha256(node);
    };
    const [samples, sampleMs, warmupMs] = ctx.quick ? [7, 40, 1500] : [15, 150, 4000];
    const [floor, facade, native] = interleavedCpuUs([bare, viaFacade, run], samples, sampleMs, warmupMs);
    out.push(
      ratioRecord('bundle.verifyValidationBundle / bare crypto (CPU time)', native!, floor!, 'µs', 1.3),
    );
    out.push(
      ratioRecord('bundle.same crypto via the facade / bare crypto (CPU time)', facade!, floor!, 'µs'),
    );
    out.push(
      ratioRecord(
        'bundle.verifyValidationBundle / same crypto via the facade (CPU time)',
        native!,
        facade!,
        'µs',
      ),
    );
    const nativeBackend = cryptoBackend();
    const onPortable = () => {
      setCryptoBackend(portable);
      try {
        return run();
      } finally {
        setCryptoBackend(nativeBackend);
      }
    };
    const [again, port] = interleavedCpuUs(
      [run, onPortable],
      Math.max(3, samples >> 1),
      sampleMs,
      warmupMs / 2,
    );
    out.push(ratioRecord('bundle.verifyValidationBundle portable / native (CPU time)', port!, again!, 'µs'));
    return out;
  },
};

export default bench;
