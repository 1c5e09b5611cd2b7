/**
 * `fleet-ceremony audit-namespace --log URL|DIR --trust FILE [--namespace NS]` (docs/witness.md,
 * "Auditing a namespace"): what Meta's `mbt eb-verify-namespace` does, for every epoch of each
 * namespace: statement and artifact fetched, digest, witness signature, operator counter-signature
 * and log inclusion checked against the trust file's pinned anchors, then the fleet keys diffed
 * epoch by epoch. Exit 0 when everything verifies, 1 when anything does not.
 */
import type { CommandModule } from 'yargs';
import { EXIT_OK, EXIT_VERIFICATION_FAILED, command, printJson } from '../run.js';
import { readTrust } from '../trust-options.js';

interface Args {
  log: string;
  trust: string;
  namespace?: string[];
  json: boolean;
}

/** The `audit-namespace` command. */
export const auditNamespaceCommand: CommandModule<object, Args> = {
  command: 'audit-namespace',
  describe:
    'verify every epoch of a namespace on a witness (digest, signatures, log inclusion) and diff the fleet keys',
  builder: (y) =>
    y
      .option('log', {
        type: 'string',
        demandOption: true,
        describe: 'the witness: http(s) URL or a directory from `witness export-tiles`',
      })
      .option('trust', {
        type: 'string',
        demandOption: true,
        describe: 'trust file with the pinned witness, log and operator keys',
      })
      .option('namespace', {
        type: 'string',
        array: true,
        describe: 'namespace(s) to audit (default: every one in the trust file)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' }),
  handler: command(async (a) => {
    const { auditNamespace, formatNamespaceAudit, openWitnessSource } =
      await import('../../witness/index.js');
    const trust = await readTrust(a.trust);
    const source = await openWitnessSource(a.log);
    const results = [];
    for (const ns of a.namespace ?? trust.namespaces) results.push(await auditNamespace(source, trust, ns));
    if (a.json) printJson({ ok: results.every((r) => r.ok), namespaces: results });
    else for (const r of results) process.stdout.write(formatNamespaceAudit(r) + '\n');
    return results.every((r) => r.ok) ? EXIT_OK : EXIT_VERIFICATION_FAILED;
  }),
};
