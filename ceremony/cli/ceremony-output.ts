/**
 * What `run` and `resume` (./commands/run.ts, ./commands/resume.ts) share: the unattended and
 * sign-off flags, how they become prompts and a sign-off collector, and what is said and written
 * once the ceremony stops (the outcome line, the evidence package of a sealed ceremony).
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import {
  clackPrompts,
  interactiveCollector,
  openDevice,
  unattendedCollector,
  unattendedPrompts,
} from '../runner/index.js';
import type {
  LoadedScript,
  Prompts,
  ResolvedParticipant,
  RunFlags,
  SignoffCollector,
} from '../runner/index.js';
import { writeCeremonyEvidence } from '../runner/steps/ceremony/index.js';
import { say } from './run.js';

/** `--yes`, `--signer`, `--signoff-key`, `--json`, as yargs parses them. */
export interface CeremonyArgs {
  yes: boolean;
  signer?: string[];
  'signoff-key'?: string[];
  json: boolean;
}

/** `--yes`. */
export const withYesOption = <T>(y: Argv<T>) =>
  y.option('yes', {
    type: 'boolean',
    default: false,
    describe: 'unattended: assume confirmations; PINs and signers from the environment',
  });

/** `--signer`, `--signoff-key` and `--json`. */
export const withSignoffOptions = <T>(y: Argv<T>) =>
  y
    .option('signer', {
      type: 'string',
      array: true,
      describe: 'with --yes: participant ids who sign, in order (FLEET_CEREMONY_SIGNERS)',
    })
    .option('signoff-key', {
      type: 'string',
      array: true,
      describe: 'ID=FILE: identity key file of a participant (FLEET_CEREMONY_SIGNOFF_KEYS)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the result as JSON on stdout',
    });

/** `ID=FILE` items (FLEET_CEREMONY_SIGNOFF_KEYS, then flags) → map; paths resolve from the current directory. */
function keyFiles(flags: readonly string[] | undefined, env: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of [...(env === undefined || env === '' ? [] : env.split(',')), ...(flags ?? [])]) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1)
      throw new UsageError(
        'RUNNER_BAD_SIGNOFF_KEY',
        `--signoff-key takes ID=FILE (got "${item.slice(0, 40)}")`,
        { field: 'signoff-key' },
      );
    out.set(item.slice(0, eq).trim(), resolve(item.slice(eq + 1).trim()));
  }
  return out;
}

/** How a ceremony talks to its operators: flags, prompts, and the sign-off collector. */
export interface CeremonyIo {
  flags: RunFlags;
  prompts: Prompts;
  collector: SignoffCollector;
}

/**
 * The flags and environment (FLEET_CEREMONY_YES, NO_COLOR, FLEET_CEREMONY_SIGNERS,
 * FLEET_CEREMONY_SIGNOFF_KEYS, the PIN variables) → prompts and collector.
 * @throws UsageError `RUNNER_NOT_INTERACTIVE` when not unattended and stdin is not a terminal;
 *   `RUNNER_BAD_SIGNOFF_KEY`.
 */
export function ceremonyIo(a: CeremonyArgs, scriptDir: string): CeremonyIo {
  const env = process.env;
  const yes = a.yes || env['FLEET_CEREMONY_YES'] === '1';
  if (!yes && process.stdin.isTTY !== true)
    throw new UsageError(
      'RUNNER_NOT_INTERACTIVE',
      'stdin is not a terminal: run on one, or pass --yes with PINs and signers in the environment',
    );
  const flags: RunFlags = { yes, dryRun: false, noColor: (env['NO_COLOR'] ?? '') !== '' };
  const prompts: Prompts = yes ? unattendedPrompts() : clackPrompts();
  const openToken = (p: ResolvedParticipant) =>
    openDevice(p.token!, { baseDir: scriptDir, label: `${p.name}'s token`, prompts });
  const files = keyFiles(a['signoff-key'], env['FLEET_CEREMONY_SIGNOFF_KEYS']);
  const signersEnv = env['FLEET_CEREMONY_SIGNERS'];
  const signers =
    a.signer ??
    (signersEnv === undefined || signersEnv === '' ? undefined : signersEnv.split(',').map((s) => s.trim()));
  const collector = yes
    ? unattendedCollector({
        keyFiles: files,
        ...(signers === undefined ? {} : { signers }),
        openToken,
        tokenAvailable: (p) => p.token?.pinEnv !== undefined && (env[p.token.pinEnv] ?? '') !== '',
      })
    : interactiveCollector({ prompts, keyFiles: files, openToken });
  return { flags, prompts, collector };
}

/** Says how the ceremony stopped: sealed or not, and where its transcript is. */
export function sayOutcome(
  loaded: LoadedScript,
  r: { sealed: boolean; records: number; transcript: string },
): void {
  say(
    `Ceremony ${loaded.script.ceremony.id} ${r.sealed ? 'sealed' : 'stopped'}: ${r.records} records in ${r.transcript}`,
  );
}

/** Writes the evidence package of a sealed ceremony (it holds the sealed transcript). */
export const writeEvidence = (loaded: LoadedScript, scriptDir: string, workdir: string, prompts: Prompts) =>
  writeCeremonyEvidence({ script: loaded.script, scriptDir, workdir, prompts, say });

/** The evidence package, as `--json` reports it. */
export const evidenceJson = (e: NonNullable<Awaited<ReturnType<typeof writeEvidence>>>) => ({
  dir: e.dir,
  tarGz: e.tarGz,
  evidenceSha256: e.evidenceSha256,
});
