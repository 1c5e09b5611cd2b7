/**
 * `fleet-ceremony witness keygen|key rotate|namespace add|namespace set|cosign add-log|serve|sign|
 * export-tiles` (docs/witness.md, "CLI"). Thin: flags → ceremony/witness → output. stdout carries
 * the command's output (keys, the witness reply, or with --json the JSON); human text goes to
 * stderr. PINs come from `--pin-env VAR` (default FLEET_HSM_PIN) and are never printed. The
 * subcommands live in ./witness-setup.ts (keys, configuration) and ./witness-run.ts.
 */
import type { CommandModule } from 'yargs';
import { exportTiles, serve, sign } from './witness-run.js';
import { cosignAdd, keygen, nsAdd, nsSet, rotate } from './witness-setup.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<object, any>;

function group(name: string, describe: string, subs: AnyCommand[]): CommandModule<object, object> {
  return {
    command: `${name} <command>`,
    describe,
    builder: (y) =>
      subs.reduce((acc, c) => acc.command(c), y).demandCommand(1, `Name a ${name} subcommand; see --help.`),
    handler: () => undefined,
  };
}

/** The `witness` command and its subcommands. */
export const witnessCommand: CommandModule<object, object> = group(
  'witness',
  'the independent witness: keys, namespaces, server, submissions, static export',
  [
    keygen,
    group('key', 'witness statement keys', [rotate]),
    group('namespace', 'namespaces the witness signs for', [nsAdd, nsSet]),
    group('cosign', 'logs the witness cosigns (tlog-witness)', [cosignAdd]),
    serve,
    sign,
    exportTiles,
  ],
);
