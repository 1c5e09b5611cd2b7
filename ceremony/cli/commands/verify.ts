/**
 * `fleet-ceremony verify PACKAGE --trust FILE [--profile production|rehearsal] [--json]`: the
 * offline verifier of an evidence package (docs/evidence.md). Thin: flags → runVerify → exit code.
 * Exit 0 verified, 1 refused, 2 bad usage or unreadable/malformed input.
 */
import type { CommandModule } from 'yargs';
import { runVerify } from '../../evidence/index.js';
import { command } from '../run.js';
import { withLastSeenOptions, withTrustOption } from '../trust-options.js';
import type { TrustArgs } from '../trust-options.js';

interface VerifyArgs extends TrustArgs {
  package: string;
  profile?: string;
  json: boolean;
  now?: string;
}

/** The `verify` command. */
export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <package>',
  describe: 'verify an evidence package (directory or .tar.gz) offline against a trust file',
  builder: (y) =>
    withLastSeenOptions(
      withTrustOption(
        y.positional('package', {
          type: 'string',
          demandOption: true,
          describe: 'the evidence package: a directory or a .tar.gz',
        }),
      )
        .option('profile', {
          type: 'string',
          choices: ['production', 'rehearsal'],
          describe: "production refuses emulated HSMs (default: the trust file's)",
        })
        .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON on stdout' })
        .option('now', {
          type: 'string',
          describe: "judge validity at this time, ISO 8601 UTC (default: the package's time)",
        }),
      'anti-rollback: the newest epoch accepted before',
    ),
  handler: command(async (a) => {
    const { code } = await runVerify(
      {
        package: a.package,
        trust: a.trust,
        json: a.json,
        ...(a.profile === undefined ? {} : { profile: a.profile }),
        ...(a.now === undefined ? {} : { now: a.now }),
        ...(a['last-seen-epoch'] === undefined ? {} : { lastSeenEpoch: a['last-seen-epoch'] }),
        ...(a['last-seen-digest'] === undefined ? {} : { lastSeenDigest: a['last-seen-digest'] }),
      },
      { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
    );
    return code;
  }),
};
