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
  continueCeremony,
  lockWorkdir,
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

interface ResumeArgs extends CeremonyArgs {
  workdir: string;
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

/** `fleet-ceremony resume`. */
export const resumeCommand: CommandModule<object, ResumeArgs> = {
  command: 'resume <workdir>',
  describe: 'continue an interrupted ceremony from its working directory (records the interruption)',
  builder: (y: Argv) =>
    withSignoffOptions(
      withYesOption(
        y.positional('workdir', {
          type: 'string',
          demandOption: true,
          describe: 'the working directory of the ceremony',
        }),
      ),
    ) as unknown as Argv<ResumeArgs>,
  handler: command(async (a) => {
    const workdir = resolve(a.workdir);
    const scriptFile = scriptOf(workdir);
    let loaded: LoadedScript;
    try {
      loaded = loadWithRegistry(scriptFile);
    } catch (e) {
      return reportScriptError(e, scriptFile);
    }
    const scriptDir = dirname(scriptFile);
    const { flags, prompts, collector } = ceremonyIo(a, scriptDir);

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
      sayOutcome(loaded, result);
    } else say(`Ceremony ${loaded.script.ceremony.id} is sealed already.`);
    const evidence =
      result === undefined || result.sealed
        ? await writeEvidence(loaded, scriptDir, workdir, prompts)
        : undefined;
    if (a.json)
      printJson({
        ...(result ?? { workdir, sealed: true }),
        ...(evidence === undefined
          ? {}
          : { evidence: { ...evidenceJson(evidence), written: evidence.written } }),
      });
    return EXIT_OK;
  }),
};
