/**
 * Zeroisation of an emulated HSM (docs/hsm.md, "Zeroisation").
 *
 * Order matters for crash safety: device.json is first marked `zeroized` (so an interrupted
 * zeroisation still leaves a device that refuses use), then the keystore (every private key and the
 * device attestation key) and the PIN counter key are overwritten with random bytes, fsync'ed and
 * unlinked, then the counter. Overwriting is best effort: on journaling or copy-on-write file
 * systems and on SSDs old blocks may survive — the keystore was only ever written encrypted, so
 * what survives is ciphertext under a PIN-derived key.
 */
import { closeSync, fsyncSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { COUNTER_FILE, COUNTER_KEY_FILE } from './counter.js';
import { acquireLock, fsyncDir } from '../../io/index.js';
import { KEYSTORE_FILE } from './keystore.js';
import { readDeviceDescriptor, writeDeviceDescriptor } from './record.js';

function shred(path: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, randomBytes(st.size), 0, st.size, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}

/**
 * Zeroises the state directory `dir`. Precondition: the caller holds the device lock.
 * @throws UsageError `HSM_NOT_INITIALIZED` when `dir` holds no emulated HSM.
 */
export function zeroizeState(dir: string): void {
  const d = readDeviceDescriptor(dir);
  // The identity chain goes too: without the attestation key, the device certificate vouches for nothing.
  writeDeviceDescriptor(dir, {
    state: 'zeroized',
    record: { ...d.record, chain: [] },
    zeroizedAt: d.zeroizedAt ?? new Date().toISOString(),
  });
  shred(join(dir, KEYSTORE_FILE));
  shred(join(dir, COUNTER_KEY_FILE));
  shred(join(dir, COUNTER_FILE));
  fsyncDir(dir);
}

/**
 * Zeroises an emulated HSM without its PIN — the emulation of a device's physical reset (like the
 * YubiHSM 2 reset button): whoever holds the device can wipe it, and wiping reveals nothing.
 * Idempotent on a device that is already zeroised.
 * @throws UsageError `HSM_NOT_INITIALIZED` (no device in `dir`), `HSM_BUSY` (another process has it open).
 */
export function zeroizeEmulatedDevice(dir: string): void {
  readDeviceDescriptor(dir); // a clear error for a directory that holds no device, before locking it
  const release = acquireLock(dir);
  try {
    zeroizeState(dir);
  } finally {
    release();
  }
}
