/**
 * The {@link StepContext} the engine hands a step kind: the script, the transcript (records of this
 * step), outputs of earlier steps, HSMs opened on demand, prompts and read-aloud.
 */
import type { Hsm } from '../hsm/index.js';
import { UsageError } from '../errors.js';
import { confirmTyped, readAloudText } from './confirm.js';
import { openDevice } from './devices.js';
import { pgpWords } from '../transcript/pgp-words.js';
import { hexDecode } from '../codec/index.js';
import type { ResolvedParticipant } from './participants.js';
import type { Prompts } from './prompts.js';
import type { LoadedScript } from './script/load.js';
import type { RunFlags, StepContext, StepRecordKind } from './step-kind.js';
import type { StepProgress } from '../transcript/steps.js';
import type { JsonObject, ParsedRecord } from '../transcript/records.js';
import type { TranscriptWriter } from './transcript/writer.js';

/** What the engine shares between the contexts of one run. */
export interface RunState {
  loaded: LoadedScript;
  scriptDir: string;
  workdir: string;
  flags: RunFlags;
  prompts: Prompts;
  participants: readonly ResolvedParticipant[];
  writer: TranscriptWriter;
  progress: StepProgress[];
  /** Records found in the transcript when the run began (for `earlier`). */
  entries: readonly ParsedRecord[];
  /** Open HSMs by script id; the engine closes them at the end. */
  hsms: Map<string, Promise<Hsm>>;
  clock: () => Date;
  environment?: Readonly<Record<string, string | undefined>>;
  /** Set once the `seal` record is written. */
  sealed?: boolean;
}

/** Largest value read aloud: 64 bytes (the PGP word encoder's limit), as lowercase hex. */
const HEX = /^([0-9a-f]{2}){1,64}$/;

/** The context of step `index`, attempt `attempt`, printing through `say`. */
export function stepContext(
  run: RunState,
  index: number,
  attempt: number,
  say: (text: string) => void,
): StepContext {
  const script = run.loaded.script;
  const step = script.steps[index]!;
  const record = (kind: StepRecordKind, data: JsonObject) => run.writer.append(kind, data, step.id);
  return {
    loaded: run.loaded,
    script,
    scriptDir: run.scriptDir,
    step,
    index,
    attempt,
    workdir: run.workdir,
    flags: run.flags,
    participants: run.participants,
    prompts: run.prompts,
    earlier: run.entries.filter((r) => r.step === step.id),
    record,
    output: (stepId, name) => run.progress.find((p) => p.id === stepId)?.outputs?.[name],
    hsm(id) {
      let h = run.hsms.get(id);
      if (h === undefined) {
        const spec = script.hsms.find((x) => x.id === id);
        if (spec === undefined)
          throw new UsageError(
            'RUNNER_UNKNOWN_HSM',
            `step ${step.id} asked for HSM ${id}, which the script does not list`,
          );
        h = openDevice(spec, {
          baseDir: run.scriptDir,
          label: `HSM ${id} (${spec.site})`,
          prompts: run.prompts,
          ...(run.environment === undefined ? {} : { environment: run.environment }),
        });
        run.hsms.set(id, h);
        // A failed open is not cached: the next call tries again.
        h.catch(() => run.hsms.delete(id));
      }
      return h;
    },
    async readAloud(label, hex, o = {}) {
      if (!HEX.test(hex))
        throw new UsageError(
          'RUNNER_READ_ALOUD_NOT_HEX',
          `${label}: only a digest (1 to 64 bytes of lowercase hex) can be read aloud`,
          {
            field: `steps.${step.id}.readAloud`,
          },
        );
      const words = pgpWords(hexDecode(hex));
      say(readAloudText(label, hex));
      record('read-aloud', { label, value: o.ref ?? label, hex, words });
      const c = await confirmTyped(run.prompts, label, words, o.confirmWords);
      record('confirmation', {
        about: label,
        method: c.method,
        ...(c.method === 'typed' ? { words: c.words } : {}),
      });
    },
    say,
    now: run.clock,
    head: () => run.writer.head,
  };
}
