/**
 * The loaded-module registry: each PKCS#11 module (shared library) is loaded and `C_Initialize`d
 * once per process per real path, shared by every user through reference-counted leases, and
 * `C_Finalize`d and unloaded when the last lease is released. Every call to a module goes through
 * its {@link SerialQueue}. A slot can be claimed by one open session-holder at a time: PKCS#11
 * login state is per application and token, so a second login to the same token in this process
 * would either be refused or share (and later log out) the first one's login.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { UsageError } from '../../errors.js';
import { mapPkcs11Error } from './errors.js';
import { SerialQueue } from './serial-queue.js';

interface LoadedModule {
  path: string;
  pkcs11: PKCS11;
  queue: SerialQueue;
  refs: number;
  claimedSlots: Set<string>;
}

const loaded = new Map<string, LoadedModule>();

/** One user's share of a loaded module. */
export interface ModuleLease {
  /** Real path of the module. */
  readonly path: string;
  /** The pkcs11js binding; call it only inside {@link ModuleLease.run}. */
  readonly pkcs11: PKCS11;
  /** Runs `task` after every task queued before it on this module. */
  run<T>(task: () => T | Promise<T>): Promise<T>;
  /** Marks `slotId` open by the caller; false when another holder has it. */
  claimSlot(slotId: string): boolean;
  releaseSlot(slotId: string): void;
  /** Drops this lease; the last one finalises and unloads the module. Idempotent. */
  release(): Promise<void>;
}

function realModulePath(module: string): string {
  if (typeof module !== 'string' || module === '') {
    throw new UsageError('PKCS11_MODULE_NOT_FOUND', 'no PKCS#11 module path given');
  }
  try {
    return realpathSync(resolve(module));
  } catch {
    throw new UsageError('PKCS11_MODULE_NOT_FOUND', `PKCS#11 module not found: ${module} (no such file)`);
  }
}

function load(path: string): LoadedModule {
  const pkcs11 = new pkcs11js.PKCS11();
  try {
    pkcs11.load(path);
  } catch (e) {
    const why = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    throw new UsageError('PKCS11_MODULE_INVALID', `cannot load PKCS#11 module ${path}: ${why}`);
  }
  try {
    pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    pkcs11.close();
    throw mapPkcs11Error(e, { operation: 'C_Initialize', module: path });
  }
  return { path, pkcs11, queue: new SerialQueue(), refs: 0, claimedSlots: new Set() };
}

/**
 * Loads (or shares) the module at `module` and returns a lease on it.
 *
 * @throws UsageError `PKCS11_MODULE_NOT_FOUND` (no such file), `PKCS11_MODULE_INVALID` (not a
 *   loadable PKCS#11 library), or the mapped CKR_ error of `C_Initialize`.
 */
export function acquireModule(module: string): ModuleLease {
  const path = realModulePath(module);
  let entry = loaded.get(path);
  if (entry === undefined) {
    entry = load(path);
    loaded.set(path, entry);
  }
  entry.refs += 1;
  const m = entry;
  let released = false;
  const mine = new Set<string>();
  return {
    path,
    pkcs11: m.pkcs11,
    run: (task) => m.queue.run(task),
    claimSlot(slotId) {
      if (m.claimedSlots.has(slotId)) return false;
      m.claimedSlots.add(slotId);
      mine.add(slotId);
      return true;
    },
    releaseSlot(slotId) {
      if (mine.delete(slotId)) m.claimedSlots.delete(slotId);
    },
    async release() {
      if (released) return;
      released = true;
      for (const slot of mine) m.claimedSlots.delete(slot);
      mine.clear();
      await m.queue.run(() => {
        m.refs -= 1;
        if (m.refs > 0) return;
        loaded.delete(path);
        try {
          m.pkcs11.C_Finalize();
        } finally {
          m.pkcs11.close();
        }
      });
    },
  };
}

/** Number of modules currently loaded by this process (for tests and diagnostics). */
export function loadedModuleCount(): number {
  return loaded.size;
}
