/**
 * Crash safety: a process killed (SIGKILL) at a random moment while it generates and destroys keys
 * leaves a device that opens with its PIN (the stale lock is recovered), whose every key is whole
 * and works, and whose state directory holds no stray temporary file after the next login.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, p256, x25519 } from '../../../../ceremony/crypto/index.js';
import { deviceFixture } from './fixture.js';
import type { DeviceFixture } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');

function runAndKill(fx: DeviceFixture, prefix: string, delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), fx.dir, prefix], {
      cwd: repo,
      env: { ...process.env, FLEET_HSM_PIN: fx.pin },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`child exited: ${err}`)),
    );
  });
}

let fx: DeviceFixture;
beforeAll(async () => {
  fx = await deviceFixture();
});
afterAll(() => fx.cleanup());

describe('emulated HSM: crash safety', () => {
  it.each([1, 2, 3])('survives SIGKILL mid-write (round %i)', async (round) => {
    await runAndKill(fx, `r${round}-`, 40 + Math.floor(Math.random() * 200));
    const hsm = await fx.open();
    try {
      expect(readdirSync(fx.dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
      const keys = await hsm.listKeys();
      expect(keys.length).toBeGreaterThan(0);
      const msg = Uint8Array.of(1, 2, 3);
      for (const k of keys) {
        if (k.algorithm === 'ed25519')
          expect(ed25519.verify(k.publicKey, msg, await hsm.sign(k.label, msg))).toBe(true);
        if (k.algorithm === 'p256')
          expect(p256.verify(k.publicKey, msg, await hsm.sign(k.label, msg))).toBe(true);
        if (k.algorithm === 'x25519') {
          const peer = x25519.generateKeyPair();
          expect(await hsm.deriveSharedSecret(k.label, peer.publicKey)).toEqual(
            x25519.sharedSecret(peer.secretKey, k.publicKey),
          );
        }
      }
    } finally {
      await hsm.close();
    }
  });
});
