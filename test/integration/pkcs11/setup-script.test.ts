/**
 * scripts/setup-softhsm.sh: creates a conf and tokens under a directory, takes PINs only from the
 * environment, prints nothing but the two `export` lines on stdout (never a PIN), and refuses to
 * overwrite an existing setup.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listPkcs11Tokens, openPkcs11Hsm } from '../../../ceremony/hsm/pkcs11/index.js';
import { randomPin, tokenBaseDir } from '../softhsm.js';

const run = promisify(execFile);
const script = resolve(import.meta.dirname, '../../../scripts/setup-softhsm.sh');
let dir: string;
const pins = { so: randomPin(), all: randomPin(), b: randomPin() };
const scriptEnv = {
  ...process.env,
  FLEET_SOFTHSM_SO_PIN: pins.so,
  FLEET_SOFTHSM_PIN: pins.all,
  FLEET_SOFTHSM_PIN_SETUP_B: pins.b,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tokenBaseDir(), 'fleet-setup-'));
});

afterAll(async () => {
  delete process.env['SOFTHSM2_CONF'];
  await rm(dir, { recursive: true, force: true });
});

it('initialises the tokens, prints only the exports, and the PINs work', async () => {
  const { stdout, stderr } = await run(script, [join(dir, 'hsm'), 'setup-a', 'setup-b'], { env: scriptEnv });
  for (const pin of Object.values(pins)) expect(stdout + stderr).not.toContain(pin);
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe(`export SOFTHSM2_CONF=${join(dir, 'hsm', 'softhsm2.conf')}`);
  const module = /^export FLEET_PKCS11_MODULE=(.+)$/.exec(lines[1] ?? '')?.[1] ?? '';
  expect(module).toMatch(/libsofthsm2\.so$/);

  process.env['SOFTHSM2_CONF'] = join(dir, 'hsm', 'softhsm2.conf');
  const tokens = await listPkcs11Tokens(module);
  expect(
    tokens
      .filter((t) => t.initialized)
      .map((t) => t.label)
      .sort(),
  ).toEqual(['setup-a', 'setup-b']);
  const a = await openPkcs11Hsm({ module, tokenLabel: 'setup-a', pin: pins.all });
  const b = await openPkcs11Hsm({ module, tokenLabel: 'setup-b', pin: pins.b });
  await Promise.all([a.close(), b.close()]);
  await expect(openPkcs11Hsm({ module, tokenLabel: 'setup-b', pin: pins.all })).rejects.toMatchObject({
    code: 'HSM_WRONG_PIN',
  });
});

it('refuses to overwrite an existing setup, and refuses to run without an SO PIN', async () => {
  const again = await run(script, [join(dir, 'hsm'), 'setup-c'], { env: scriptEnv }).catch((e: unknown) => e);
  expect(again).toMatchObject({ code: 2, stderr: expect.stringMatching(/refusing to overwrite/) as unknown });
  const { FLEET_SOFTHSM_SO_PIN: _so, ...noSo } = scriptEnv;
  const missing = await run(script, [join(dir, 'other'), 'x'], { env: noSo }).catch((e: unknown) => e);
  expect(missing).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/FLEET_SOFTHSM_SO_PIN/) as unknown,
  });
  const usage = await run(script, [join(dir, 'other')], { env: scriptEnv }).catch((e: unknown) => e);
  expect(usage).toMatchObject({ code: 2, stderr: expect.stringMatching(/usage/) as unknown });
});
