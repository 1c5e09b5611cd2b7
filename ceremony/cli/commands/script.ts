/**
 * `fleet-ceremony script validate FILE` and `script print FILE [--pdf OUT]` (docs/ceremony-script.md,
 * docs/runner.md). Thin: load the script with the runner's checks, print every issue as
 * `file:line:column: message [CODE]`, render the paper script.
 */
import type { Argv, CommandModule } from 'yargs';
import { writeFileExclusive } from '../../io/index.js';
import {
  ScriptError,
  defaultStepRegistry,
  formatIssue,
  loadScript,
  paperPdf,
  paperScript,
  paperText,
} from '../../runner/index.js';
import type { LoadedScript } from '../../runner/index.js';
import { EXIT_OK, EXIT_USAGE, command, printJson, say } from '../run.js';

/** Loads a script with the default registry's checks. */
export function loadWithRegistry(file: string): LoadedScript {
  return loadScript(file, { checkStep: defaultStepRegistry().check });
}

/**
 * Prints every issue of a ScriptError on stderr (one per line) and returns exit code 2; rethrows
 * anything else.
 */
export function reportScriptError(e: unknown, file: string, json = false): number {
  if (!(e instanceof ScriptError)) throw e;
  for (const issue of e.issues) say(formatIssue(file, issue));
  say(
    `fleet-ceremony: ${file}: ${e.issues.length} problem${e.issues.length === 1 ? '' : 's'}; the script is not valid.`,
  );
  if (json) printJson({ ok: false, file, issues: e.issues });
  return EXIT_USAGE;
}

const validate: CommandModule<object, { file: string; json: boolean }> = {
  command: 'validate <file>',
  describe: 'check a ceremony script: YAML, schema and ceremony rules, every problem with its line',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the ceremony script (YAML)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON on stdout' }),
  handler: command(async (a) => {
    let loaded: LoadedScript;
    try {
      loaded = loadWithRegistry(a.file);
    } catch (e) {
      return reportScriptError(e, a.file, a.json);
    }
    const s = loaded.script;
    say(
      `${a.file}: valid ceremony script (${s.ceremony.kind} ${s.ceremony.id}, ${s.steps.length} steps, SHA-256 ${loaded.sha256}).`,
    );
    const unavailable = [
      ...new Set(s.steps.map((x) => x.kind).filter((k) => defaultStepRegistry().get(k) === undefined)),
    ];
    if (unavailable.length > 0) say(`Note: this runner cannot run step kinds ${unavailable.join(', ')} yet.`);
    if (a.json)
      printJson({
        ok: true,
        file: a.file,
        sha256: loaded.sha256,
        ceremony: s.ceremony,
        steps: s.steps.length,
        unavailableKinds: unavailable,
      });
    return EXIT_OK;
  }),
};

const print: CommandModule<object, { file: string; pdf?: string }> = {
  command: 'print <file>',
  describe: 'print the paper script (numbered steps, Initials and Time columns, sign-off block)',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the ceremony script (YAML)' })
      .option('pdf', {
        type: 'string',
        describe: 'write a PDF to this file (created; never overwritten) instead of text on stdout',
      }),
  handler: command(async (a) => {
    let loaded: LoadedScript;
    try {
      loaded = loadWithRegistry(a.file);
    } catch (e) {
      return reportScriptError(e, a.file);
    }
    const paper = paperScript(loaded, defaultStepRegistry());
    if (a.pdf === undefined) {
      process.stdout.write(paperText(paper));
      return EXIT_OK;
    }
    writeFileExclusive(a.pdf, await paperPdf(paper), 0o644, 'PRINT_OUTPUT_EXISTS');
    say(`Wrote the paper script of ${loaded.script.ceremony.id} to ${a.pdf}.`);
    return EXIT_OK;
  }),
};

/** `fleet-ceremony script <validate|print>`. */
export const scriptCommand: CommandModule = {
  command: 'script <command>',
  describe: 'ceremony scripts: validate one, print its paper script',
  builder: (y: Argv) =>
    y.command(validate).command(print).demandCommand(1, 'Name a script command; see --help.'),
  handler: () => {},
};
