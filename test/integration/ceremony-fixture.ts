/**
 * A ready-to-run rehearsal ceremony for the integration suites, made by the demo's own setup
 * (ceremony/demo/setup.ts): identity keys, three HSMs (emulated with the test scrypt cost, or
 * SoftHSM2 tokens), the operator key, a local witness, trust.json and the filled-in script, with
 * PINs the test knows. Plus helpers to run the real CLI against it with a crash point, and to
 * look inside its HSMs afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpDemo } from '../../ceremony/demo/index.js';
import { DEMO_HSMS } from '../../ceremony/demo/index.js';
import { openHsm } from '../../ceremony/hsm/index.js';
import type { Hsm } from '../../ceremony/hsm/index.js';
import { createStepRegistry } from '../../ceremony/runner/registry.js';
import { loadScript } from '../../ceremony/runner/script/index.js';
import type { CeremonyScript } from '../../ceremony/runner/script/index.js';
import { registerCeremonyStepKinds } from '../../ceremony/runner/steps/ceremony/index.js';
import { runCli } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { tokenBaseDir } from './softhsm.js';

/** The test scrypt cost of emulated HSMs (the lowest the device accepts). */
export const TEST_KDF = { log2N: 10, r: 8, p: 1 };

/** A ceremony set up and not yet run. */
export interface CeremonyFixture {
  dir: string;
  script: string;
  workdir: string;
  trust: string;
  hsm: 'emulated' | 'softhsm';
  /** PINs by variable name, and SOFTHSM2_CONF for SoftHSM2: the environment of every CLI run. */
  env: Record<string, string>;
  parsed: CeremonyScript;
  cleanup(): void;
}

/** Sets up a ceremony in a new temporary directory. */
export async function ceremonyFixture(hsm: 'emulated' | 'softhsm' = 'emulated'): Promise<CeremonyFixture> {
  const dir = mkdtempSync(join(hsm === 'softhsm' ? tokenBaseDir() : tmpdir(), 'fc-ceremony-'));
  const pins = Object.fromEntries(DEMO_HSMS.map((h) => [h.pinEnv, `pin-${randomBytes(8).toString('hex')}`]));
  const registry = registerCeremonyStepKinds(createStepRegistry());
  const before = process.env['SOFTHSM2_CONF'];
  const setup = await setUpDemo(dir, { hsm, kdf: TEST_KDF, environment: pins }, registry);
  const env: Record<string, string> = { ...pins };
  if (hsm === 'softhsm') env['SOFTHSM2_CONF'] = process.env['SOFTHSM2_CONF']!;
  return {
    dir,
    script: setup.script,
    workdir: join(dir, 'work'),
    trust: setup.trust,
    hsm,
    env,
    parsed: loadScript(setup.script, { checkStep: registry.check }).script,
    cleanup() {
      if (before === undefined) delete process.env['SOFTHSM2_CONF'];
      else process.env['SOFTHSM2_CONF'] = before;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every crash point of the script, in the order a run passes them (docs/operator-guide.md). */
export function killPoints(script: CeremonyScript): string[] {
  return [
    ...script.steps.flatMap((s) => [
      `${s.id}:before`,
      ...(s.kind === 'generate-keys' ? [`${s.id}:keygen`] : []),
      ...(s.kind === 'witness-submit' ? [`${s.id}:signed`] : []),
      ...(s.kind === 'countersign' ? [`${s.id}:countersigned`] : []),
      `${s.id}:after`,
    ]),
    'evidence-package:before',
    'evidence-package:after',
  ];
}

/** `fleet-ceremony run SCRIPT --yes`, or `resume WORKDIR --yes`, crashing at `killAt` if given. */
export function ceremonyCli(
  f: CeremonyFixture,
  verb: 'run' | 'resume',
  killAt?: string,
  extra: string[] = [],
): Promise<CliResult> {
  return runCli([verb, verb === 'run' ? f.script : f.workdir, '--yes', ...extra], {
    env: { ...f.env, ...(killAt === undefined ? {} : { FLEET_TEST_KILL_AT: killAt }) },
    timeoutMs: 120_000,
  });
}

/** Opens the fixture's HSMs (by script id), runs `use`, closes them. */
export async function withFixtureHsms<T>(
  f: CeremonyFixture,
  use: (hsms: Map<string, Hsm>) => Promise<T>,
): Promise<T> {
  const hsms = new Map<string, Hsm>();
  try {
    for (const h of f.parsed.hsms) {
      const pin = f.env[h.pinEnv]!;
      hsms.set(
        h.id,
        await openHsm(
          h.backend === 'emulated'
            ? { backend: 'emulated', dir: join(f.dir, h.dir!), pin }
            : { backend: 'pkcs11', module: h.module!, tokenLabel: h.tokenLabel!, pin },
        ),
      );
    }
    return await use(hsms);
  } finally {
    for (const h of hsms.values()) await h.close();
  }
}

/** The transcript's text. */
export function transcriptText(f: CeremonyFixture): string {
  return readFileSync(join(f.workdir, 'transcript.jsonl'), 'utf8');
}
