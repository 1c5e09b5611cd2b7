/**
 * Every refusal gives a clear, typed error and changes nothing: wrong PIN, missing token (by
 * label, by serial), missing or invalid module, an existing label (a key pair, a public data
 * object, a private data object), unsupported algorithms and usages, a failed self-test. "Nothing"
 * is checked on the token files themselves, hashed before and after.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../ceremony/errors.js';
import { listPkcs11Tokens, openPkcs11Hsm } from '../../../ceremony/hsm/pkcs11/index.js';
import { openPkcs11HsmWith } from '../../../ceremony/hsm/pkcs11/open.js';
import type { Hsm } from '../../../ceremony/hsm/types.js';
import { createDataObject, createSoftHsm, snapshotTokens } from '../softhsm.js';
import type { SoftHsmEnv, SoftHsmToken } from '../softhsm.js';

let env: SoftHsmEnv;
let token: SoftHsmToken;
let hsm: Hsm;

beforeAll(async () => {
  env = await createSoftHsm(['refusals-a', 'refusals-b']);
  token = env.tokens[0] as SoftHsmToken;
  createDataObject(env, token, 'public-data', false);
  createDataObject(env, token, 'private-data', true);
  hsm = await openPkcs11Hsm({ module: env.module, tokenLabel: token.label, pin: token.pin });
  await hsm.generateKey({ label: 'existing', algorithm: 'ed25519' });
});

afterAll(async () => {
  await hsm.close();
  await env.cleanup();
});

/** Runs `act`, expects a UsageError with `code` whose message matches `message`, and no change. */
async function refuses(
  act: () => Promise<unknown>,
  code: string,
  message: RegExp,
  objectsOnly = false,
): Promise<void> {
  const before = await snapshotTokens(env, { objectsOnly });
  const keysBefore = await hsm.listKeys();
  const error = await act().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
  expect(await snapshotTokens(env, { objectsOnly })).toEqual(before);
  expect(await hsm.listKeys()).toEqual(keysBefore);
}

describe('opening', () => {
  it('refuses a wrong PIN with HSM_WRONG_PIN naming CKR_PIN_INCORRECT and the token', async () => {
    const other = env.tokens[1] as SoftHsmToken;
    // token.object records the failed login (SoftHSM's PIN-retry flags): compare the objects.
    await refuses(
      () => openPkcs11Hsm({ module: env.module, tokenLabel: other.label, pin: `${other.pin}0` }),
      'HSM_WRONG_PIN',
      /CKR_PIN_INCORRECT.*token 'refusals-b'/,
      true,
    );
    const ok = await openPkcs11Hsm({ module: env.module, tokenLabel: other.label, pin: other.pin });
    await ok.close();
  });

  it('refuses a missing PIN before touching the module', async () => {
    await refuses(
      () => openPkcs11Hsm({ module: env.module, tokenLabel: token.label, pin: '' }),
      'HSM_PIN_MISSING',
      /PIN/,
    );
  });

  it('refuses a missing token by label and by serial, naming what was asked and what is there', async () => {
    await refuses(
      () => openPkcs11Hsm({ module: env.module, tokenLabel: 'no-such-token', pin: token.pin }),
      'PKCS11_TOKEN_NOT_FOUND',
      /label 'no-such-token'.*present: .*'refusals-a'/,
    );
    await refuses(
      () => openPkcs11Hsm({ module: env.module, tokenSerial: '0123456789abcdef', pin: token.pin }),
      'PKCS11_TOKEN_NOT_FOUND',
      /serial '0123456789abcdef'/,
    );
    const other = env.tokens[1] as SoftHsmToken;
    await refuses(
      () =>
        openPkcs11Hsm({
          module: env.module,
          tokenLabel: token.label,
          tokenSerial: other.serial,
          pin: token.pin,
        }),
      'PKCS11_TOKEN_NOT_FOUND',
      /label 'refusals-a' and serial/,
    );
    await refuses(
      () => openPkcs11Hsm({ module: env.module, pin: token.pin }),
      'PKCS11_TOKEN_NOT_SPECIFIED',
      /label or serial/,
    );
  });

  it('refuses a missing module and a file that is not a PKCS#11 module', async () => {
    const missing = join(env.dir, 'no-such-module.so');
    await refuses(
      () => openPkcs11Hsm({ module: missing, tokenLabel: token.label, pin: token.pin }),
      'PKCS11_MODULE_NOT_FOUND',
      /no-such-module\.so/,
    );
    await expect(listPkcs11Tokens(missing)).rejects.toMatchObject({ code: 'PKCS11_MODULE_NOT_FOUND' });
    const bogus = join(env.dir, 'bogus.so');
    await writeFile(bogus, 'not an ELF file');
    await refuses(
      () => openPkcs11Hsm({ module: bogus, tokenLabel: token.label, pin: token.pin }),
      'PKCS11_MODULE_INVALID',
      /bogus\.so/,
    );
  });

  it('refuses to open a token twice in one process', async () => {
    await refuses(
      () => openPkcs11Hsm({ module: env.module, tokenLabel: token.label, pin: token.pin }),
      'PKCS11_TOKEN_IN_USE',
      /already open/,
    );
  });
});

describe('generating', () => {
  it.each([
    ['a key pair', 'existing', 'p256'],
    ['a key pair (same algorithm)', 'existing', 'ed25519'],
    ['a public data object', 'public-data', 'ed25519'],
    ['a private data object', 'private-data', 'p256'],
  ] as const)('refuses a label held by %s with HSM_LABEL_EXISTS', async (_what, label, algorithm) => {
    await refuses(
      () => hsm.generateKey({ label, algorithm }),
      'HSM_LABEL_EXISTS',
      new RegExp(`labelled '${label}'`),
    );
  });

  it('refuses x25519 (SoftHSM2 cannot generate it) with PKCS11_MECHANISM_UNSUPPORTED', async () => {
    await refuses(
      () => hsm.generateKey({ label: 'x', algorithm: 'x25519' }),
      'PKCS11_MECHANISM_UNSUPPORTED',
      /x25519.*use p256 for ECDH/,
    );
  });

  it('refuses unsupported usages and bad labels', async () => {
    await refuses(
      () => hsm.generateKey({ label: 'ed-derive', algorithm: 'ed25519', usages: ['derive'] }),
      'HSM_USAGE_UNSUPPORTED',
      /ed25519 keys allow usages sign/,
    );
    await refuses(
      () => hsm.generateKey({ label: 'none', algorithm: 'p256', usages: [] }),
      'HSM_USAGE_UNSUPPORTED',
      /none/,
    );
    await refuses(() => hsm.generateKey({ label: '', algorithm: 'p256' }), 'HSM_LABEL_INVALID', /label/);
  });

  it('destroys a pair whose self-test fails and throws HSM_SELF_TEST_FAILED', async () => {
    const other = env.tokens[1] as SoftHsmToken;
    const faulty = await openPkcs11HsmWith(
      { module: env.module, tokenLabel: other.label, pin: other.pin },
      {
        selfTestChecks: {
          verifySignature: () => false,
          hostSharedSecret: () => new Uint8Array(32),
        },
      },
    );
    try {
      for (const [label, algorithm, usages] of [
        ['bad-sign', 'ed25519', ['sign']],
        ['bad-derive', 'p256', ['derive']],
      ] as const) {
        const before = await snapshotTokens(env, { objectsOnly: true });
        await expect(faulty.generateKey({ label, algorithm, usages: [...usages] })).rejects.toMatchObject({
          code: 'HSM_SELF_TEST_FAILED',
          message: expect.stringMatching(new RegExp(`'${label}'.*the pair was destroyed`)) as unknown,
        });
        expect(await snapshotTokens(env, { objectsOnly: true })).toEqual(before);
        expect(await faulty.findKey(label)).toBeUndefined();
      }
    } finally {
      await faulty.close();
    }
  });
});

describe('using keys', () => {
  it('refuses unknown keys and usages a key does not have', async () => {
    await hsm.generateKey({ label: 'derive-only', algorithm: 'p256', usages: ['derive'] });
    const peer = (await hsm.findKey('derive-only'))?.publicKey ?? new Uint8Array();
    await refuses(
      () => hsm.sign('missing', new Uint8Array(1)),
      'HSM_KEY_NOT_FOUND',
      /no key labelled 'missing'/,
    );
    await refuses(() => hsm.attestKey('missing', new Uint8Array(1)), 'HSM_KEY_NOT_FOUND', /'missing'/);
    await refuses(
      () => hsm.sign('derive-only', new Uint8Array(1)),
      'HSM_KEY_USAGE_NOT_PERMITTED',
      /not a sign key/,
    );
    await refuses(
      () => hsm.deriveSharedSecret('existing', peer),
      'HSM_KEY_USAGE_NOT_PERMITTED',
      /not a derive key/,
    );
    await refuses(() => hsm.attestKey('existing', new Uint8Array(1025)), 'HSM_CHALLENGE_INVALID', /1024/);
    const offCurve = peer.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    await expect(hsm.deriveSharedSecret('derive-only', offCurve)).rejects.toMatchObject({
      code: 'HSM_PEER_KEY_INVALID',
    });
    await expect(hsm.deriveSharedSecret('derive-only', peer.slice(1))).rejects.toMatchObject({
      code: 'HSM_PEER_KEY_INVALID',
    });
    await hsm.destroyKey('derive-only');
  });
});
