/**
 * `npm run bench [-- --quick] [-- --only SUBSTR]`: runs every test/bench/*.bench.ts in one process,
 * prints a table and writes the same records to test/bench/results.json.
 */
import { readdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchRecord } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only === undefined || f.includes(only))
  .sort();

const records: BenchRecord[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Benchmark };
  const bench = mod.default;
  process.stderr.write(`bench: ${bench.name}${quick ? ' (quick)' : ''}\n`);
  const out = await bench.run({ quick, log: (m) => process.stderr.write(`  ${m}\n`) });
  records.push(...out);
}

const fmt = (x: number | null): string =>
  x === null ? '-' : Math.abs(x) >= 1000 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3);
const rows = records.map((r) => [
  r.name,
  fmt(r.value),
  r.unit,
  fmt(r.floor),
  fmt(r.ratio),
  r.target === undefined ? '' : String(r.target),
]);
const header = ['name', 'value', 'unit', 'floor', 'ratio', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));

const out = join(here, 'results.json');
writeFileSync(out + '.tmp', JSON.stringify(records, null, 2) + '\n');
renameSync(out + '.tmp', out);
process.stderr.write(`bench: wrote ${records.length} records to test/bench/results.json\n`);
