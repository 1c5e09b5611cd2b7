/**
 * `fleet-ceremony demo [--out DIR] [--hsm emulated|softhsm] [--witness URL]`: a full rehearsal
 * ceremony on embedded defaults (3 HSMs, 5 crypto officers with a 3-of-5 quorum, a local witness),
 * then its offline verification; prints a summary and where the report and summary are
 * (docs/operator-guide.md, "The demo"). Thin: flags → runDemo → summary. Exit 0 when the evidence
 * verifies, 1 when it does not.
 */
import type { Argv, CommandModule } from 'yargs';
import { formatDemoSummary, runDemo } from '../../demo/index.js';
import type { DemoOptions } from '../../demo/index.js';
import { EXIT_OK, EXIT_VERIFICATION_FAILED, command, printJson, say } from '../run.js';

interface DemoArgs {
  out?: string;
  hsm: 'emulated' | 'softhsm';
  witness?: string;
  'operator-key'?: string;
  vendor?: string;
  namespace?: string;
  json: boolean;
}

/** The `demo` command. */
export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'run a full rehearsal ceremony on embedded defaults, then verify its evidence offline',
  builder: (y: Argv) =>
    y
      .option('out', {
        type: 'string',
        describe: 'demo directory to create (default ./demo-<UTC time>); never reused',
      })
      .option('hsm', {
        choices: ['emulated', 'softhsm'] as const,
        default: 'emulated' as const,
        describe: 'HSMs: emulated, or SoftHSM2 tokens created in the demo directory',
      })
      .option('witness', {
        type: 'string',
        describe:
          'use this witness server instead of a local one (needs --operator-key, and --vendor for emulated HSMs)',
      })
      .option('operator-key', {
        type: 'string',
        describe: 'with --witness: C2SP signer key file of an operator registered for the namespace',
      })
      .option('vendor', {
        type: 'string',
        describe: 'with --witness: emulated vendor directory whose root the namespace pins',
      })
      .option('namespace', {
        type: 'string',
        describe: 'namespace of the fleet (default example.backup-keys)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the result as JSON on stdout',
      }) as unknown as Argv<DemoArgs>,
  handler: command(async (a) => {
    const o: DemoOptions = {
      hsm: a.hsm,
      tasks: a.json || process.stderr.isTTY !== true ? 'silent' : 'auto',
      say,
      ...(a.out === undefined ? {} : { out: a.out }),
      ...(a.witness === undefined ? {} : { witness: a.witness }),
      ...(a['operator-key'] === undefined ? {} : { operatorKey: a['operator-key'] }),
      ...(a.vendor === undefined ? {} : { vendor: a.vendor }),
      ...(a.namespace === undefined ? {} : { namespace: a.namespace }),
    };
    const r = await runDemo(o);
    process.stderr.write(formatDemoSummary(r));
    if (a.json)
      printJson({
        ok: r.report.ok,
        dir: r.dir,
        trust: r.trust,
        evidence: r.evidence.dir,
        tarGz: r.evidence.tarGz,
        report: `${r.evidence.dir}/report.pdf`,
        summary: `${r.evidence.dir}/SUMMARY.md`,
        keySetSha256: r.evidence.keySetSha256,
        evidenceSha256: r.evidence.evidenceSha256,
        checks: { passed: r.report.checks.filter((c) => c.ok).length, total: r.report.checks.length },
        timings: r.timings,
        steps: r.run.steps.map((s) => ({ id: s.id, durationMs: s.durationMs ?? 0 })),
      });
    return r.report.ok ? EXIT_OK : EXIT_VERIFICATION_FAILED;
  }),
};
