/**
 * Fixtures for the emulated HSM suites: a temporary directory with an emulated vendor and an
 * enrolled device. The PIN is random per fixture so leak scans can look for it. Enrolment uses a
 * low scrypt cost (N = 2^10) through the explicit `kdf` option; the production default is tested
 * on its own.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmulatedVendor,
  enrollEmulatedDevice,
  openEmulatedHsm,
} from '../../../../ceremony/hsm/emulated/index.js';
import type { EmulatedHsm, EmulatedVendor } from '../../../../ceremony/hsm/emulated/index.js';

export const TEST_KDF = { log2N: 10, r: 8, p: 1 };

export interface DeviceFixture {
  base: string;
  vendor: EmulatedVendor;
  vendorDir: string;
  dir: string;
  serial: string;
  pin: string;
  open(pin?: string): Promise<EmulatedHsm>;
  cleanup(): void;
}

/**
 * A fresh temporary directory (removed by the fixture's cleanup): under `FLEET_TEST_TMPDIR`, else
 * the tmpfs /dev/shm where there is one (every state write fsyncs; on tmpfs that is free), else the
 * system temp dir.
 */
export function tempBase(prefix = 'fc-hsm-'): string {
  const configured = process.env['FLEET_TEST_TMPDIR'];
  let parent = configured !== undefined && configured !== '' ? configured : tmpdir();
  if (parent === tmpdir()) {
    try {
      accessSync('/dev/shm', constants.W_OK);
      parent = '/dev/shm';
    } catch {
      // no tmpfs: the system temp dir it is
    }
  }
  return mkdtempSync(join(parent, prefix));
}

/** A vendor and one enrolled device in a new temporary directory. */
export async function deviceFixture(serial = 'SN-TEST-1'): Promise<DeviceFixture> {
  const base = tempBase();
  const vendorDir = join(base, 'vendor');
  const vendor = await createEmulatedVendor(vendorDir);
  const dir = join(base, 'device');
  const pin = `pin-${randomBytes(9).toString('hex')}`;
  await enrollEmulatedDevice({ vendorDir, serial, dir, pin, kdf: TEST_KDF });
  return {
    base,
    vendor,
    vendorDir,
    dir,
    serial,
    pin,
    open: (p = pin) => openEmulatedHsm({ dir, pin: p }),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Every regular file under `dir`, recursively, with its bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** The encodings a secret could appear in: raw, hex (both cases), base64 and base64url. */
export function secretForms(secret: Uint8Array): Buffer[] {
  const b = Buffer.from(secret);
  return [
    b,
    Buffer.from(b.toString('hex')),
    Buffer.from(b.toString('hex').toUpperCase()),
    Buffer.from(b.toString('base64').replace(/=+$/, '')),
    Buffer.from(b.toString('base64url')),
  ];
}

/** Files (under `dir`) in which any form of any secret occurs. */
export function filesContaining(files: Map<string, Buffer>, secrets: Uint8Array[]): string[] {
  const hits: string[] = [];
  for (const [path, bytes] of files)
    for (const s of secrets) if (secretForms(s).some((f) => bytes.includes(f))) hits.push(path);
  return hits;
}
