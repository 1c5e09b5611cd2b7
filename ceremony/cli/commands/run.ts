/**
 * `fleet-ceremony run SCRIPT [--workdir DIR] [--yes] [--dry-run]` (docs/runner.md): runs a
 * ceremony with the registered step kinds. `--dry-run` validates and prints the plan, touching
 * nothing. `--yes` runs unattended (rehearsals, CI): confirmations are assumed and recorded as
 * such, PINs come from the variables the script names, sign-offs from key files
 * (`--signer`/`FLEET_CEREMONY_SIGNERS`, `--signoff-key ID=FILE`/`FLEET_CEREMONY_SIGNOFF_KEYS`).
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import {
  WORKDIR_FILES,
  checkParticipantFiles,
  clackPrompts,
  ceremonyPlan,
  defaultStepRegistry,
  defaultWorkdir,
  interactiveCollector,
  openDevice,
  planText,
  runCeremony,
  unattendedCollector,
  unattendedPrompts,
} from '../../runner/index.js';
import type { LoadedScript, Prompts, ResolvedParticipant, RunFlags } from '../../runner/index.js';
import { writeCeremonyEvidence } from '../../runner/steps/ceremony/index.js';
import { EXIT_OK, command, printJson, say } from '../run.js';
import { loadWithRegistry, reportScriptError } from './script.js';

interface RunArgs {
  script: string;
  workdir?: string;
  yes: boolean;
  'dry-run': boolean;
  signer?: string[];
  'signoff-key'?: string[];
  json: boolean;
}

/** `id=path,id=path` (or repeated flags) → map; paths resolve from the current directory. */
function keyFiles(flags: readonly string[] | undefined, env: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const items = [...(env === undefined || env === '' ? [] : env.split(',')), ...(flags ?? [])];
  for (const item of items) {
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

function dryRun(loaded: LoadedScript, scriptDir: string, workdir: string): number {
  const registry = defaultStepRegistry();
  process.stdout.write(planText(loaded, ceremonyPlan(loaded.script, registry)));
  process.stdout.write(`\nWorking directory: ${workdir}\n`);
  loaded.script.steps.forEach((s, i) => registry.require(s.kind, `steps[${i}] (${s.id})`));
  checkParticipantFiles(loaded.script.participants, scriptDir);
  const st = statSync(workdir, { throwIfNoEntry: false });
  if (st !== undefined && (!st.isDirectory() || readdirSync(workdir).length > 0))
    throw new UsageError(
      readdirSync(workdir).includes(WORKDIR_FILES.transcript)
        ? 'RUNNER_WORKDIR_IN_USE'
        : 'RUNNER_WORKDIR_NOT_EMPTY',
      'a run would refuse this working directory: it exists and is not empty',
      { file: workdir },
    );
  say('Dry run: the script is valid and every step can run; nothing was written or opened.');
  return EXIT_OK;
}

/** `fleet-ceremony run`. */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <script>',
  describe: 'run a ceremony script (task list, prompts, sign-offs, hash-chained transcript)',
  builder: (y: Argv) =>
    y
      .positional('script', { type: 'string', demandOption: true, describe: 'the ceremony script (YAML)' })
      .option('workdir', {
        type: 'string',
        describe: 'working directory (default: outputs.workdir, from the script)',
      })
      .option('yes', {
        type: 'boolean',
        default: false,
        describe: 'unattended: assume confirmations; PINs and signers from the environment',
      })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'validate and print the plan; write and open nothing',
      })
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
      }) as unknown as Argv<RunArgs>,
  handler: command(async (a) => {
    let loaded: LoadedScript;
    try {
      loaded = loadWithRegistry(a.script);
    } catch (e) {
      return reportScriptError(e, a.script);
    }
    const env = process.env;
    const scriptDir = dirname(resolve(a.script));
    const workdir = resolve(a.workdir ?? defaultWorkdir(loaded, scriptDir));
    if (a['dry-run']) return dryRun(loaded, scriptDir, workdir);
    const yes = a.yes || env['FLEET_CEREMONY_YES'] === '1';
    const flags: RunFlags = { yes, dryRun: false, noColor: (env['NO_COLOR'] ?? '') !== '' };
    if (!yes && process.stdin.isTTY !== true)
      throw new UsageError(
        'RUNNER_NOT_INTERACTIVE',
        'stdin is not a terminal: run on one, or pass --yes with PINs and signers in the environment',
      );
    const prompts: Prompts = yes ? unattendedPrompts() : clackPrompts();
    const openToken = (p: ResolvedParticipant) =>
      openDevice(p.token!, { baseDir: scriptDir, label: `${p.name}'s token`, prompts });
    const files = keyFiles(a['signoff-key'], env['FLEET_CEREMONY_SIGNOFF_KEYS']);
    const signersEnv = env['FLEET_CEREMONY_SIGNERS'];
    const signers =
      a.signer ??
      (signersEnv === undefined || signersEnv === ''
        ? undefined
        : signersEnv.split(',').map((s) => s.trim()));
    const collector = yes
      ? unattendedCollector({
          keyFiles: files,
          ...(signers === undefined ? {} : { signers }),
          openToken,
          tokenAvailable: (p) => p.token?.pinEnv !== undefined && (env[p.token.pinEnv] ?? '') !== '',
        })
      : interactiveCollector({ prompts, keyFiles: files, openToken });
    const r = await runCeremony({
      loaded,
      scriptDir,
      workdir,
      prompts,
      collector,
      flags,
      tasks: a.json ? 'silent' : 'auto',
      handleSignals: true,
    });
    say(
      `Ceremony ${loaded.script.ceremony.id} ${r.sealed ? 'sealed' : 'stopped'}: ${r.records} records in ${r.transcript}`,
    );
    say(`Transcript head: ${r.head}`);
    // After the seal: the evidence package, which holds the sealed transcript (ceremony step kinds).
    const evidence = r.sealed
      ? await writeCeremonyEvidence({ script: loaded.script, scriptDir, workdir, prompts, say })
      : undefined;
    if (a.json)
      printJson(
        evidence === undefined
          ? r
          : {
              ...r,
              evidence: { dir: evidence.dir, tarGz: evidence.tarGz, evidenceSha256: evidence.evidenceSha256 },
            },
      );
    return EXIT_OK;
  }),
};
