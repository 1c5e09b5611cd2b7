/**
 * The operator's task list: one line per step with its state and timing (listr2). Renderers:
 * `default` (redrawn in place) on a colour terminal in unattended runs; `simple` (one line as a
 * step starts and one as it ends) when prompts will interleave with it, when stderr is not a
 * terminal, or under `NO_COLOR`; `silent` for tests and `--json`. Everything goes to stderr.
 */
import type { Writable } from 'node:stream';

/** How the task list draws. */
export type TaskListMode = 'auto' | 'default' | 'simple' | 'silent';

/** One task: a title and the work, which may print lines through `say`. */
export interface Task {
  title: string;
  /** Shown instead of running, for steps already done (after a resume). */
  skip?: string;
  run(say: (text: string) => void): Promise<void>;
}

/** Options of {@link runTasks}. */
export interface TaskListOptions {
  mode: TaskListMode;
  /** Prompts may appear during tasks: never redraw in place. */
  interactive: boolean;
  noColor: boolean;
  output?: Writable & { isTTY?: boolean };
}

/** `1.2 s`, `850 ms`: a duration for the task list. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The renderer `auto` picks. */
export function pickRenderer(o: TaskListOptions): 'default' | 'simple' | 'silent' {
  if (o.mode !== 'auto') return o.mode;
  const out = o.output ?? process.stderr;
  return out.isTTY === true && !o.noColor && !o.interactive ? 'default' : 'simple';
}

/** Runs tasks in order, stopping at the first that throws (its error is rethrown as is). */
export async function runTasks(tasks: readonly Task[], o: TaskListOptions): Promise<void> {
  const renderer = pickRenderer(o);
  if (renderer === 'silent') {
    for (const t of tasks) if (t.skip === undefined) await t.run(() => {});
    return;
  }
  const out = o.output ?? process.stderr;
  // listr2 is loaded when a task list is drawn: it is large, and most commands never draw one.
  const { Listr, ListrLogger, ProcessOutput } = await import('listr2');
  const logger = new ListrLogger({
    useIcons: true,
    processOutput: new ProcessOutput(out as NodeJS.WriteStream, out as NodeJS.WriteStream),
  });
  const timer = {
    condition: true,
    field: (ms: number) => formatDuration(ms),
    format: () => (s: string) => s,
  };
  let failure: unknown;
  const list = new Listr(
    tasks.map((t) => ({
      title: t.title,
      skip: t.skip === undefined ? false : t.skip,
      task: async (_ctx: unknown, task: { output: string }) => {
        try {
          await t.run((text) =>
            renderer === 'simple' ? out.write(`  ${text.replace(/\n/g, '\n  ')}\n`) : (task.output = text),
          );
        } catch (e) {
          failure = e;
          throw e;
        }
      },
    })),
    {
      renderer,
      fallbackRenderer: 'simple',
      rendererOptions: { timer, logger, collapseSubtasks: false },
      fallbackRendererOptions: { timer, logger },
      exitOnError: true,
      registerSignalListeners: false,
      collectErrors: false,
    } as ConstructorParameters<typeof Listr>[1],
  );
  try {
    await list.run();
  } catch (e) {
    throw failure ?? e;
  }
}
