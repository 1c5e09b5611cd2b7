/**
 * The emulated HSM through the Hsm interface: every algorithm, sign/verify, ECDH agreement on both
 * sides, label refusal that changes nothing, destroy, persistence, session rules.
 */
import { createECDH } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cryptoBackend, ed25519, p256, setCryptoBackend, x25519 } from '../../../../ceremony/crypto/index.js';
import type { Hsm } from '../../../../ceremony/hsm/types.js';
import { deviceFixture, readTree } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

let fx: DeviceFixture;
let hsm: Hsm;
beforeEach(async () => {
  fx = await deviceFixture();
  hsm = await fx.open();
});
afterEach(async () => {
  await hsm.close();
  fx.cleanup();
});

const msg = new TextEncoder().encode('fleet key set digest');

describe('emulated HSM: keys', () => {
  it('reports the enrolled device', async () => {
    expect(await hsm.info()).toEqual({
      backend: 'emulated',
      vendor: 'fleet-ceremony (EMULATED)',
      model: 'fleet-ceremony emulated HSM',
      serial: fx.serial,
      firmware: '1.0.0',
      label: `emulated-${fx.serial}`,
    });
    expect(hsm.backend).toBe('emulated');
    expect(await hsm.listKeys()).toEqual([]);
  });

  it.each([
    ['ed25519', 32, ['sign']],
    ['p256', 65, ['sign']],
    ['x25519', 32, ['derive']],
  ] as const)('generates %s keys with default usages', async (algorithm, length, usages) => {
    const k = await hsm.generateKey({ label: `k-${algorithm}`, algorithm });
    expect(k).toMatchObject({ label: `k-${algorithm}`, algorithm, usages });
    expect(k.publicKey.length).toBe(length);
    expect(await hsm.findKey(k.label)).toEqual(k);
    expect(await hsm.findKey('absent')).toBeUndefined();
  });

  it('signs with Ed25519 and P-256 so that the public key verifies, and only that message', async () => {
    for (const algorithm of ['ed25519', 'p256'] as const) {
      const k = await hsm.generateKey({ label: `s-${algorithm}`, algorithm });
      const sig = await hsm.sign(k.label, msg);
      expect(sig.length).toBe(64);
      const scheme = algorithm === 'ed25519' ? ed25519 : p256;
      expect(scheme.verify(k.publicKey, msg, sig)).toBe(true);
      expect(scheme.verify(k.publicKey, Uint8Array.of(...msg, 0), sig)).toBe(false);
    }
  });

  it('agrees on an X25519 shared secret with the peer', async () => {
    const k = await hsm.generateKey({ label: 'x', algorithm: 'x25519' });
    const peer = x25519.generateKeyPair();
    const ours = await hsm.deriveSharedSecret('x', peer.publicKey);
    expect(ours).toEqual(x25519.sharedSecret(peer.secretKey, k.publicKey));
    expect(ours.length).toBe(32);
  });

  it('agrees on a P-256 ECDH secret with an independent implementation (node:crypto)', async () => {
    const k = await hsm.generateKey({ label: 'e', algorithm: 'p256', usages: ['derive'] });
    const peer = createECDH('prime256v1');
    const peerPublic = new Uint8Array(peer.generateKeys());
    const ours = await hsm.deriveSharedSecret('e', peerPublic);
    expect(Buffer.from(ours)).toEqual(peer.computeSecret(Buffer.from(k.publicKey)));
    await expect(hsm.sign('e', msg)).rejects.toMatchObject({ code: 'HSM_USAGE_NOT_ALLOWED' });
  });

  it('refuses operations a key is not allowed, and invalid peer keys', async () => {
    await hsm.generateKey({ label: 'x', algorithm: 'x25519' });
    await hsm.generateKey({ label: 'ed', algorithm: 'ed25519' });
    await expect(hsm.sign('x', msg)).rejects.toMatchObject({ code: 'HSM_USAGE_NOT_ALLOWED' });
    await expect(hsm.deriveSharedSecret('ed', new Uint8Array(32))).rejects.toMatchObject({
      code: 'HSM_USAGE_NOT_ALLOWED',
    });
    await expect(hsm.deriveSharedSecret('x', new Uint8Array(31))).rejects.toMatchObject({
      code: 'HSM_PEER_KEY_INVALID',
    });
    await expect(hsm.deriveSharedSecret('x', new Uint8Array(32))).rejects.toMatchObject({
      code: 'HSM_PEER_KEY_INVALID',
    }); // all-zero: small order
  });

  it('refuses an existing label and changes nothing, not even a byte on disk', async () => {
    const first = await hsm.generateKey({ label: 'fleet', algorithm: 'ed25519' });
    const before = readTree(fx.dir);
    await expect(hsm.generateKey({ label: 'fleet', algorithm: 'p256' })).rejects.toMatchObject({
      name: 'UsageError',
      code: 'HSM_LABEL_EXISTS',
    });
    expect(readTree(fx.dir)).toEqual(before);
    expect(await hsm.listKeys()).toEqual([first]);
  });

  it('refuses invalid labels, algorithms and usages', async () => {
    const bad = [
      [{ label: '', algorithm: 'ed25519' }, 'HSM_LABEL_INVALID'],
      [{ label: 'has space', algorithm: 'ed25519' }, 'HSM_LABEL_INVALID'],
      [{ label: 'a'.repeat(65), algorithm: 'ed25519' }, 'HSM_LABEL_INVALID'],
      [{ label: 'ok', algorithm: 'rsa' }, 'HSM_ALGORITHM_UNSUPPORTED'],
      [{ label: 'ok', algorithm: 'ed25519', usages: ['derive'] }, 'HSM_USAGE_INVALID'],
      [{ label: 'ok', algorithm: 'x25519', usages: ['sign'] }, 'HSM_USAGE_INVALID'],
      [{ label: 'ok', algorithm: 'p256', usages: [] }, 'HSM_USAGE_INVALID'],
      [{ label: 'ok', algorithm: 'p256', usages: ['sign', 'sign'] }, 'HSM_USAGE_INVALID'],
    ] as const;
    for (const [options, code] of bad)
      await expect(hsm.generateKey(options as never), JSON.stringify(options)).rejects.toMatchObject({
        code,
      });
    expect(await hsm.listKeys()).toEqual([]);
  });

  it('a failed self-test destroys the new key: HSM_SELF_TEST_FAILED, nothing left behind', async () => {
    // A crypto backend whose Ed25519 verification always fails stands in for a faulty device.
    const real = cryptoBackend();
    setCryptoBackend({ ...real, ed25519: { ...real.ed25519, verify: () => false } });
    try {
      await expect(hsm.generateKey({ label: 'faulty', algorithm: 'ed25519' })).rejects.toMatchObject({
        name: 'VerificationError',
        code: 'HSM_SELF_TEST_FAILED',
      });
    } finally {
      setCryptoBackend(real);
    }
    expect(await hsm.listKeys()).toEqual([]);
    await hsm.close();
    hsm = await fx.open();
    expect(await hsm.findKey('faulty')).toBeUndefined();
  });

  it('destroys a key for good, and refuses unknown labels', async () => {
    await hsm.generateKey({ label: 'gone', algorithm: 'ed25519' });
    await hsm.generateKey({ label: 'kept', algorithm: 'p256' });
    await hsm.destroyKey('gone');
    await expect(hsm.sign('gone', msg)).rejects.toMatchObject({ code: 'HSM_KEY_NOT_FOUND' });
    await expect(hsm.destroyKey('gone')).rejects.toMatchObject({ code: 'HSM_KEY_NOT_FOUND' });
    await hsm.close();
    hsm = await fx.open();
    expect((await hsm.listKeys()).map((k) => k.label)).toEqual(['kept']);
  });

  it('keeps keys across sessions (same public key, still signs)', async () => {
    const k = await hsm.generateKey({ label: 'persist', algorithm: 'ed25519' });
    await hsm.close();
    hsm = await fx.open();
    expect(await hsm.findKey('persist')).toEqual(k);
    expect(ed25519.verify(k.publicKey, msg, await hsm.sign('persist', msg))).toBe(true);
  });
});

describe('emulated HSM: sessions', () => {
  it('admits one session at a time (HSM_BUSY), and a new one after close', async () => {
    await expect(fx.open()).rejects.toMatchObject({ code: 'HSM_BUSY' });
    await hsm.close();
    hsm = await fx.open();
    expect((await hsm.info()).serial).toBe(fx.serial);
  });

  it('close is idempotent and every method refuses afterwards', async () => {
    await hsm.close();
    await hsm.close();
    await expect(hsm.info()).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    await expect(hsm.listKeys()).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    await expect(hsm.sign('x', msg)).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    await expect(hsm.generateKey({ label: 'x', algorithm: 'ed25519' })).rejects.toMatchObject({
      code: 'HSM_CLOSED',
    });
  });

  it('returns the identity chain [device, vendor root] and never the same buffer twice', async () => {
    const chain = await hsm.identityChain();
    expect(chain).toHaveLength(2);
    expect(Buffer.from(chain[1]!)).toEqual(Buffer.from(fx.vendor.rootCertificate));
    chain[0]!.fill(0);
    expect((await hsm.identityChain())[0]![0]).toBe(0x30);
  });
});
