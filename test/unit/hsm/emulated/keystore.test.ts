/**
 * The encrypted keystore: authenticated header, fresh nonce per write, strict and bounded parsing,
 * production-strength default KDF, and device.json cross-checked against the encrypted record.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_KDF, enrollEmulatedDevice } from '../../../../ceremony/hsm/emulated/index.js';
import { checkKdf } from '../../../../ceremony/hsm/emulated/kdf.js';
import { KEYSTORE_FILE, parseKeystoreHeader } from '../../../../ceremony/hsm/emulated/keystore.js';
import { deviceFixture, TEST_KDF } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

let fx: DeviceFixture;
beforeEach(async () => {
  fx = await deviceFixture();
});
afterEach(() => fx.cleanup());

const ksPath = () => join(fx.dir, KEYSTORE_FILE);
const MAGIC = 8;
const LOG2N = MAGIC + 1;
const NONCE = MAGIC + 4 + 32;

function flip(offsetFromStart: number | ((len: number) => number)): void {
  const b = readFileSync(ksPath());
  const at = typeof offsetFromStart === 'number' ? offsetFromStart : offsetFromStart(b.length);
  b[at]! ^= 0x01;
  writeFileSync(ksPath(), b);
}

describe('emulated HSM: keystore format', () => {
  it('uses the production KDF by default (scrypt N=2^17, r=8, p=1)', async () => {
    expect(DEFAULT_KDF).toEqual({ log2N: 17, r: 8, p: 1 });
    const dir = join(fx.base, 'prod');
    await enrollEmulatedDevice({ vendorDir: fx.vendorDir, serial: 'SN-PROD', dir, pin: fx.pin });
    const { header } = parseKeystoreHeader(readFileSync(join(dir, KEYSTORE_FILE)));
    expect(header.kdf).toEqual({ log2N: 17, r: 8, p: 1 });
    expect(header.serial).toBe('SN-PROD');
    expect(header.salt).toHaveLength(32);
  });

  it('refuses a KDF option below N=2^10 or beyond the bounds', () => {
    expect(() => checkKdf({ ...TEST_KDF, log2N: 9 }, 'option')).toThrow(
      expect.objectContaining({ code: 'HSM_KDF_INVALID' }),
    );
    expect(() => checkKdf({ log2N: 22, r: 32, p: 1 }, 'option')).toThrow(
      expect.objectContaining({ code: 'HSM_KDF_INVALID' }),
    );
    expect(() => checkKdf({ ...TEST_KDF, p: 0 }, 'option')).toThrow(
      expect.objectContaining({ code: 'HSM_KDF_INVALID' }),
    );
    expect(checkKdf(TEST_KDF, 'option')).toEqual(TEST_KDF);
  });

  it('draws a fresh nonce for every write and keeps the salt', async () => {
    const h0 = parseKeystoreHeader(readFileSync(ksPath()));
    const hsm = await fx.open();
    await hsm.generateKey({ label: 'a', algorithm: 'ed25519' });
    const h1 = parseKeystoreHeader(readFileSync(ksPath()));
    await hsm.destroyKey('a');
    const h2 = parseKeystoreHeader(readFileSync(ksPath()));
    await hsm.close();
    expect(new Set([h0, h1, h2].map((h) => Buffer.from(h.nonce).toString('hex'))).size).toBe(3);
    expect(h1.header.salt).toEqual(h0.header.salt);
  });

  it.each([
    ['a ciphertext byte', (len: number) => len - 40],
    ['the tag', (len: number) => len - 1],
    ['the nonce (header)', NONCE],
    ['the KDF cost (header)', LOG2N],
  ])('a flipped bit in %s fails like a wrong PIN (and counts as one)', async (_what, at) => {
    flip(at);
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_WRONG_PIN' });
  });

  it('refuses malformed files with HSM_STATE_MALFORMED naming the file', async () => {
    flip(0);
    await expect(fx.open()).rejects.toMatchObject({
      name: 'MalformedError',
      code: 'HSM_STATE_MALFORMED',
      file: ksPath(),
    });
  });

  it('refuses a hostile KDF cost before running it', async () => {
    const b = readFileSync(ksPath());
    b[LOG2N] = 40;
    writeFileSync(ksPath(), b);
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_MALFORMED', field: 'kdf.log2N' });
  });

  it('refuses a truncated file', async () => {
    writeFileSync(ksPath(), readFileSync(ksPath()).subarray(0, 40));
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_MALFORMED' });
  });

  it('refuses to run when device.json disagrees with the encrypted record', async () => {
    const path = join(fx.dir, 'device.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"firmware": "1.0.0"', '"firmware": "9.9.9"'));
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
  });

  it('refuses a keystore from another device', async () => {
    const other = await deviceFixture('SN-OTHER');
    try {
      writeFileSync(ksPath(), readFileSync(join(other.dir, KEYSTORE_FILE)));
      await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_STATE_TAMPERED' });
    } finally {
      other.cleanup();
    }
  });
});
