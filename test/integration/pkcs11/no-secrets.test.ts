/**
 * No PIN and no private key in any output, log or error: every write to stdout/stderr and every
 * console call during a full session (successes and failures) is captured, and every error is
 * rendered in every way a caller might print it; none contains a user or SO PIN of this run.
 * Private keys cannot be searched for by value (they never leave the token): the test shows the
 * token refuses to reveal them, and that no handle keeps the PIN.
 */
import { inspect } from 'node:util';
import pkcs11js from 'pkcs11js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isCeremonyError } from '../../../ceremony/errors.js';
import { listPkcs11Tokens, openPkcs11Hsm } from '../../../ceremony/hsm/pkcs11/index.js';
import { createSoftHsm } from '../softhsm.js';
import type { SoftHsmEnv, SoftHsmToken } from '../softhsm.js';

let env: SoftHsmEnv;
let token: SoftHsmToken;
const captured: string[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  env = await createSoftHsm(['secrets-a']);
  token = env.tokens[0] as SoftHsmToken;
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const name of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[name];
    console[name] = (...args: unknown[]) => {
      captured.push(args.map((a) => inspect(a, { depth: 8 })).join(' '));
      original(...args);
    };
    restore.push(() => {
      console[name] = original;
    });
  }
});

afterAll(async () => {
  for (const r of restore) r();
  await env.cleanup();
});

/** Every way an error might be shown: message, stack, describe(), inspect, JSON, cause chain. */
function render(e: unknown): string {
  const parts = [inspect(e, { depth: 8, showHidden: true }), JSON.stringify(e), String(e)];
  if (e instanceof Error) parts.push(e.message, e.stack ?? '', inspect(e.cause, { depth: 8 }));
  if (isCeremonyError(e)) parts.push(e.describe());
  return parts.join('\n');
}

it('never shows a PIN in errors, output or handles, and the token never reveals a private key', async () => {
  const rendered: string[] = [];
  const attempt = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      rendered.push(inspect(await f(), { depth: 8 }));
    } catch (e) {
      rendered.push(render(e));
    }
  };
  const wrongPins = [`${token.pin}x`, token.soPin, 'x'.repeat(300)];
  for (const pin of wrongPins)
    await attempt(() => openPkcs11Hsm({ module: env.module, tokenLabel: token.label, pin }));
  await attempt(() => openPkcs11Hsm({ module: env.module, tokenLabel: 'absent', pin: token.pin }));
  await attempt(() =>
    openPkcs11Hsm({ module: `${env.dir}/absent.so`, tokenLabel: token.label, pin: token.pin }),
  );
  await attempt(() => listPkcs11Tokens(env.module));

  const hsm = await openPkcs11Hsm({ module: env.module, tokenLabel: token.label, pin: token.pin });
  rendered.push(inspect(hsm, { depth: 12, showHidden: true }));
  await attempt(() => openPkcs11Hsm({ module: env.module, tokenLabel: token.label, pin: token.pin }));
  await attempt(() => hsm.generateKey({ label: 'k', algorithm: 'ed25519' }));
  await attempt(() => hsm.generateKey({ label: 'k', algorithm: 'ed25519' }));
  await attempt(() => hsm.generateKey({ label: 'x', algorithm: 'x25519' }));
  await attempt(() => hsm.generateKey({ label: 'dh', algorithm: 'p256', usages: ['derive'] }));
  await attempt(() => hsm.sign('k', new Uint8Array(8)));
  await attempt(() => hsm.sign('dh', new Uint8Array(8)));
  await attempt(() => hsm.attestKey('k', new Uint8Array(8)));
  await attempt(() => hsm.listKeys());
  await attempt(() => hsm.info());
  await attempt(() => hsm.deriveSharedSecret('dh', new Uint8Array(65)));

  // The private key value is not readable: CKA_VALUE of every private key is sensitive.
  const p = new pkcs11js.PKCS11();
  p.load(env.module);
  try {
    p.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    expect.unreachable('the module is already initialised by the open handle');
  } catch (e) {
    expect((e as Error).message).toBe('CKR_CRYPTOKI_ALREADY_INITIALIZED');
  }
  const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trimEnd() === token.label);
  if (slot === undefined) throw new Error('token not found');
  const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  p.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }]);
  const privates = p.C_FindObjects(session, 10);
  p.C_FindObjectsFinal(session);
  expect(privates).toHaveLength(2);
  for (const key of privates) {
    expect(() => p.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }])).toThrow(
      'CKR_ATTRIBUTE_SENSITIVE',
    );
  }
  p.C_CloseSession(session);

  await hsm.close();
  await attempt(() => hsm.sign('k', new Uint8Array(1)));

  const haystack = [...rendered, ...captured].join('\n');
  expect(rendered.length).toBeGreaterThan(15);
  expect(haystack).toContain('CKR_PIN_INCORRECT');
  for (const secret of [token.pin, token.soPin, ...wrongPins]) {
    expect(haystack.includes(secret), 'a PIN appears in output or an error').toBe(false);
  }
});
