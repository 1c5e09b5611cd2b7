/**
 * One process at a time per directory (an emulated HSM's state directory, a ceremony work
 * directory): a `lock` file created with O_EXCL in the directory, holding
 * `{ pid, host, since, nonce }`, removed by `release()` (and, as a courtesy, when the process exits
 * normally). A held lock is reported as UsageError `HSM_BUSY` (callers such as the runner rewrap it).
 *
 * Stale locks (docs/hsm.md §2.7): a lock whose process is gone — same host, and
 * `kill(pid, 0)` answers ESRCH — or an unreadable lock older than {@link UNREADABLE_GRACE_MS} is
 * recovered automatically. The recovery renames the stale file to a unique name first (only one
 * recovering process can win that rename) and checks it really moved the stale lock it judged.
 * A lock held by a live process, or by a process on another host (a shared file system), is never
 * broken: the operator removes it by hand after checking that process is gone.
 */
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

/** The lock file in the state directory. */
export const LOCK_FILE = 'lock';
/** An unparseable lock younger than this may be one being written right now. */
export const UNREADABLE_GRACE_MS = 10_000;

interface LockBody {
  pid: number;
  host: string;
  since: string;
  nonce: string;
}

const held = new Map<string, string>(); // lock path → our nonce
let exitHookInstalled = false;

function removeIfOurs(path: string, nonce: string): void {
  try {
    if (readLock(path)?.nonce === nonce) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function readLock(path: string): LockBody | undefined {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockBody>;
    if (typeof j.pid === 'number' && typeof j.host === 'string' && typeof j.nonce === 'string')
      return j as LockBody;
  } catch {
    // unreadable: handled by the caller
  }
  return undefined;
}

function isStale(path: string, body: LockBody | undefined): boolean {
  if (body === undefined) {
    const st = statSync(path, { throwIfNoEntry: false });
    return st !== undefined && Date.now() - st.mtimeMs > UNREADABLE_GRACE_MS;
  }
  if (body.host !== hostname()) return false;
  try {
    process.kill(body.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function tryCreate(path: string, body: LockBody): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(body) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Moves a stale lock aside; returns false if someone else changed it in between. */
function recoverStale(path: string, judged: LockBody | undefined): boolean {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // another process recovered it first
  }
  const moved = readLock(aside);
  if (judged !== undefined && moved?.nonce !== judged.nonce) {
    // We moved a fresh lock taken after our check: put it back (link fails if a newer one exists).
    try {
      linkSync(aside, path);
    } catch {
      // a newer lock is in place; the owner of the moved one keeps running unaware — see docs
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

/**
 * Takes the device lock of state directory `dir`.
 * @returns a `release` function (idempotent).
 * @throws UsageError `HSM_BUSY` naming the lock file and its holder when another live process (or
 *   this one, through another handle) has the device open.
 */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const body: LockBody = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    nonce: randomBytes(16).toString('hex'),
  };
  for (let attempt = 0; !tryCreate(path, body); attempt++) {
    const other = readLock(path);
    if (attempt < 2 && isStale(path, other) && recoverStale(path, other)) continue;
    const who =
      other === undefined
        ? 'an unknown process'
        : `process ${other.pid} on ${other.host} since ${other.since}`;
    throw new UsageError(
      'HSM_BUSY',
      `the device is in use by ${who}; if that process is gone, remove this lock file`,
      { file: path },
    );
  }
  held.set(path, body.nonce);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [p, n] of held) removeIfOurs(p, n);
    });
  }
  return () => {
    if (held.get(path) !== body.nonce) return;
    held.delete(path);
    removeIfOurs(path, body.nonce);
  };
}
