/**
 * The device lock file: one process at a time; stale locks (dead process on this host, or an
 * unreadable lock older than the grace period) are recovered; live or foreign locks never are.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireLock } from '../../../../ceremony/io/index.js';
import { deviceFixture } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

let fx: DeviceFixture;
beforeEach(async () => {
  fx = await deviceFixture();
});
afterEach(() => fx.cleanup());

const lockPath = () => join(fx.dir, LOCK_FILE);
/** The pid of a process that has exited (so `kill(pid, 0)` answers ESRCH). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const plant = (body: object | string) =>
  writeFileSync(lockPath(), typeof body === 'string' ? body : JSON.stringify(body));

describe('emulated HSM: device lock', () => {
  it('holds the lock while open and removes it on close', async () => {
    const hsm = await fx.open();
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    await hsm.close();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('recovers the lock of a process that is gone', async () => {
    plant({ pid: deadPid(), host: hostname(), since: '2020-01-01T00:00:00Z', nonce: 'dead' });
    const hsm = await fx.open();
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
    await hsm.close();
  });

  it('never breaks the lock of a live process, and names it', async () => {
    plant({ pid: process.pid, host: hostname(), since: '2020-01-01T00:00:00Z', nonce: 'other-handle' });
    await expect(fx.open()).rejects.toMatchObject({
      code: 'HSM_BUSY',
      file: lockPath(),
      message: expect.stringContaining(`process ${process.pid}`),
    });
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ nonce: 'other-handle' });
  });

  it('never breaks a lock taken on another host (shared file system)', async () => {
    plant({ pid: deadPid(), host: `not-${hostname()}`, since: '2020-01-01T00:00:00Z', nonce: 'far' });
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_BUSY' });
  });

  it('treats an unreadable lock as busy while young and as stale when old', async () => {
    plant('');
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_BUSY' });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath(), old, old);
    await (await fx.open()).close();
  });

  it('release is idempotent and does not remove a lock someone else took since', () => {
    const release = acquireLock(fx.dir);
    release();
    const again = acquireLock(fx.dir);
    release();
    expect(existsSync(lockPath())).toBe(true);
    again();
    expect(existsSync(lockPath())).toBe(false);
  });
});
