/**
 * Running the ceremony step kinds one by one, outside the engine, against real pieces: the demo's
 * setup (three emulated HSMs at the test scrypt cost, the operator key, a local witness, the
 * trust file, the filled-in script) and a {@link StepContext} that opens the real HSMs and keeps
 * the records a kind writes in memory, so a test can run a kind, look at what it recorded, and run
 * it again as a resumed attempt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpDemo, DEMO_HSMS } from '../../../../ceremony/demo/index.js';
import { openHsm } from '../../../../ceremony/hsm/index.js';
import type { Hsm } from '../../../../ceremony/hsm/index.js';
import { unattendedPrompts } from '../../../../ceremony/runner/prompts.js';
import { createStepRegistry } from '../../../../ceremony/runner/registry.js';
import type { StepRegistry } from '../../../../ceremony/runner/registry.js';
import { loadScript } from '../../../../ceremony/runner/script/index.js';
import type { LoadedScript } from '../../../../ceremony/runner/script/index.js';
import { registerCeremonyStepKinds } from '../../../../ceremony/runner/steps/ceremony/index.js';
import type { StepContext, StepKind, StepOutputs } from '../../../../ceremony/runner/step-kind.js';
import type { JsonObject, ParsedRecord } from '../../../../ceremony/transcript/index.js';

/** A set-up ceremony and a way to run its kinds. */
export interface StepsFixture {
  dir: string;
  workdir: string;
  loaded: LoadedScript;
  registry: StepRegistry;
  pins: Record<string, string>;
  /** Every record written so far, in order. */
  records: ParsedRecord[];
  /** Outputs of the steps run so far, by step id. */
  outputs: Map<string, StepOutputs>;
  /** The HSMs, opened on first use. */
  hsm(id: string): Promise<Hsm>;
  /** Runs the script's step `stepId` as attempt `attempt` (earlier records of the step are passed in). */
  run(stepId: string, o?: { attempt?: number; kind?: StepKind }): Promise<StepOutputs>;
  close(): Promise<void>;
}

/** A new fixture in a temporary directory. */
export async function stepsFixture(): Promise<StepsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'fc-steps-'));
  const pins = Object.fromEntries(DEMO_HSMS.map((h) => [h.pinEnv, `pin-${randomBytes(6).toString('hex')}`]));
  const registry = registerCeremonyStepKinds(createStepRegistry());
  const setup = await setUpDemo(dir, { kdf: { log2N: 10, r: 8, p: 1 }, environment: pins }, registry);
  const loaded = loadScript(setup.script, { checkStep: registry.check });
  const workdir = join(dir, 'work');
  mkdirSync(workdir);
  const records: ParsedRecord[] = [];
  const outputs = new Map<string, StepOutputs>();
  const opened = new Map<string, Promise<Hsm>>();
  let head = createHash('sha256').update('genesis').digest('hex');
  const append = (kind: ParsedRecord['kind'], data: JsonObject, step: string) => {
    head = createHash('sha256')
      .update(head + JSON.stringify(data))
      .digest('hex');
    const r = {
      seq: records.length,
      time: new Date().toISOString(),
      kind,
      step,
      data,
      prev: '',
      line: records.length + 1,
      hash: head,
    };
    records.push(r);
    return { seq: r.seq, time: r.time, hash: head };
  };
  const fx: StepsFixture = {
    dir,
    workdir,
    loaded,
    registry,
    pins,
    records,
    outputs,
    hsm(id) {
      let h = opened.get(id);
      if (h === undefined) {
        const spec = loaded.script.hsms.find((x) => x.id === id)!;
        h = openHsm({ backend: 'emulated', dir: join(dir, spec.dir!), pin: pins[spec.pinEnv]! });
        opened.set(id, h);
      }
      return h;
    },
    async run(stepId, o = {}) {
      const index = loaded.script.steps.findIndex((s) => s.id === stepId);
      const step = loaded.script.steps[index]!;
      const kind = o.kind ?? registry.require(step.kind, stepId);
      const earlier = records.filter((r) => r.step === stepId);
      append('step-start', { index, attempt: o.attempt ?? 1 }, stepId);
      const ctx: StepContext = {
        loaded,
        script: loaded.script,
        scriptDir: dir,
        step,
        index,
        attempt: o.attempt ?? 1,
        workdir,
        flags: { yes: true, dryRun: false, noColor: true },
        participants: [],
        prompts: unattendedPrompts(),
        earlier,
        record: (k, data) => append(k, data, stepId),
        output: (id, name) => outputs.get(id)?.[name],
        hsm: (id) => fx.hsm(id),
        readAloud: async () => undefined,
        say: () => undefined,
        now: () => new Date(),
        head: () => head,
      };
      const out = (await kind.run(ctx)) ?? {};
      outputs.set(stepId, out);
      return out;
    },
    async close() {
      for (const h of opened.values()) await (await h).close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}

/** The `note` records with this event. */
export function notes(fx: StepsFixture, event: string): JsonObject[] {
  return fx.records.filter((r) => r.kind === 'note' && r.data['event'] === event).map((r) => r.data);
}
