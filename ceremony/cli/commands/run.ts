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
  ceremonyPlan,
  defaultStepRegistry,
  defaultWorkdir,
  planText,
  runCeremony,
} from '../../runner/index.js';
import type { LoadedScript } from '../../runner/index.js';
import {
  ceremonyIo,
  evidenceJson,
  sayOutcome,
  withSignoffOptions,
  withYesOption,
  writeEvidence,
} from '../ceremony-output.js';
import type { CeremonyArgs } from '../ceremony-output.js';
import { EXIT_OK, command, printJson, say } from '../run.js';
import { loadWithRegistry, reportScriptError } from './script.js';

interface RunArgs extends CeremonyArgs {
  script: string;
  workdir?: string;
  'dry-run': boolean;
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
    withSignoffOptions(
      withYesOption(
        y
          .positional('script', {
            type: 'string',
            demandOption: true,
            describe: 'the ceremony script (YAML)',
          })
          .option('workdir', {
            type: 'string',
            describe: 'working directory (default: outputs.workdir, from the script)',
          }),
      ).option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'validate and print the plan; write and open nothing',
      }),
    ) as unknown as Argv<RunArgs>,
  handler: command(async (a) => {
    let loaded: LoadedScript;
    try {
      loaded = loadWithRegistry(a.script);
    } catch (e) {
      return reportScriptError(e, a.script);
    }
    const scriptDir = dirname(resolve(a.script));
    const workdir = resolve(a.workdir ?? defaultWorkdir(loaded, scriptDir));
    if (a['dry-run']) return dryRun(loaded, scriptDir, workdir);
    const { flags, prompts, collector } = ceremonyIo(a, scriptDir);
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
    sayOutcome(loaded, r);
    say(`Transcript head: ${r.head}`);
    // After the seal: the evidence package, which holds the sealed transcript (ceremony step kinds).
    const evidence = r.sealed ? await writeEvidence(loaded, scriptDir, workdir, prompts) : undefined;
    if (a.json) printJson(evidence === undefined ? r : { ...r, evidence: evidenceJson(evidence) });
    return EXIT_OK;
  }),
};
