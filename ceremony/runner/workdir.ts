/**
 * The ceremony's working directory: created exclusively (an existing non-empty directory is never
 * reused), holding a byte-for-byte copy of the script, `run.json` (where the script lives, for
 * `resume`), the transcript and a lock that keeps a second runner out.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError, isCeremonyError } from '../errors.js';
import { acquireLock, createDirExclusive, writeFileExclusive } from '../io/index.js';
import type { LoadedScript } from './script/load.js';

/** File names inside a working directory. */
export const WORKDIR_FILES = {
  transcript: 'transcript.jsonl',
  script: 'script.yaml',
  run: 'run.json',
} as const;

/** Version tag of run.json. */
export const RUN_FORMAT = 'fleet-ceremony/run/v1';

/**
 * Creates `dir` with the script copy and run.json, all or nothing.
 * @throws UsageError `RUNNER_WORKDIR_IN_USE` (a transcript is there: resume it),
 *   `RUNNER_WORKDIR_NOT_EMPTY`.
 */
export async function createWorkdir(dir: string, loaded: LoadedScript, startedAt: Date): Promise<void> {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st !== undefined && st.isDirectory() && readdirSync(dir).includes(WORKDIR_FILES.transcript))
    throw new UsageError(
      'RUNNER_WORKDIR_IN_USE',
      `a ceremony already ran here; continue it with: fleet-ceremony resume ${dir}`,
      { file: dir },
    );
  try {
    await createDirExclusive(dir, 0o755, (tmp) => {
      writeFileExclusive(join(tmp, WORKDIR_FILES.script), loaded.bytes, 0o644);
      const run = {
        format: RUN_FORMAT,
        script: relative(resolve(dir), resolve(loaded.file)),
        scriptSha256: loaded.sha256,
        started: startedAt.toISOString(),
      };
      writeFileExclusive(join(tmp, WORKDIR_FILES.run), JSON.stringify(run, null, 2) + '\n', 0o644);
    });
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'HSM_OUTPUT_EXISTS')
      throw new UsageError(
        'RUNNER_WORKDIR_NOT_EMPTY',
        'the working directory exists and is not empty; choose another --workdir',
        { file: dir },
      );
    throw e;
  }
}

/**
 * Locks `dir` for this process. Returns the release function.
 * @throws UsageError `RUNNER_WORKDIR_BUSY` while another runner holds it.
 */
export function lockWorkdir(dir: string): () => void {
  try {
    return acquireLock(dir);
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'HSM_BUSY')
      throw new UsageError(
        'RUNNER_WORKDIR_BUSY',
        `another runner is using this working directory (${e.message.replace(/^the device is in use by /, '')})`,
        {
          file: join(dir, 'lock'),
        },
      );
    throw e;
  }
}

/** `work` → the absolute working directory of a script (`outputs.workdir` from its directory). */
export function defaultWorkdir(loaded: LoadedScript, scriptDir: string): string {
  return resolve(scriptDir, loaded.script.outputs.workdir);
}
