/**
 * Calls from concurrent promises, on two tokens of one module, are serialised: all succeed and
 * give correct results. The module is loaded once, shared, and finalised when the last user
 * closes; close() is idempotent; calls after close fail with HSM_CLOSED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkcs11AttributesFormat } from '../../../ceremony/attest/pkcs11-attributes/index.js';
import { ed25519, p256, randomBytes } from '../../../ceremony/crypto/index.js';
import { listPkcs11Tokens, openPkcs11Hsm } from '../../../ceremony/hsm/pkcs11/index.js';
import { loadedModuleCount } from '../../../ceremony/hsm/pkcs11/module.js';
import { SerialQueue } from '../../../ceremony/hsm/pkcs11/serial-queue.js';
import type { Hsm } from '../../../ceremony/hsm/types.js';
import { createSoftHsm } from '../softhsm.js';
import type { SoftHsmEnv, SoftHsmToken } from '../softhsm.js';

let env: SoftHsmEnv;
let a: SoftHsmToken;
let b: SoftHsmToken;

beforeAll(async () => {
  env = await createSoftHsm(['conc-a', 'conc-b']);
  [a, b] = env.tokens as [SoftHsmToken, SoftHsmToken];
});

afterAll(async () => {
  await env.cleanup();
});

const open = (t: SoftHsmToken): Promise<Hsm> =>
  openPkcs11Hsm({ module: env.module, tokenLabel: t.label, pin: t.pin });

describe('SerialQueue', () => {
  it('runs tasks one at a time in order; a failing task does not stop later ones', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 2));
        log.push(`end ${name}`);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([q.run(task('1')), q.run(task('2', true)), q.run(task('3'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(q.size).toBe(0);
  });
});

describe('two tokens of one module, used concurrently', () => {
  it('serialises interleaved keygen, sign, derive, list and attest calls; every result is right', async () => {
    const [ha, hb] = await Promise.all([open(a), open(b)]);
    expect(loadedModuleCount()).toBe(1);
    try {
      const gens = await Promise.all(
        [ha, hb].flatMap((h, i) => [
          h.generateKey({ label: `ed-${i}`, algorithm: 'ed25519' }),
          h.generateKey({ label: `ec-${i}`, algorithm: 'p256' }),
          h.generateKey({ label: `dh-${i}`, algorithm: 'p256', usages: ['derive'] }),
        ]),
      );
      expect(gens.map((k) => k.label)).toEqual(['ed-0', 'ec-0', 'dh-0', 'ed-1', 'ec-1', 'dh-1']);
      const messages = Array.from({ length: 24 }, () => randomBytes(48));
      const ops = messages.flatMap((m, j) => {
        const i = j % 2;
        const h = i === 0 ? ha : hb;
        const alg = j % 4 < 2 ? 'ed' : 'ec';
        return [
          h.sign(`${alg}-${i}`, m).then((sig) => ({ kind: 'sign' as const, i, alg, m, sig })),
          h.listKeys().then((keys) => ({ kind: 'list' as const, i, n: keys.length })),
          h.attestKey(`${alg}-${i}`, m).then((ev) => ({ kind: 'attest' as const, i, ev, m })),
          h
            .deriveSharedSecret(`dh-${i}`, (gens[i * 3 + 1] as { publicKey: Uint8Array }).publicKey)
            .then((s) => ({
              kind: 'derive' as const,
              i,
              n: s.length,
            })),
        ];
      });
      const results = await Promise.all(ops);
      for (const r of results) {
        if (r.kind === 'sign') {
          const pk = gens.find((k) => k.label === `${r.alg}-${r.i}`)?.publicKey ?? new Uint8Array();
          const ok = r.alg === 'ed' ? ed25519.verify(pk, r.m, r.sig) : p256.verify(pk, r.m, r.sig);
          expect(ok).toBe(true);
        } else if (r.kind === 'attest') {
          const v = await pkcs11AttributesFormat.verify(r.ev, {
            trustedRoots: [],
            now: new Date(),
            expectedChallenge: r.m,
          });
          expect(v.failures).toEqual([]);
        } else if (r.kind === 'list') {
          expect(r.n).toBe(3);
        } else {
          expect(r.n).toBe(32);
        }
      }
    } finally {
      await Promise.all([ha.close(), hb.close()]);
    }
    expect(loadedModuleCount()).toBe(0);
  });

  it('lets calls queued before close() finish, refuses later ones, and is idempotent', async () => {
    const h = await open(a);
    const queued = h.sign('ed-0', new Uint8Array([1, 2, 3]));
    const closing = h.close();
    await expect(h.sign('ed-0', new Uint8Array([1]))).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    expect((await queued).length).toBe(64);
    await closing;
    await h.close();
    await expect(h.listKeys()).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    await expect(h.info()).rejects.toMatchObject({ code: 'HSM_CLOSED' });
    expect(loadedModuleCount()).toBe(0);
  });

  it('shares the module with listPkcs11Tokens and re-initialises it after the last close', async () => {
    const h = await open(b);
    expect((await listPkcs11Tokens(env.module)).map((t) => t.label)).toContain('conc-b');
    expect(loadedModuleCount()).toBe(1);
    expect((await h.listKeys()).length).toBe(3);
    await h.close();
    expect(loadedModuleCount()).toBe(0);
    const again = await open(b);
    expect((await again.listKeys()).map((k) => k.label)).toEqual(['dh-1', 'ec-1', 'ed-1']);
    await again.close();
    await again.close();
    expect(loadedModuleCount()).toBe(0);
  });
});
