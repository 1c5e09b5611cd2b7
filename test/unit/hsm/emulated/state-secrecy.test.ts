/**
 * No private key in the clear in any file of the state directory, and zeroisation removes every
 * key. The private keys are obtained the honest way — by decrypting the state with the module's
 * own decrypt function and the PIN — then every file is scanned for them raw, hex and base64.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ed25519, p256, x25519 } from '../../../../ceremony/crypto/index.js';
import { zeroizeEmulatedDevice } from '../../../../ceremony/hsm/emulated/index.js';
import type { EmulatedHsm } from '../../../../ceremony/hsm/emulated/index.js';
import { decryptKeystoreFile } from '../../../../ceremony/hsm/emulated/keystore.js';
import { deviceFixture, filesContaining, readTree } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

let fx: DeviceFixture;
beforeEach(async () => {
  fx = await deviceFixture();
});
afterEach(() => fx.cleanup());

async function populate(hsm: EmulatedHsm): Promise<void> {
  await hsm.generateKey({ label: 'sig-ed', algorithm: 'ed25519' });
  await hsm.generateKey({ label: 'sig-p256', algorithm: 'p256' });
  await hsm.generateKey({ label: 'dh-p256', algorithm: 'p256', usages: ['sign', 'derive'] });
  await hsm.generateKey({ label: 'dh-x', algorithm: 'x25519' });
  await hsm.attestKey('sig-ed', new Uint8Array(32).fill(1));
}

/** Every private key of the device, checked against its public key (so they are the real ones). */
async function privateKeys(): Promise<Uint8Array[]> {
  const state = await decryptKeystoreFile(fx.dir, fx.pin);
  if (state === undefined) throw new Error('decrypt failed');
  const derive = { ed25519: ed25519.getPublicKey, p256: p256.getPublicKey, x25519: x25519.getPublicKey };
  for (const k of state.keys) expect(derive[k.algorithm](k.secretKey)).toEqual(k.publicKey);
  expect(p256.getPublicKey(state.attestationKey.secretKey)).toEqual(state.attestationKey.publicKey);
  return [state.attestationKey.secretKey, ...state.keys.map((k) => k.secretKey)];
}

describe('emulated HSM: state at rest', () => {
  it('holds no private key in the clear in any state file (raw, hex, base64)', async () => {
    const hsm = await fx.open();
    await populate(hsm);
    await hsm.close();
    const secrets = await privateKeys();
    expect(secrets).toHaveLength(5);
    const files = readTree(fx.dir);
    expect([...files.keys()].map((p) => p.slice(fx.dir.length + 1)).sort()).toEqual([
      'counter.key',
      'device.json',
      'keystore.bin',
      'pin-counter.json',
    ]);
    expect(filesContaining(files, secrets)).toEqual([]);
    expect(filesContaining(files, [new TextEncoder().encode(fx.pin)])).toEqual([]);

    // The scan can fail: plant one key, hex-encoded, in a copy of the tree.
    const planted = new Map(files).set('planted', Buffer.from(Buffer.from(secrets[3]!).toString('hex')));
    expect(filesContaining(planted, secrets)).toEqual(['planted']);
  });

  it('a wrong PIN decrypts nothing', async () => {
    expect(await decryptKeystoreFile(fx.dir, 'not-the-pin')).toBeUndefined();
  });
});

describe('emulated HSM: zeroisation', () => {
  it('removes every key and the device secrets; the device then refuses use', async () => {
    const hsm = await fx.open();
    await populate(hsm);
    const secrets = await privateKeys();
    const counterKey = readFileSync(join(fx.dir, 'counter.key'));
    await hsm.zeroize();
    await expect(hsm.listKeys()).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    expect(readdirSync(fx.dir)).toEqual(['device.json']);
    const files = readTree(fx.dir);
    expect(filesContaining(files, [...secrets, counterKey])).toEqual([]);
    const desc = JSON.parse(readFileSync(join(fx.dir, 'device.json'), 'utf8')) as {
      state: string;
      chain: unknown[];
    };
    expect(desc).toMatchObject({ state: 'zeroized', chain: [] });
    await expect(fx.open()).rejects.toMatchObject({ name: 'UsageError', code: 'HSM_ZEROIZED' });
    await expect(decryptKeystoreFile(fx.dir, fx.pin)).rejects.toMatchObject({ code: 'HSM_NOT_INITIALIZED' });
  });

  it('works without the PIN (reset button), even on a locked device, and is idempotent', async () => {
    for (let i = 0; i < 10; i++) await fx.open('wrong-pin').catch(() => undefined);
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_LOCKED' });
    zeroizeEmulatedDevice(fx.dir);
    zeroizeEmulatedDevice(fx.dir);
    expect(readdirSync(fx.dir)).toEqual(['device.json']);
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_ZEROIZED' });
  });

  it('refuses while another session has the device, and outside a device directory', async () => {
    const hsm = await fx.open();
    expect(() => zeroizeEmulatedDevice(fx.dir)).toThrow(expect.objectContaining({ code: 'HSM_BUSY' }));
    await hsm.close();
    expect(() => zeroizeEmulatedDevice(fx.vendorDir)).toThrow(
      expect.objectContaining({ code: 'HSM_NOT_INITIALIZED' }),
    );
  });

  it('a device.json edited back to "ready" after zeroisation still opens nothing', async () => {
    zeroizeEmulatedDevice(fx.dir);
    const path = join(fx.dir, 'device.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"zeroized"', '"ready"'));
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
  });
});
