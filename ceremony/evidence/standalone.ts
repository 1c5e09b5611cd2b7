/**
 * The single-file verifier's entry point: `npm run build:verifier` bundles this file with esbuild
 * into `dist/fleet-verify.mjs`, which runs with bare `node` and no `node_modules`:
 *
 *     node fleet-verify.mjs PACKAGE --trust FILE [--profile production|rehearsal] [--json]
 *                           [--now ISO] [--last-seen-epoch N --last-seen-digest HEX]
 *
 * Same checks, output and exit codes as `fleet-ceremony verify` (0 verified, 1 refused, 2 bad
 * usage or unreadable input). It reads only the package and the trust file; it has no network code.
 */
import { isCeremonyError, UsageError } from '../errors.js';
import { runVerify } from './run-verify.js';
import type { RunVerifyOptions } from './run-verify.js';

const USAGE = `usage: node fleet-verify.mjs PACKAGE --trust FILE [--profile production|rehearsal] [--json]
                          [--now ISO-8601] [--last-seen-epoch N --last-seen-digest HEX]
Verifies a fleet-ceremony evidence package (a directory or a .tar.gz) offline against the keys
pinned in FILE. Exit 0 verified, 1 refused, 2 bad usage or unreadable input.`;

const VALUED = {
  '--trust': 'trust',
  '--profile': 'profile',
  '--now': 'now',
  '--last-seen-epoch': 'lastSeenEpoch',
  '--last-seen-digest': 'lastSeenDigest',
} as const;

/** Parses the command line (exported for tests). */
export function parseArgs(argv: readonly string[]): RunVerifyOptions | 'help' {
  const o: Partial<Record<string, string | boolean>> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--json') o.json = true;
    else if (a in VALUED) {
      const v = argv[++i];
      if (v === undefined) throw new UsageError('USAGE', `${a} needs a value`);
      o[VALUED[a as keyof typeof VALUED]] = v;
    } else if (a.startsWith('--') && a.includes('=') && a.slice(0, a.indexOf('=')) in VALUED) {
      o[VALUED[a.slice(0, a.indexOf('=')) as keyof typeof VALUED]] = a.slice(a.indexOf('=') + 1);
    } else if (a.startsWith('-')) throw new UsageError('USAGE', `unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError('USAGE', 'name exactly one PACKAGE');
  if (typeof o.trust !== 'string') throw new UsageError('USAGE', '--trust FILE is required');
  return { ...(o as Omit<RunVerifyOptions, 'package'>), package: positional[0]! };
}

async function main(): Promise<number> {
  try {
    const args = parseArgs(process.argv.slice(2));
    if (args === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const { code } = await runVerify(args, {
      out: (s) => process.stdout.write(s),
      err: (s) => process.stderr.write(s),
    });
    return code;
  } catch (e) {
    if (isCeremonyError(e)) {
      process.stderr.write(`fleet-verify: ${e.describe()}\n`);
      if (e.code === 'USAGE') process.stderr.write(USAGE + '\n');
      return e.exitCode;
    }
    process.stderr.write(
      `fleet-verify: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 70;
  }
}

process.exitCode = await main();
