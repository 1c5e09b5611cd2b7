/**
 * `fleet-ceremony init DIR --template NAME [--participants N]`: scaffolds a ceremony directory
 * (docs/runner.md, "init"). Never writes into an existing non-empty directory.
 */
import type { Argv, CommandModule } from 'yargs';
import { TEMPLATES, initCeremony } from '../../runner/index.js';
import { command, printJson, say } from '../run.js';

interface InitArgs {
  dir: string;
  template: string;
  participants?: number;
  json: boolean;
}

/** `fleet-ceremony init`. */
export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init <dir>',
  describe: 'scaffold a ceremony directory from a template (script, schema, README; rehearsal identity keys)',
  builder: (y: Argv) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'directory to create (must not exist, or be empty)',
      })
      .option('template', {
        type: 'string',
        choices: [...TEMPLATES],
        demandOption: true,
        describe: 'ceremony template',
      })
      .option('participants', {
        type: 'number',
        describe: 'number of crypto officers N (the quorum becomes a majority)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the result as JSON on stdout',
      }) as unknown as Argv<InitArgs>,
  handler: command(async (a) => {
    const r = await initCeremony(a.dir, {
      template: a.template,
      ...(a.participants === undefined ? {} : { participants: a.participants }),
    });
    say(
      `Created ${r.dir} from the ${r.template} template: ${r.script}, with ${r.participants.length} participants.`,
    );
    if (r.participants.some((p) => p.keyFile !== undefined))
      say(
        'Rehearsal identity keys are in participants/ (mode 0600). Real participants bring their own keys or tokens.',
      );
    say(`Next: fleet-ceremony script validate ${r.script}`);
    if (a.json) printJson(r);
  }),
};
