/**
 * Every `fleet-ceremony hsm` command through the real CLI (node --import tsx ceremony/cli/main.ts):
 * --help, --json output shapes, exit codes (success, wrong PIN, missing device, existing label,
 * existing --out file), the masked prompt on a real pseudo-terminal, the PKCS#11 path on SoftHSM2,
 * and a scan that no PIN or private key appears in any stdout, stderr or file written outside the
 * encrypted state.
 */
import { spawn } from 'node:child_process';
import { randomBytes, createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../ceremony/codec/index.js';
import { enrollEmulatedDevice } from '../../ceremony/hsm/emulated/index.js';
import { decryptKeystoreFile } from '../../ceremony/hsm/emulated/keystore.js';
import { filesContaining, readTree, tempBase } from '../unit/hsm/emulated/fixture.js';
import { createSoftHsm } from './softhsm.js';
import type { SoftHsmEnv } from './softhsm.js';
import { cliArgv, runCli } from '../support/cli.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** Everything any CLI run printed, for the final leak scan. */
const transcript: string[] = [];

async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<Run> {
  const r = await runCli(args, {
    env: { FLEET_HSM_PIN: undefined, ...env },
    ...(input === undefined ? {} : { input }),
  });
  transcript.push(r.stdout, r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the CLI on a real pseudo-terminal (util-linux script(1)); types `answer` + Enter once
 * `prompt` has appeared. Returns the exit code and everything the terminal showed.
 */
function onTerminal(
  args: string[],
  prompt: string,
  answer: string,
): Promise<{ code: number | null; text: string }> {
  if (!existsSync('/usr/bin/script'))
    throw new Error('util-linux script(1) is needed for the terminal tests');
  const command = [process.execPath, ...cliArgv(), ...args].join(' ');
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: repo,
      env: { ...process.env, FLEET_HSM_PIN: undefined },
    });
    let text = '';
    let typed = false;
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (!typed && text.includes(prompt)) {
        typed = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on('error', fail);
    child.on('close', (code) => {
      transcript.push(text);
      done({ code, text });
    });
  });
}

/** `cli` with --json: exit 0 and stdout is exactly one JSON document. */
async function cliJson(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const r = await cli([...args, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.startsWith('{') && r.stdout.endsWith('}\n')).toBe(true);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

let base: string;
let vendor: string;
let dev: string;
const pin = `cli-pin-${randomBytes(8).toString('hex')}`;
const PIN = { FLEET_HSM_PIN: pin };
const HEX = /^[0-9a-f]+$/;

beforeAll(async () => {
  base = tempBase('fc-hsm-cli-');
  vendor = join(base, 'vendor');
  dev = join(base, 'dev');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('fleet-ceremony hsm (CLI)', () => {
  it('every command has --help (exit 0, usage on stdout)', async () => {
    const subs = ['vendor-init', 'init-emulated', 'list', 'info', 'keygen', 'attest', 'zeroize'];
    const runs = await Promise.all([cli(['hsm', '--help']), ...subs.map((s) => cli(['hsm', s, '--help']))]);
    expect(runs[0]!.stdout).toContain('fleet-ceremony hsm vendor-init');
    runs.slice(1).forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`fleet-ceremony hsm ${subs[i]}`);
      expect(r.stdout).toContain('--json');
    });
  });

  it('vendor-init: JSON shape; an existing directory is refused (exit 2)', async () => {
    const out = await cliJson(['hsm', 'vendor-init', vendor]);
    expect(out).toEqual({
      dir: vendor,
      name: 'fleet-ceremony',
      rootCertificate: join(vendor, 'root.pem'),
      rootSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      emulated: true,
    });
    const again = await cli(['hsm', 'vendor-init', vendor]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[HSM_OUTPUT_EXISTS]');
  });

  it('init-emulated: needs a PIN (exit 2 naming the variable), then enrols (JSON shape)', async () => {
    const noPin = await cli(['hsm', 'init-emulated', '--vendor', vendor, '--serial', 'CLI-1', '--dir', dev]);
    expect(noPin.code).toBe(2);
    expect(noPin.stderr).toMatch(/FLEET_HSM_PIN.*\[HSM_PIN_REQUIRED\]/);
    expect(existsSync(dev)).toBe(false);
    const args = [
      'hsm',
      'init-emulated',
      '--vendor',
      vendor,
      '--serial',
      'CLI-1',
      '--dir',
      dev,
      '--scrypt-log2n',
      '10',
    ];
    const out = await cliJson(args, PIN);
    expect(out).toEqual({
      dir: dev,
      backend: 'emulated',
      vendor: 'fleet-ceremony (EMULATED)',
      model: 'fleet-ceremony emulated HSM',
      serial: 'CLI-1',
      firmware: '1.0.0',
      label: 'emulated-CLI-1',
      deviceCertificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      vendorRootSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await cli(args, PIN)).code).toBe(2);
  });

  it('keygen: each algorithm (JSON shape); an existing label is refused (exit 2)', async () => {
    const runs = await Promise.all(
      (['ed25519', 'p256', 'x25519'] as const).map((alg) =>
        cli(['hsm', 'keygen', '--dir', dev, '--label', `k-${alg}`, '--alg', alg, '--json'], PIN),
      ),
    );
    // One process at a time: concurrent runs may meet HSM_BUSY; retry those one by one.
    for (const [i, alg] of (['ed25519', 'p256', 'x25519'] as const).entries()) {
      let r = runs[i]!;
      if (r.code === 2 && r.stderr.includes('HSM_BUSY'))
        r = await cli(['hsm', 'keygen', '--dir', dev, '--label', `k-${alg}`, '--alg', alg, '--json'], PIN);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out).toEqual({
        label: `k-${alg}`,
        algorithm: alg,
        usages: [alg === 'x25519' ? 'derive' : 'sign'],
        publicKey: expect.stringMatching(HEX),
        selfTest: 'passed',
      });
    }
    const dup = await cli(['hsm', 'keygen', '--dir', dev, '--label', 'k-p256', '--alg', 'ed25519'], PIN);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('[HSM_LABEL_EXISTS]');
    const both = await cliJson(
      ['hsm', 'keygen', '--dir', dev, '--label', 'dh', '--alg', 'p256', '--usage', 'sign', 'derive'],
      PIN,
    );
    expect(both['usages']).toEqual(['sign', 'derive']);
  });

  it('info: device, keys and identity chain (JSON shape)', async () => {
    const out = await cliJson(['hsm', 'info', '--dir', dev], PIN);
    expect(out['device']).toMatchObject({ backend: 'emulated', serial: 'CLI-1' });
    const keys = out['keys'] as { label: string; algorithm: string; usages: string[]; publicKey: string }[];
    expect(keys.map((k) => k.label).sort()).toEqual(['dh', 'k-ed25519', 'k-p256', 'k-x25519']);
    for (const k of keys) expect(k.publicKey).toMatch(HEX);
    expect(out['identityChain']).toEqual([
      { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it('attest: --out is created once (PEM: key, device, root) and never overwritten', async () => {
    const out = join(base, 'att.pem');
    const first = await cli(
      ['hsm', 'attest', '--dir', dev, '--label', 'k-ed25519', '--challenge', '00ff10', '--out', out],
      PIN,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    const written = readFileSync(out, 'utf8');
    expect(pemDecodeAll(written, 'CERTIFICATE')).toHaveLength(3);
    const second = await cli(
      ['hsm', 'attest', '--dir', dev, '--label', 'k-p256', '--challenge', '01', '--out', out],
      PIN,
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('[HSM_OUTPUT_EXISTS]');
    expect(readFileSync(out, 'utf8')).toBe(written);
  });

  it('attest: --json shape, and PEM on stdout without --out', async () => {
    const j = await cliJson(
      ['hsm', 'attest', '--dir', dev, '--label', 'k-x25519', '--challenge', 'abcd'],
      PIN,
    );
    expect(j).toEqual({
      label: 'k-x25519',
      format: 'emulated-x509/v1',
      challenge: 'abcd',
      statementSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      pem: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/),
    });
    const plain = await cli(
      ['hsm', 'attest', '--dir', dev, '--label', 'k-x25519', '--challenge', 'abcd'],
      PIN,
    );
    expect(plain.code).toBe(0);
    expect(pemDecodeAll(plain.stdout, 'CERTIFICATE')).toHaveLength(3);
    const badHex = await cli(
      ['hsm', 'attest', '--dir', dev, '--label', 'k-x25519', '--challenge', 'xyz'],
      PIN,
    );
    expect(badHex.code).toBe(2);
  });

  it('exit 2 with a clear code: wrong PIN, missing device, unknown key, no device named', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['hsm', 'info', '--dir', dev], { FLEET_HSM_PIN: 'not-the-pin' }, 'HSM_WRONG_PIN'],
      [['hsm', 'info', '--dir', join(base, 'missing')], PIN, 'HSM_NOT_INITIALIZED'],
      [['hsm', 'attest', '--dir', dev, '--label', 'nope', '--challenge', '01'], PIN, 'HSM_KEY_NOT_FOUND'],
      [['hsm', 'info'], PIN, 'HSM_DEVICE_REQUIRED'],
      [['hsm', 'info', '--dir', dev, '--pin-env', 'OTHER_PIN_VAR'], PIN, 'HSM_PIN_REQUIRED'],
    ];
    for (const [args, env, code] of cases) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`[${code}]`);
      expect(r.stdout).toBe('');
    }
    const wrongLeft = await cliJson(['hsm', 'info', '--dir', dev], PIN); // the right PIN resets the count
    expect(wrongLeft['device']).toBeDefined();
  });

  it('prompts for the PIN on a real terminal without echoing it', async () => {
    const r = await onTerminal(['hsm', 'info', '--dir', dev], 'PIN of the emulated HSM', pin);
    expect(r.code).toBe(0);
    expect(r.text).toContain('serial CLI-1');
    expect(r.text).not.toContain(pin);
  });

  it('zeroize asks to type the serial on a terminal; a wrong answer changes nothing', async () => {
    const dev2 = join(base, 'dev2');
    await enrollEmulatedDevice({
      vendorDir: vendor,
      serial: 'CLI-2',
      dir: dev2,
      pin,
      kdf: { log2N: 10, r: 8, p: 1 },
    });
    const before = readTree(dev2);
    const wrong = await onTerminal(['hsm', 'zeroize', '--dir', dev2], 'Type the serial', 'CLI-1');
    expect(wrong.code).toBe(2);
    expect(wrong.text).toContain('[HSM_CONFIRMATION_MISMATCH]');
    expect(readTree(dev2)).toEqual(before);
    const right = await onTerminal(['hsm', 'zeroize', '--dir', dev2], 'Type the serial', 'CLI-2');
    expect(right.code).toBe(0);
    expect(readdirSync(dev2)).toEqual(['device.json']);
    rmSync(dev2, { recursive: true });
  });

  describe('PKCS#11 (SoftHSM2)', () => {
    let soft: SoftHsmEnv;
    beforeAll(async () => {
      soft = await createSoftHsm(['fc-cli-token']);
    });
    afterAll(async () => soft.cleanup());

    it('list, info, keygen and attest on a token', async () => {
      const env = { SOFTHSM2_CONF: soft.conf, FLEET_HSM_PIN: soft.tokens[0]!.pin };
      const listed = await cliJson(['hsm', 'list', '--module', soft.module], env);
      expect(listed['module']).toBe(soft.module);
      expect(listed['tokens']).toContainEqual(
        expect.objectContaining({ label: 'fc-cli-token', initialized: true }),
      );
      const sel = ['--module', soft.module, '--token-label', 'fc-cli-token'];
      const k = await cliJson(['hsm', 'keygen', ...sel, '--label', 'fleet-p256', '--alg', 'p256'], env);
      expect(k).toMatchObject({ label: 'fleet-p256', algorithm: 'p256', selfTest: 'passed' });
      const info = await cliJson(['hsm', 'info', ...sel], env);
      expect(info['device']).toMatchObject({ backend: 'pkcs11', label: 'fc-cli-token' });
      const att = await cliJson(
        ['hsm', 'attest', ...sel, '--label', 'fleet-p256', '--challenge', '0102'],
        env,
      );
      expect(att).toMatchObject({
        label: 'fleet-p256',
        format: expect.any(String),
        pem: expect.stringContaining('-----BEGIN '),
      });
      const missing = await cli(['hsm', 'list', '--module', join(base, 'no-such-module.so')]);
      expect(missing.code).toBe(2);
      const leak = transcript.filter(
        (t) => t.includes(soft.tokens[0]!.pin) || t.includes(soft.tokens[0]!.soPin),
      );
      expect(leak).toEqual([]);
    });
  });

  it('no PIN or private key in any output, or in any file outside the encrypted state', async () => {
    const state = await decryptKeystoreFile(dev, pin);
    if (state === undefined) throw new Error('cannot decrypt the state with the PIN');
    const deviceSecrets = [state.attestationKey.secretKey, ...state.keys.map((k) => k.secretKey)];
    expect(deviceSecrets).toHaveLength(5);
    const vendorKey = createPrivateKey(readFileSync(join(vendor, 'root-key.pem'), 'utf8')).export({
      format: 'jwk',
    });
    const vendorSecret = Buffer.from(vendorKey.d!, 'base64url');
    const secrets = [...deviceSecrets, vendorSecret, Buffer.from(pin)];

    const outputs = new Map(transcript.map((t, i) => [`output #${i}`, Buffer.from(t)]));
    expect(outputs.size).toBeGreaterThan(40);
    expect(filesContaining(outputs, secrets)).toEqual([]);

    const files = readTree(base);
    files.delete(join(dev, 'keystore.bin')); // the encrypted state itself
    files.delete(join(vendor, 'root-key.pem')); // the emulated vendor's key file, by design
    expect([...files.keys()].map((p) => p.slice(base.length + 1)).sort()).toEqual([
      'att.pem',
      'dev/counter.key',
      'dev/device.json',
      'dev/pin-counter.json',
      'vendor/root.pem',
      'vendor/vendor.json',
    ]);
    expect(filesContaining(files, secrets)).toEqual([]);
  });

  it('zeroize: refuses without confirmation, then wipes the device (JSON shape); it then refuses use', async () => {
    const noConfirm = await cli(['hsm', 'zeroize', '--dir', dev]);
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.stderr).toContain('[HSM_CONFIRMATION_REQUIRED]');
    expect(await cliJson(['hsm', 'zeroize', '--dir', dev, '--yes'])).toEqual({
      dir: dev,
      serial: 'CLI-1',
      zeroized: true,
    });
    const after = await cli(['hsm', 'info', '--dir', dev], PIN);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('[HSM_ZEROIZED]');
  });
});
