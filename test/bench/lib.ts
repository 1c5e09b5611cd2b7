/**
 * The benchmark harness every benchmark joins. A benchmark file `test/bench/<name>.bench.ts`
 * default-exports a {@link Benchmark}; `npm run bench [-- --quick] [-- --only <substr>]` runs them all
 * in one process, prints a table and writes `test/bench/results.json`.
 *
 * Speed targets are stated as ratios against a floor measured in the same run on the same machine
 * (e.g. portable/native, or proof verification / its bare SHA-256 calls), so they mean something
 * on any machine.
 */

export interface BenchRecord {
  name: string;
  value: number;
  unit: string;
  /** The lower bound (or reference) measured in the same run, same unit; null when none. */
  floor: number | null;
  /** value / floor; null when there is no floor. */
  ratio: number | null;
  /** Optional target for the ratio (or the value when there is no floor). */
  target?: number;
}

export interface BenchContext {
  /** CI-sized run: fewer iterations, smaller inputs. */
  quick: boolean;
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<BenchRecord[]>;
}

export interface MeasureOptions {
  /** Minimum wall time per sample, ms. */
  sampleMs?: number;
  /** Number of samples; the median is reported. */
  samples?: number;
}

/**
 * Median time per call of `fn`, in nanoseconds. Calls are batched so each sample lasts at least
 * `sampleMs`; a warm-up sample is discarded.
 */
export function measureNs(fn: () => unknown, options: MeasureOptions = {}): number {
  const sampleMs = options.sampleMs ?? 50;
  const samples = options.samples ?? 7;
  let batch = 1;
  // Calibrate the batch size.
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (elapsed >= sampleMs / 4) {
      batch = Math.max(1, Math.ceil((batch * sampleMs) / Math.max(elapsed, 0.001)));
      break;
    }
    batch *= 2;
  }
  const results: number[] = [];
  for (let s = 0; s <= samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const ns = Number(process.hrtime.bigint() - t0) / batch;
    if (s > 0) results.push(ns); // first sample is warm-up
  }
  return median(results);
}

/** Async variant of {@link measureNs}. */
export async function measureNsAsync(
  fn: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<number> {
  const sampleMs = options.sampleMs ?? 50;
  const samples = options.samples ?? 7;
  const results: number[] = [];
  for (let s = 0; s <= samples; s++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let elapsed: number;
    do {
      await fn();
      n++;
      elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    } while (elapsed < sampleMs);
    if (s > 0) results.push((elapsed * 1e6) / n);
  }
  return median(results);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A record with ratio = value / floor. */
export function ratioRecord(
  name: string,
  value: number,
  floor: number,
  unit: string,
  target?: number,
): BenchRecord {
  return { name, value, unit, floor, ratio: value / floor, ...(target === undefined ? {} : { target }) };
}

export function valueRecord(name: string, value: number, unit: string, target?: number): BenchRecord {
  return { name, value, unit, floor: null, ratio: null, ...(target === undefined ? {} : { target }) };
}
