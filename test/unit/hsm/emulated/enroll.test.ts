/**
 * Emulated vendor creation and device enrolment: exclusive, all-or-nothing outputs; input checks;
 * a vendor root key that does not match its certificate is refused.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEmulatedVendor,
  enrollEmulatedDevice,
  loadEmulatedVendor,
} from '../../../../ceremony/hsm/emulated/index.js';
import { deviceFixture, readTree, TEST_KDF } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

let fx: DeviceFixture;
beforeEach(async () => {
  fx = await deviceFixture();
});
afterEach(() => fx.cleanup());

const enroll = (over: Partial<Parameters<typeof enrollEmulatedDevice>[0]> = {}) =>
  enrollEmulatedDevice({
    vendorDir: fx.vendorDir,
    serial: 'SN-2',
    dir: join(fx.base, 'dev2'),
    pin: fx.pin,
    kdf: TEST_KDF,
    ...over,
  });

describe('emulated vendor', () => {
  it('writes root.pem, vendor.json and a 0600 root key', () => {
    expect(readdirSync(fx.vendorDir).sort()).toEqual(['root-key.pem', 'root.pem', 'vendor.json']);
    expect(statSync(join(fx.vendorDir, 'root-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(fx.vendorDir, 'root.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(loadEmulatedVendor(fx.vendorDir).name).toBe('fleet-ceremony');
  });

  it('never overwrites: an existing non-empty directory is refused and left as it was', async () => {
    const before = readTree(fx.vendorDir);
    await expect(createEmulatedVendor(fx.vendorDir)).rejects.toMatchObject({
      code: 'HSM_OUTPUT_EXISTS',
      file: fx.vendorDir,
    });
    expect(readTree(fx.vendorDir)).toEqual(before);
  });

  it('refuses a root key that does not match root.pem', async () => {
    const other = join(fx.base, 'other-vendor');
    await createEmulatedVendor(other, { name: 'Other' });
    copyFileSync(join(other, 'root-key.pem'), join(fx.vendorDir, 'root-key.pem'));
    await expect(enroll()).rejects.toMatchObject({ name: 'MalformedError', code: 'HSM_VENDOR_MALFORMED' });
    expect(readdirSync(fx.base).sort()).toEqual(['device', 'other-vendor', 'vendor']);
  });

  it('names a directory that is not a vendor', async () => {
    await expect(enroll({ vendorDir: fx.dir })).rejects.toMatchObject({
      code: 'HSM_VENDOR_NOT_FOUND',
      file: fx.dir,
    });
    writeFileSync(join(fx.vendorDir, 'vendor.json'), '{');
    await expect(enroll()).rejects.toMatchObject({ code: 'HSM_VENDOR_MALFORMED' });
  });
});

describe('emulated device enrolment', () => {
  it('refuses an existing device directory and changes nothing in it', async () => {
    const before = readTree(fx.dir);
    await expect(enroll({ dir: fx.dir })).rejects.toMatchObject({
      name: 'UsageError',
      code: 'HSM_OUTPUT_EXISTS',
    });
    expect(readTree(fx.dir)).toEqual(before);
  });

  it('uses an existing empty directory and leaves no temporary directory behind', async () => {
    const dir = join(fx.base, 'empty');
    mkdirSync(dir);
    const r = await enroll({ dir, model: 'Model X', firmware: '2.1.0', label: 'rack-3' });
    expect(r.info).toEqual({
      backend: 'emulated',
      vendor: 'fleet-ceremony (EMULATED)',
      model: 'Model X',
      serial: 'SN-2',
      firmware: '2.1.0',
      label: 'rack-3',
    });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(fx.base).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.each([
    [{ serial: '' }, 'HSM_SERIAL_INVALID'],
    [{ serial: 'bad serial' }, 'HSM_SERIAL_INVALID'],
    [{ serial: 'x'.repeat(33) }, 'HSM_SERIAL_INVALID'],
    [{ pin: '12345' }, 'HSM_PIN_INVALID'],
    [{ model: '' }, 'HSM_TEXT_INVALID'],
    [{ firmware: 'a\nb' }, 'HSM_TEXT_INVALID'],
    [{ kdf: { log2N: 4, r: 8, p: 1 } }, 'HSM_KDF_INVALID'],
  ])('refuses %j with %s and creates nothing', async (over, code) => {
    await expect(enroll(over)).rejects.toMatchObject({ code });
    expect(readdirSync(fx.base).sort()).toEqual(['device', 'vendor']);
  });

  it('the device opens with its PIN and reports the identity chain it was enrolled with', async () => {
    const r = await enroll();
    const { openEmulatedHsm } = await import('../../../../ceremony/hsm/emulated/index.js');
    const hsm = await openEmulatedHsm({ dir: r.dir, pin: fx.pin });
    expect(await hsm.identityChain()).toEqual(r.chain);
    await hsm.close();
  });
});
