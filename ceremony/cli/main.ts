#!/usr/bin/env node
/** `fleet-ceremony`: thin yargs front end; every command lives in ./commands/. */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { EXIT_USAGE, say } from './run.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const cli = yargs(hideBin(process.argv))
  .scriptName('fleet-ceremony')
  .usage('$0 <command> [options]\n\nDeploy HSM fleets with evidence anyone can check.')
  .version(pkg.version)
  .alias('h', 'help')
  .strict()
  .strictCommands()
  .demandCommand(1, 'Name a command; see --help.')
  .recommendCommands()
  .wrap(Math.min(110, process.stdout.columns ?? 110))
  .fail((msg, err) => {
    if (err) throw err;
    say(`fleet-ceremony: ${msg}`);
    say('Run with --help for usage.');
    process.exit(EXIT_USAGE);
  });

for (const c of commands) cli.command(c);

await cli.parseAsync();
