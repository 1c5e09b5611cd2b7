/**
 * Deterministic-CBOR benchmarks (ceremony/codec, docs/codec.md §1.6), in µs per KiB of input,
 * median CPU time (process.cpuUsage) over samples taken in alternation, so a busy shared machine
 * slows every function alike:
 *
 * - `codec.decodeCbor fleet-key-set-like`: a ~1 KiB map shaped as a 5-key, 5-HSM fleet key set
 *   (integer keys, nested maps and arrays, many short text strings, 32-byte digests and keys):
 *   the worst case per byte, many small items.
 * - `codec.decodeCbor bundle-like`: a ~2 KiB map shaped as a validation bundle (the fleet key set
 *   as one byte string, signatures, a 20-hash inclusion proof, a checkpoint text).
 * - `codec.decodeCbor {verifyReencoding} …`: the same with the opt-in re-encoding check.
 * - `codec.encodeCbor …`: encoding the same values (the cost the re-encoding check adds).
 *
 * The inputs are synthetic (no keys, no signatures), so this file depends on the codec only.
 */
import { decodeCbor, encodeCbor } from '../../ceremony/codec/index.js';
import type { CborInput, DecodeCborOptions } from '../../ceremony/codec/index.js';
import type { Benchmark, BenchRecord } from './lib.js';
import { median, valueRecord } from './lib.js';

/** Deterministic filler bytes. */
const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff);

/** A value shaped as the 5-key, 5-HSM fleet key set of the tests (docs/formats.md): 959 bytes. */
export function fleetKeySetLike(): CborInput {
  const hsms = [1, 2, 3, 4, 5].map(
    (i) =>
      new Map<number, CborInput>([
        [0, `hsm-0${i}`],
        [1, i <= 3 ? 'eu-west-dc1' : 'us-east-dc2'],
        [2, 'fleet-ceremony'],
        [3, 'emulated-hsm'],
        [4, `EMU-00000${i}`],
        [5, '1.0.0'],
        [6, 0],
      ]),
  );
  const keys = [0, 1, 2, 3, 4].map(
    (i) =>
      new Map<number, CborInput>([
        [0, `session-0${i + 1}`],
        [1, 1],
        [2, 3],
        [3, bytes(32, i)],
        [4, i],
        [5, bytes(32, 10 + i)],
      ]),
  );
  return new Map<number, CborInput>([
    [0, 1],
    [1, 'example.com/backup-fleet'],
    [2, 2],
    [3, 'fleet-2025-06'],
    [4, bytes(32, 20)],
    [
      5,
      new Map([
        [0, 1_748_736_000_000],
        [1, 1_780_272_000_000],
      ]),
    ],
    [6, keys],
    [7, hsms],
    [
      8,
      new Map([
        [0, 3],
        [1, 5],
      ]),
    ],
    [9, bytes(32, 30)],
  ]);
}

/** A value shaped as a validation bundle at log size 1e6 (20 proof hashes): about 2 KiB. */
export function bundleLike(): CborInput {
  const checkpoint =
    'witness.example.com/log\n1000000\n' +
    'q'.repeat(43) +
    '=\n\n— witness.example.com/log ' +
    'A'.repeat(88) +
    '\n';
  return new Map<number, CborInput>([
    [0, 1],
    [1, encodeCbor(fleetKeySetLike())],
    [2, bytes(73, 1)],
    [3, bytes(64, 2)],
    [4, 17],
    [5, bytes(64, 3)],
    [6, 42],
    [
      7,
      new Map<number, CborInput>([
        [0, 500_000],
        [1, Array.from({ length: 20 }, (_, i) => bytes(32, 40 + i))],
        [2, checkpoint],
      ]),
    ],
  ]);
}

/** Median CPU µs per call of each function, sampled in alternation after a warm-up. */
function interleavedCpuUs(
  fns: (() => unknown)[],
  samples: number,
  sampleMs: number,
  warmupMs: number,
): number[] {
  const cpu = (): number => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const batches = fns.map((fn) => {
    const w0 = cpu();
    while (cpu() - w0 < warmupMs * 1000) fn();
    for (let n = 1; ; n *= 2) {
      const t0 = cpu();
      for (let i = 0; i < n; i++) fn();
      const us = cpu() - t0;
      if (us >= (sampleMs * 1000) / 4) return Math.max(1, Math.ceil((n * sampleMs * 1000) / Math.max(us, 1)));
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

const bench: Benchmark = {
  name: 'codec',
  async run(ctx) {
    const inputs = [
      { name: 'fleet-key-set-like', value: fleetKeySetLike() },
      { name: 'bundle-like', value: bundleLike() },
    ];
    const reencode: DecodeCborOptions = { verifyReencoding: true };
    const [samples, sampleMs, warmupMs] = ctx.quick ? [7, 40, 300] : [15, 100, 1000];
    const out: BenchRecord[] = [];
    for (const { name, value } of inputs) {
      const enc = encodeCbor(value);
      const kib = enc.length / 1024;
      ctx.log(`${name}: ${enc.length} bytes`);
      const [plain, checked, encode] = interleavedCpuUs(
        [() => decodeCbor(enc), () => decodeCbor(enc, reencode), () => encodeCbor(value)],
        samples,
        sampleMs,
        warmupMs,
      );
      out.push(valueRecord(`codec.decodeCbor ${name} (${enc.length} B)`, plain! / kib, 'µs/KiB'));
      out.push(
        valueRecord(
          `codec.decodeCbor {verifyReencoding} ${name} (${enc.length} B)`,
          checked! / kib,
          'µs/KiB',
        ),
      );
      out.push(valueRecord(`codec.encodeCbor ${name} (${enc.length} B)`, encode! / kib, 'µs/KiB'));
    }
    return out;
  },
};

export default bench;
