/**
 * The facade: native where available, portable elsewhere (a browser bundle is built with esbuild
 * and run in a context without `process`), backend switching, and the native self-test.
 */
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  cryptoBackend,
  ed25519,
  nativeBackend,
  p256,
  portable,
  randomBytes,
  setCryptoBackend,
  sha256,
  x25519,
} from '../../../ceremony/crypto/index.js';
import type { CryptoBackend } from '../../../ceremony/crypto/index.js';
import { createNativeBackend } from '../../../ceremony/crypto/native.js';
import type { NodeCryptoModule } from '../../../ceremony/crypto/native-keys.js';
import { selfTest } from '../../../ceremony/crypto/self-test.js';
import { throwsCode, toHex } from './helpers.js';

const nc = process.getBuiltinModule('node:crypto') as NodeCryptoModule;

describe('crypto facade', () => {
  it('uses the native backend under Node, and it is cached', () => {
    expect(cryptoBackend().name).toBe('native');
    expect(nativeBackend()).toBe(nativeBackend());
    expect(cryptoBackend()).toBe(nativeBackend());
  });

  it('setCryptoBackend switches every facade function and returns the previous backend', () => {
    const calls: string[] = [];
    const spy = new Proxy(portable, {
      get(target, prop: keyof CryptoBackend) {
        const v = target[prop];
        if (typeof v !== 'object') {
          calls.push(String(prop));
          return v;
        }
        return new Proxy(v, {
          get(t, p) {
            calls.push(`${String(prop)}.${String(p)}`);
            return (t as unknown as Record<string | symbol, unknown>)[p];
          },
        });
      },
    });
    const previous = setCryptoBackend(spy);
    try {
      expect(previous.name).toBe('native');
      const kp = ed25519.generateKeyPair();
      ed25519.verify(kp.publicKey, sha256(randomBytes(4)), ed25519.sign(kp.secretKey, Uint8Array.of(1)));
      const pk = p256.getPublicKey(p256.generateKeyPair().secretKey);
      p256.verifyDigest(
        pk,
        new Uint8Array(32),
        p256.signDigest(new Uint8Array(32).fill(1), new Uint8Array(32)),
      );
      p256.verify(pk, Uint8Array.of(1), p256.sign(new Uint8Array(32).fill(1), Uint8Array.of(1)));
      x25519.sharedSecret(
        x25519.generateKeyPair().secretKey,
        x25519.getPublicKey(new Uint8Array(32).fill(3)),
      );
      ed25519.getPublicKey(kp.secretKey);
    } finally {
      expect(setCryptoBackend(previous)).toBe(spy);
    }
    expect(new Set(calls)).toEqual(
      new Set([
        'sha256',
        'randomBytes',
        'ed25519.generateKeyPair',
        'ed25519.getPublicKey',
        'ed25519.sign',
        'ed25519.verify',
        'p256.generateKeyPair',
        'p256.getPublicKey',
        'p256.sign',
        'p256.verify',
        'p256.signDigest',
        'p256.verifyDigest',
        'x25519.generateKeyPair',
        'x25519.getPublicKey',
        'x25519.sharedSecret',
      ]),
    );
    expect(cryptoBackend().name).toBe('native');
  });

  it('the self-test passes on both backends and catches a native crypto that signs wrongly', () => {
    selfTest(portable);
    selfTest(createNativeBackend(nc));
    const broken = { ...nc, sign: () => new Uint8Array(64) } as unknown as NodeCryptoModule;
    throwsCode(() => selfTest(createNativeBackend(broken)), 'CRYPTO_SELF_TEST_FAILED');
  });

  it('bundles for the browser without node: built-ins and runs there on the portable backend', async () => {
    const entry = fileURLToPath(new URL('../../../ceremony/crypto/index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      globalName: 'fleetCrypto',
      logLevel: 'silent',
      metafile: true,
    });
    expect(Object.keys(result.metafile.inputs).filter((i) => i.startsWith('node:'))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\brequire\(|\bimport\(/);
    // A browser-like global: Web Crypto and TextEncoder, no process, no Buffer.
    const sandbox: Record<string, unknown> = { crypto: globalThis.crypto, TextEncoder, TextDecoder };
    runInNewContext(
      `${code}\nthis.out = (() => {
      const c = fleetCrypto;
      const kp = c.ed25519.generateKeyPair();
      const msg = new TextEncoder().encode('hello');
      return { name: c.cryptoBackend().name, native: c.nativeBackend(), pk: kp.publicKey, sig: c.ed25519.sign(kp.secretKey, msg) };
    })();`,
      sandbox,
    );
    const out = sandbox['out'] as { name: string; native: unknown; pk: Uint8Array; sig: Uint8Array };
    expect(out.name).toBe('portable');
    expect(out.native).toBeUndefined();
    expect(
      portable.ed25519.verify(
        new Uint8Array(out.pk),
        new TextEncoder().encode('hello'),
        new Uint8Array(out.sig),
      ),
    ).toBe(true);
    expect(toHex(out.pk)).toHaveLength(64);
  });
});
