/**
 * `runDemo`: a whole rehearsal ceremony on embedded defaults, then its offline verification.
 * Creates the demo directory (never reusing one), sets everything up (./setup.ts), runs the
 * filled-in rehearsal script unattended (`--yes` semantics: confirmations assumed and recorded as
 * such, sign-offs by the generated key files, PINs in memory), writes the evidence package after
 * the seal, and verifies it with `verifyEvidence` under the rehearsal profile against the trust
 * file it wrote. Every phase is timed.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../errors.js';
import { loadEvidencePackage } from '../evidence/index.js';
import { loadScript } from '../runner/script/index.js';
import { createStepRegistry } from '../runner/registry.js';
import { runCeremony } from '../runner/engine.js';
import type { RunResult } from '../runner/engine.js';
import { unattendedPrompts } from '../runner/prompts.js';
import { unattendedCollector } from '../runner/collectors.js';
import { registerCeremonyStepKinds, writeCeremonyEvidence } from '../runner/steps/ceremony/index.js';
import type { CeremonyEvidence } from '../runner/steps/ceremony/index.js';
import { readTrustFile } from '../runner/steps/ceremony/params.js';
import { verifyEvidence } from '../verify/index.js';
import type { EvidenceReport } from '../verify/index.js';
import { DEMO_FILES, defaultDemoDir } from './options.js';
import type { DemoOptions } from './options.js';
import { setUpDemo } from './setup.js';

/** What the demo made and found. */
export interface DemoResult {
  dir: string;
  script: string;
  trust: string;
  workdir: string;
  run: RunResult;
  evidence: CeremonyEvidence;
  /** The offline verifier's report, under the rehearsal profile. */
  report: EvidenceReport;
  /** Wall time of each phase (setup, ceremony, evidence, verify) and in all, ms. */
  timings: { setupMs: number; ceremonyMs: number; evidenceMs: number; verifyMs: number; totalMs: number };
}

/**
 * Runs the demo.
 * @throws UsageError `DEMO_DIR_EXISTS` (the directory exists and is not empty), `DEMO_OPTION_INVALID`;
 *   whatever the ceremony throws (recorded first in its transcript).
 */
export async function runDemo(o: DemoOptions = {}): Promise<DemoResult> {
  checkOptions(o);
  const t0 = performance.now();
  const dir = resolve(o.out ?? defaultDemoDir(new Date()));
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st !== undefined && (!st.isDirectory() || readdirSync(dir).length > 0))
    throw new UsageError(
      'DEMO_DIR_EXISTS',
      'exists and is not empty: the demo never reuses a directory (choose another --out)',
      { file: dir },
    );
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const registry = registerCeremonyStepKinds(createStepRegistry());
  const setup = await setUpDemo(dir, o, registry);
  const t1 = performance.now();

  const loaded = loadScript(setup.script, { checkStep: registry.check });
  const environment = { ...(o.environment ?? process.env), ...setup.pins };
  const prompts = unattendedPrompts();
  const workdir = join(dir, DEMO_FILES.workdir);
  o.say?.('Running the rehearsal ceremony unattended (confirmations assumed and recorded as such).');
  const run = await runCeremony({
    loaded,
    scriptDir: dir,
    workdir,
    registry,
    prompts,
    collector: unattendedCollector(),
    flags: { yes: true, dryRun: false, noColor: (environment['NO_COLOR'] ?? '') !== '' },
    tasks: o.tasks ?? 'silent',
    environment,
    handleSignals: true,
  });
  const t2 = performance.now();
  const evidence = await writeCeremonyEvidence({
    script: loaded.script,
    scriptDir: dir,
    workdir,
    prompts,
    environment,
    ...(o.say === undefined ? {} : { say: o.say }),
  });
  if (evidence === undefined)
    throw new UsageError('DEMO_NO_EVIDENCE', 'the demo script has no build-evidence step');
  const t3 = performance.now();
  const { trust } = readTrustFile(setup.trust);
  const report = await verifyEvidence(loadEvidencePackage(evidence.tarGz), trust, { profile: 'rehearsal' });
  const t4 = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    dir,
    script: setup.script,
    trust: setup.trust,
    workdir,
    run,
    evidence,
    report,
    timings: {
      setupMs: ms(t0, t1),
      ceremonyMs: ms(t1, t2),
      evidenceMs: ms(t2, t3),
      verifyMs: ms(t3, t4),
      totalMs: ms(t0, t4),
    },
  };
}

function checkOptions(o: DemoOptions): void {
  const bad = (field: string, why: string): never => {
    throw new UsageError('DEMO_OPTION_INVALID', `--${field}: ${why}`, { field });
  };
  if (o.hsm !== undefined && o.hsm !== 'emulated' && o.hsm !== 'softhsm')
    bad('hsm', 'want emulated or softhsm');
  if (o.witness === undefined) {
    if (o.operatorKey !== undefined) bad('operator-key', 'only with --witness');
    if (o.vendor !== undefined) bad('vendor', 'only with --witness');
    return;
  }
  if (!/^https?:\/\//.test(o.witness)) bad('witness', 'want an http:// or https:// URL');
  if (o.operatorKey === undefined)
    bad(
      'operator-key',
      'required with --witness: the C2SP signer key of an operator registered for the namespace',
    );
  if ((o.hsm ?? 'emulated') === 'emulated' && o.vendor === undefined)
    bad(
      'vendor',
      'required with --witness and emulated HSMs: the emulated vendor whose root the namespace pins',
    );
}
