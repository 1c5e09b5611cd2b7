/**
 * An evidence package directory appears whole or not at all, and nothing existing is ever
 * overwritten (DESIGN §6): the files are written concurrently into a temporary directory that
 * `ceremony/io/` renames onto the target.
 */
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createDirExclusive, fsyncDir } from '../io/index.js';
import type { OutputErrors } from '../io/index.js';

/** The codes and message evidence outputs report through `ceremony/io/`. */
export const EVIDENCE_OUTPUT: OutputErrors = {
  exists: 'EVIDENCE_OUTPUT_EXISTS',
  existsMessage: 'already exists; evidence is never overwritten',
  unwritable: 'EVIDENCE_OUTPUT_UNWRITABLE',
};

/** Files written and fsync'ed at once: concurrent fsyncs share journal commits. */
const CONCURRENCY = 32;

async function writeNewAsync(path: string, data: Uint8Array, mode: number): Promise<void> {
  const fh = await open(path, 'wx', mode);
  try {
    let off = 0;
    while (off < data.length) off += (await fh.write(data, off, data.length - off)).bytesWritten;
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Creates directory `dir` holding exactly `files` (relative `/` paths → bytes), all or nothing;
 * every file and directory is fsync'ed before the rename.
 *
 * @throws UsageError `EVIDENCE_OUTPUT_EXISTS` if `dir` exists and is not an empty directory;
 *   `EVIDENCE_OUTPUT_UNWRITABLE` if it cannot be written (nothing is left behind).
 */
export async function writeDirExclusive(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  await createDirExclusive(
    dir,
    0o755,
    async (tmp) => {
      const dirs = new Set<string>([tmp]);
      const todo = [...files]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, bytes]) => {
          const target = join(tmp, ...path.split('/'));
          const d = dirname(target);
          if (!dirs.has(d)) {
            mkdirSync(d, { recursive: true, mode: 0o755 });
            for (let x = d; !dirs.has(x); x = dirname(x)) dirs.add(x);
          }
          return { target, bytes };
        });
      let next = 0;
      const worker = async () => {
        while (next < todo.length) {
          const t = todo[next++]!;
          await writeNewAsync(t.target, t.bytes, 0o644);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
      // Deepest first; createDirExclusive fsyncs `tmp` itself.
      for (const d of [...dirs].sort((a, b) => b.length - a.length)) if (d !== tmp) fsyncDir(d);
    },
    EVIDENCE_OUTPUT,
  );
}
