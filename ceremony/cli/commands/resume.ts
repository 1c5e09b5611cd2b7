/**
 * `fleet-ceremony resume WORKDIR [--yes] [--signer ID...] [--signoff-key ID=FILE...] [--json]`
 * (docs/operator-guide.md, "Resuming"): continues a ceremony that was interrupted at any moment.
 * It reads `run.json` for the script, locks the working directory, reopens the transcript (a torn
 * last line is cut, kept aside and recorded), records the interruption the dead process could not
 * record, and runs what is left: the unfinished step again (kinds are idempotent: keys are found
 * by label and checked, files by name), missing sign-offs, the seal. A sealed ceremony whose
 * evidence package is missing gets its package. Flags as for `run`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError, isCeremonyError } from '../../errors.js';
import {
  RUN_FORMAT,
  TranscriptWriter,
  WORKDIR_FILES,
  clackPrompts,
  continueCeremony,
  interactiveCollector,
  lockWorkdir,
  openDevice,
  unattendedCollector,
  unattendedPrompts,
} from '../../runner/index.js';
import type { LoadedScript, Prompts, ResolvedParticipant, RunFlags } from '../../runner/index.js';
import { writeCeremonyEvidence } from '../../runner/steps/ceremony/index.js';
import { EXIT_OK, command, printJson, say } from '../run.js';
import { loadWithRegistry, reportScriptError } from './script.js';

interface ResumeArgs {
  workdir: string;
  yes: boolean;
  signer?: string[];
  'signoff-key'?: string[];
  json: boolean;
}

/** The script a working directory was started with (`run.json`), resolved. */
function scriptOf(workdir: string): string {
  const file = join(workdir, WORKDIR_FILES.run);
  let run: { format?: unknown; script?: unknown };
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as typeof run;
  } catch (e) {
    throw new UsageError(
      'RESUME_NOT_A_WORKDIR',
      `not a ceremony working directory (${(e as Error).message.slice(0, 120)})`,
      { file },
    );
  }
  if (run.format !== RUN_FORMAT || typeof run.script !== 'string')
    throw new UsageError('RESUME_NOT_A_WORKDIR', `want a ${RUN_FORMAT} file naming the script`, { file });
  return resolve(workdir, run.script);
}

/** `ID=FILE` items (flags and FLEET_CEREMONY_SIGNOFF_KEYS) → map. */
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

/** `fleet-ceremony resume`. */
export const resumeCommand: CommandModule<object, ResumeArgs> = {
  command: 'resume <workdir>',
  describe: 'continue an interrupted ceremony from its working directory (records the interruption)',
  builder: (y: Argv) =>
    y
      .positional('workdir', {
        type: 'string',
        demandOption: true,
        describe: 'the working directory of the ceremony',
      })
      .option('yes', {
        type: 'boolean',
        default: false,
        describe: 'unattended: assume confirmations; PINs and signers from the environment',
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
      }) as unknown as Argv<ResumeArgs>,
  handler: command(async (a) => {
    const env = process.env;
    const workdir = resolve(a.workdir);
    const scriptFile = scriptOf(workdir);
    let loaded: LoadedScript;
    try {
      loaded = loadWithRegistry(scriptFile);
    } catch (e) {
      return reportScriptError(e, scriptFile);
    }
    const scriptDir = dirname(scriptFile);
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

    const release = lockWorkdir(workdir);
    let reopened: ReturnType<typeof TranscriptWriter.reopen> | undefined;
    try {
      reopened = TranscriptWriter.reopen(join(workdir, WORKDIR_FILES.transcript));
    } catch (e) {
      release();
      if (!isCeremonyError(e) || e.code !== 'TRANSCRIPT_SEALED') throw e;
    }
    let result: Awaited<ReturnType<typeof continueCeremony>> | undefined;
    if (reopened !== undefined) {
      const { writer, found, repaired } = reopened;
      if (repaired !== undefined)
        say(
          `The last transcript line was torn by the interruption: ${repaired.bytes} bytes cut and kept in ${repaired.savedAs}.`,
        );
      else if (found.entries[found.entries.length - 1]?.kind !== 'interruption')
        writer.append('interruption', {
          reason: 'process-ended',
          detail: 'the runner stopped without recording why (killed, crashed or powered off)',
        });
      say(
        `Resuming ceremony ${found.ceremony.id}: ${found.steps.filter((s) => s.status === 'done').length} of ${found.steps.length} steps done.`,
      );
      result = await continueCeremony({
        loaded,
        scriptDir,
        workdir,
        prompts,
        collector,
        flags,
        writer,
        found,
        release,
        tasks: a.json ? 'silent' : 'auto',
        handleSignals: true,
      });
      say(
        `Ceremony ${loaded.script.ceremony.id} ${result.sealed ? 'sealed' : 'stopped'}: ${result.records} records in ${result.transcript}`,
      );
    } else say(`Ceremony ${loaded.script.ceremony.id} is sealed already.`);
    const evidence =
      result === undefined || result.sealed
        ? await writeCeremonyEvidence({ script: loaded.script, scriptDir, workdir, prompts, say })
        : undefined;
    if (a.json)
      printJson({
        ...(result ?? { workdir, sealed: true }),
        ...(evidence === undefined
          ? {}
          : {
              evidence: {
                dir: evidence.dir,
                tarGz: evidence.tarGz,
                evidenceSha256: evidence.evidenceSha256,
                written: evidence.written,
              },
            }),
      });
    return EXIT_OK;
  }),
};
