/**
 * Login and the PIN retry counter: 10 consecutive wrong PINs lock the device for good, a right PIN
 * resets the count, the count is persisted before the PIN is tried, and a tampered or missing
 * counter makes the device fail closed.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PIN_ATTEMPTS } from '../../../../ceremony/hsm/emulated/index.js';
import { COUNTER_FILE, COUNTER_KEY_FILE } from '../../../../ceremony/hsm/emulated/counter.js';
import { openEmulatedHsm } from '../../../../ceremony/hsm/emulated/login.js';
import { deviceFixture } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

let fx: DeviceFixture;
beforeEach(async () => {
  fx = await deviceFixture();
});
afterEach(() => fx.cleanup());

const counterPath = () => join(fx.dir, COUNTER_FILE);
const failures = () => (JSON.parse(readFileSync(counterPath(), 'utf8')) as { failures: number }).failures;

async function wrong(times: number): Promise<void> {
  for (let i = 0; i < times; i++)
    await expect(fx.open('wrong-pin')).rejects.toMatchObject({ code: 'HSM_WRONG_PIN' });
}

describe('emulated HSM: PIN retry counter', () => {
  it('allows 10 attempts and says how many are left', async () => {
    expect(MAX_PIN_ATTEMPTS).toBe(10);
    await expect(fx.open('wrong-pin')).rejects.toMatchObject({
      name: 'UsageError',
      code: 'HSM_WRONG_PIN',
      message: expect.stringContaining('9 attempt(s) left'),
    });
    expect(failures()).toBe(1);
  });

  it('locks after 10 consecutive wrong PINs; the right PIN then fails too', async () => {
    await wrong(9);
    await expect(fx.open('wrong-pin')).rejects.toMatchObject({ code: 'HSM_LOCKED' });
    await expect(fx.open()).rejects.toMatchObject({ name: 'UsageError', code: 'HSM_LOCKED' });
    await expect(fx.open('wrong-pin')).rejects.toMatchObject({ code: 'HSM_LOCKED' });
    expect(failures()).toBe(10);
  });

  it('resets the count on success: 9 wrong, right, 9 wrong still opens', async () => {
    await wrong(9);
    await (await fx.open()).close();
    expect(failures()).toBe(0);
    await wrong(9);
    const hsm = await fx.open();
    expect((await hsm.info()).serial).toBe(fx.serial);
    await hsm.close();
  });

  it('counts a wrong PIN even before the PIN is checked (persisted first)', async () => {
    // A PIN attempt whose process dies during key derivation must still count: the counter is
    // written before scrypt runs. Observe it by starting a login and reading the file meanwhile.
    const pending = fx.open('wrong-pin');
    await new Promise((r) => setImmediate(r));
    expect(failures()).toBe(1);
    await expect(pending).rejects.toMatchObject({ code: 'HSM_WRONG_PIN' });
  });

  it('fails closed when the counter is edited, deleted, or its key is missing', async () => {
    await wrong(3);
    const original = readFileSync(counterPath(), 'utf8');
    writeFileSync(counterPath(), original.replace('"failures":3', '"failures":0'));
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
    writeFileSync(counterPath(), original);
    await expect(fx.open('wrong-pin')).rejects.toMatchObject({ code: 'HSM_WRONG_PIN' }); // restored: works
    rmSync(counterPath());
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
  });

  it('fails closed without the counter key', async () => {
    rmSync(join(fx.dir, COUNTER_KEY_FILE));
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
  });

  it('refuses a counter copied from another device', async () => {
    const other = await deviceFixture('SN-OTHER');
    try {
      writeFileSync(counterPath(), readFileSync(join(other.dir, COUNTER_FILE)));
      await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
    } finally {
      other.cleanup();
    }
  });

  it('refuses an empty PIN without counting it', async () => {
    await expect(fx.open('')).rejects.toMatchObject({ code: 'HSM_PIN_INVALID' });
    expect(failures()).toBe(0);
  });

  it('names missing and uninitialised directories', async () => {
    await expect(openEmulatedHsm({ dir: join(fx.base, 'nope'), pin: fx.pin })).rejects.toMatchObject({
      code: 'HSM_NOT_INITIALIZED',
      file: join(fx.base, 'nope'),
    });
    await expect(openEmulatedHsm({ dir: fx.vendorDir, pin: fx.pin })).rejects.toMatchObject({
      code: 'HSM_NOT_INITIALIZED',
    });
    const throughFile = join(fx.vendorDir, 'root.pem', 'device');
    await expect(openEmulatedHsm({ dir: throughFile, pin: fx.pin })).rejects.toMatchObject({
      code: 'HSM_NOT_INITIALIZED',
    });
  });

  it('never puts the PIN in an error', async () => {
    const secret = 'wrong-pin-9f3c2d';
    const e = (await fx.open(secret).catch((x: unknown) => x)) as Error;
    expect(`${e.message} ${JSON.stringify(e)} ${e.stack}`).not.toContain(secret);
  });
});
