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
import { hex, throwsCode, toHex } from './helpers.js';

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
      p256.sharedSecret(new Uint8Array(32).fill(1), pk);
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
        'p256.sharedSecret',
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

  it('the self-test checks P-256 ECDH: a wrong shared secret, or a peer off the curve accepted', () => {
    // An ECDH whose result is off by one bit: the NIST CAVS known answer catches it.
    const wrongSecret = {
      ...nc,
      createECDH: (curve: string) => {
        const ecdh = nc.createECDH(curve);
        return Object.assign(ecdh, {
          computeSecret: (peer: Uint8Array) => {
            const z = nc.createECDH(curve);
            z.setPrivateKey(ecdh.getPrivateKey());
            const out = z.computeSecret(peer);
            out[0] = out[0]! ^ 1;
            return out;
          },
        });
      },
    } as unknown as NodeCryptoModule;
    const e = throwsCode(() => selfTest(createNativeBackend(wrongSecret)), 'CRYPTO_SELF_TEST_FAILED');
    expect(e.message).toContain('p256 ecdh shared secret');
    // An ECDH that multiplies any point it is given (no curve check): the invalid-curve refusal catches it.
    const noCurveCheck = {
      ...nc,
      createECDH: (curve: string) => {
        const ecdh = nc.createECDH(curve);
        const real = ecdh.computeSecret.bind(ecdh) as (peer: Uint8Array) => Buffer;
        return Object.assign(ecdh, {
          computeSecret: (peer: Uint8Array) => {
            try {
              return real(peer);
            } catch {
              return Buffer.alloc(32, 7);
            }
          },
        });
      },
    } as unknown as NodeCryptoModule;
    const f = throwsCode(() => selfTest(createNativeBackend(noCurveCheck)), 'CRYPTO_SELF_TEST_FAILED');
    expect(f.message).toContain('p256 ecdh with a peer off the curve');
  });

  it('p256.sharedSecret through the facade: the NIST CAVS answer, symmetric, and the same on both backends', () => {
    // NIST CAVS 14.1 ECC CDH, P-256, COUNT = 0 (the vector of ./p256-ecdh.test.ts).
    const dIut = hex('7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534');
    const qCavs = hex(
      '04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287' +
        'db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac',
    );
    expect(toHex(p256.sharedSecret(dIut, qCavs))).toBe(
      '46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b',
    );
    const a = p256.generateKeyPair();
    const b = p256.generateKeyPair();
    const ab = p256.sharedSecret(a.secretKey, b.publicKey);
    expect(ab).toHaveLength(32);
    expect(toHex(p256.sharedSecret(b.secretKey, a.publicKey))).toBe(toHex(ab));
    expect(toHex(portable.p256.sharedSecret(a.secretKey, b.publicKey))).toBe(toHex(ab));
    throwsCode(
      () => p256.sharedSecret(a.secretKey, new Uint8Array(65).fill(4, 0, 1)),
      'CRYPTO_BAD_PUBLIC_KEY',
    );
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
