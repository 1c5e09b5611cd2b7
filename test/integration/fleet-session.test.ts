/**
 * The HSM response path end to end (issue 5, item 5): a real fleet — X25519 session keys in two
 * emulated HSMs, a P-256 session key in a SoftHSM2 token — a real validation bundle (witness
 * statement, operator counter-signature by an HSM key, a MemoryTree inclusion proof under a
 * signed checkpoint, a trust file), fleet servers on loopback, and clients through the library and
 * through the real CLI (`client connect`, `fleet serve`).
 *
 * Success on both algorithms; refusal, with its reason code and without a single encrypted
 * message sent, for a forged bundle, two kinds of unlogged bundle, an expired bundle and a
 * rolled-back one; bad usage; and a scan that no session key or PIN reaches any CLI output.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../ceremony/bundle/session/index.js';
import { hexEncode } from '../../ceremony/codec/index.js';
import { isCeremonyError } from '../../ceremony/errors.js';
import { startFleetServer } from '../../ceremony/fleet/index.js';
import type { FleetServer } from '../../ceremony/fleet/index.js';
import { decryptKeystoreFile } from '../../ceremony/hsm/emulated/keystore.js';
import type { Hsm } from '../../ceremony/hsm/index.js';
import { openPkcs11Hsm } from '../../ceremony/hsm/pkcs11/index.js';
import { cliArgv, repoRoot, runCli } from '../support/cli.js';
import {
  anchors,
  DAY,
  EMULATED_PIN,
  emulatedDevice,
  fleetEntries,
  OPERATOR_LABEL,
  tempDir,
} from '../unit/bundle/session/fixture.js';
import { createSoftHsm } from './softhsm.js';
import type { SoftHsmEnv } from './softhsm.js';

const BAD = ['forged', 'unlogged-tree', 'unlogged-key', 'expired'] as const;
const REASON: Record<(typeof BAD)[number], string> = {
  forged: 'BUNDLE_WITNESS_SIGNATURE_INVALID',
  'unlogged-tree': 'BUNDLE_INCLUSION_INVALID',
  'unlogged-key': 'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
  expired: 'BUNDLE_EXPIRED',
};

let base: string;
let softhsm: SoftHsmEnv;
let hsmA: Hsm;
let token: Hsm;
let world: ReturnType<typeof anchors>;
let files: Record<'good' | 'trust', string>;
const servers: Record<string, FleetServer> = {};
/** Every session key the library servers derived (hex), for the leak scan. */
const sessionKeys: string[] = [];
/** Everything any CLI run printed. */
const printed: string[] = [];

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = await runCli(args, { env: { FLEET_HSM_PIN: undefined, ...env }, timeoutMs: 60_000 });
  printed.push(r.stdout, r.stderr);
  return r;
}

/** The error `f` rejects with (typed), or fails. */
async function refusalOf(f: () => Promise<unknown>) {
  try {
    await f();
  } catch (e) {
    if (isCeremonyError(e)) return e;
    throw e;
  }
  throw new Error('connected, but the bundle should have been refused');
}

beforeAll(async () => {
  base = tempDir('fleet-session');
  softhsm = await createSoftHsm(['fleet-p256']);
  const t = softhsm.tokens[0]!;
  token = await openPkcs11Hsm({ module: softhsm.module, tokenLabel: t.label, pin: t.pin });
  await token.generateKey({ label: 'session-p1', algorithm: 'p256', usages: ['derive'] });
  ({ hsm: hsmA } = await emulatedDevice(base, 'EMU-A', [
    { label: 'session-x1', algorithm: 'x25519' },
    { label: OPERATOR_LABEL, algorithm: 'ed25519' },
  ]));
  const { hsm: hsmB } = await emulatedDevice(base, 'EMU-B', [{ label: 'session-x2', algorithm: 'x25519' }]);
  world = anchors(hsmA, (await hsmA.findKey(OPERATOR_LABEL))!.publicKey);
  const parts = [
    await fleetEntries(hsmA, 'hsm-a', ['session-x1', OPERATOR_LABEL], 'emulated'),
    await fleetEntries(hsmB, 'hsm-b', ['session-x2'], 'emulated'),
    await fleetEntries(token, 'hsm-softhsm', ['session-p1'], 'pkcs11-attributes'),
  ];
  await hsmB.close(); // `fleet serve` opens it in another process
  const entries = { hsms: parts.map((p) => p.hsm), keys: parts.flatMap((p) => p.keys) };
  const now = world.now;
  const bundles = {
    good: await world.bundle(entries),
    forged: await world.bundle(entries, { forgeWitness: true }),
    'unlogged-tree': await world.bundle(entries, { unlogged: 'other-tree' }),
    'unlogged-key': await world.bundle(entries, { unlogged: 'other-log-key' }),
    expired: await world.bundle(entries, {
      validity: { notBefore: now - 20 * DAY, notAfter: now - 2 * DAY },
      statementTime: now - 10 * DAY,
    }),
  };
  files = { good: join(base, 'good.cbor'), trust: join(base, 'trust.json') };
  writeFileSync(files.good, bundles.good);
  writeFileSync(files.trust, world.trustText);
  const keyLog = (e: { clientToServer: Uint8Array; serverToClient: Uint8Array }) =>
    sessionKeys.push(hexEncode(e.clientToServer), hexEncode(e.serverToClient));
  servers['good-x'] = await startFleetServer({
    hsm: hsmA,
    bundle: bundles.good,
    sessionKeyLabel: 'session-x1',
    keyLog,
  });
  servers['good-p'] = await startFleetServer({
    hsm: token,
    bundle: bundles.good,
    sessionKeyLabel: 'session-p1',
    keyLog,
  });
  for (const b of BAD)
    servers[b] = await startFleetServer({
      hsm: hsmA,
      bundle: bundles[b],
      sessionKeyLabel: 'session-x1',
      keyLog,
    });
});

afterAll(async () => {
  for (const s of Object.values(servers)) await s.close();
  await hsmA?.close();
  await token?.close();
  await softhsm?.cleanup();
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
});

describe('library client', () => {
  it.each([
    ['good-x', 'session-x1', 'x25519'],
    ['good-p', 'session-p1', 'p256'],
  ])(
    'connects to %s (%s, %s inside the HSM) and makes encrypted round trips',
    async (name, keyId, algorithm) => {
      const s = servers[name]!;
      const before = s.stats();
      const c = await connect(s.url, world.trust, { now: Date.now() });
      expect(c.key).toMatchObject({ keyId, algorithm, role: 'session' });
      expect(c.verified.epoch).toBe(2n);
      expect(new TextDecoder().decode(await c.echo(`hello ${algorithm}`))).toBe(`hello ${algorithm}`);
      expect(await c.status()).toMatchObject({ namespace: c.verified.namespace, epoch: 2n, keyId });
      await c.close();
      expect(s.stats().messages - before.messages).toBe(3);
    },
  );

  it.each(BAD)('refuses a %s bundle with its reason, before any encrypted message', async (name) => {
    const s = servers[name]!;
    const before = s.stats();
    const e = await refusalOf(() => connect(s.url, world.trust, { now: Date.now() }));
    expect([e.code, e.name, e.exitCode]).toEqual([REASON[name], 'VerificationError', 1]);
    expect(s.stats()).toMatchObject({ handshakes: before.handshakes + 1, messages: before.messages });
  });

  it('refuses a rolled-back bundle (an older epoch than last seen) and another set for the epoch seen', async () => {
    const s = servers['good-x']!;
    const before = s.stats().messages;
    const rollback = await refusalOf(() =>
      connect(s.url, world.trust, { now: Date.now(), lastSeen: { epoch: 3n, digest: new Uint8Array(32) } }),
    );
    expect(rollback.code).toBe('BUNDLE_ROLLBACK');
    const split = await refusalOf(() =>
      connect(s.url, world.trust, { now: Date.now(), lastSeen: { epoch: 2n, digest: new Uint8Array(32) } }),
    );
    expect(split.code).toBe('BUNDLE_EQUIVOCATION');
    expect(s.stats().messages).toBe(before);
  });
});

describe('client connect (CLI)', () => {
  it('connects over X25519 (--json, --message) and P-256 (status), exit 0', async () => {
    const [x, p] = await Promise.all([
      cli([
        'client',
        'connect',
        servers['good-x']!.url,
        '--trust',
        files.trust,
        '--message',
        'over x25519',
        '--json',
      ]),
      cli(['client', 'connect', servers['good-p']!.url, '--trust', files.trust, '--key-id', 'session-p1']),
    ]);
    expect([x.status, p.status], x.stderr + p.stderr).toEqual([0, 0]);
    const out = JSON.parse(x.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      connected: true,
      namespace: 'example.com/fleet-sessions',
      epoch: '2',
      key: { keyId: 'session-x1', algorithm: 'x25519', hsmId: 'hsm-a' },
      roundTrip: { op: 'echo', sent: 'over x25519', received: 'over x25519' },
      lastSeen: { epoch: '2' },
    });
    expect(x.stderr).toContain('VERIFIED example.com/fleet-sessions epoch 2');
    expect(p.stdout).toBe('');
    expect(p.stderr).toMatch(/SESSION with fleet key session-p1 \(p256, HSM hsm-softhsm\)/);
    expect(p.stderr).toMatch(/ROUND TRIP status: example\.com\/fleet-sessions epoch 2, key session-p1/);
    expect(p.stderr).toContain(`--last-seen-epoch 2 --last-seen-digest ${out['digest'] as string}`);
  });

  it('refuses forged, unlogged, expired and rolled-back bundles: exit 1, the reason, nothing encrypted sent', async () => {
    const messages = () => Object.values(servers).reduce((n, s) => n + s.stats().messages, 0);
    const before = messages();
    const runs = await Promise.all([
      ...BAD.map((b) =>
        cli([
          'client',
          'connect',
          servers[b]!.url,
          '--trust',
          files.trust,
          '--message',
          'must not be sent',
          '--json',
        ]),
      ),
      cli([
        'client',
        'connect',
        servers['good-x']!.url,
        '--trust',
        files.trust,
        '--last-seen-epoch',
        '3',
        '--last-seen-digest',
        '00'.repeat(32),
      ]),
    ]);
    const want = [...BAD.map((b) => REASON[b]), 'BUNDLE_ROLLBACK'];
    runs.forEach((r, i) => {
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`[${want[i]!}]`);
      expect(r.stderr).toContain('REFUSED: the validation bundle did not verify; no session was opened.');
      if (i < BAD.length)
        expect(JSON.parse(r.stdout)).toMatchObject({
          connected: false,
          stage: 'bundle',
          code: want[i],
          exitCode: 1,
        });
    });
    expect(messages()).toBe(before);
  });

  it('bad usage and malformed input exit 2', async () => {
    const badTrust = join(base, 'bad-trust.json');
    writeFileSync(badTrust, '{"version": 1,');
    const url = servers['good-x']!.url;
    const runs = await Promise.all([
      cli(['client', 'connect', url, '--trust', badTrust]),
      cli(['client', 'connect', url, '--trust', files.trust, '--last-seen-epoch', '2']),
      cli(['client', 'connect', 'ftp://example.com', '--trust', files.trust, '--json']),
    ]);
    expect(runs.map((r) => r.status)).toEqual([2, 2, 2]);
    expect(runs[0]!.stderr).toContain(badTrust);
    expect(runs[1]!.stderr).toContain('CLIENT_OPTION_INVALID');
    expect(JSON.parse(runs[2]!.stdout)).toMatchObject({
      connected: false,
      code: 'SESSION_URL_INVALID',
      exitCode: 2,
    });
  });
});

/** Starts `fleet serve` in a child process; resolves once its --json line says where it listens. */
function serveCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(
    process.execPath,
    [...cliArgv(), 'fleet', 'serve', '--listen', '127.0.0.1:0', '--json', ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', FLEET_HSM_PIN: undefined, ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const url = new Promise<string>((done, fail) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /"url": "([^"]+)"/.exec(stdout);
      if (m) done(m[1]!);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    void exited.then((code) => fail(new Error(`fleet serve exited ${code}: ${stderr}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    const code = await exited;
    printed.push(stdout, stderr);
    return { code, stdout, stderr };
  };
  return { url, stop, exited };
}

describe('fleet serve (CLI)', () => {
  it('serves an emulated HSM key (--dir) and a SoftHSM2 key (--module); stops cleanly on SIGTERM', async () => {
    const t = softhsm.tokens[0]!;
    const emu = serveCli(
      ['--bundle', files.good, '--key-label', 'session-x2', '--dir', join(base, 'EMU-B')],
      { FLEET_HSM_PIN: EMULATED_PIN },
    );
    const pkcs = serveCli(
      [
        '--bundle',
        files.good,
        '--key-label',
        'session-p1',
        '--module',
        softhsm.module,
        '--token-label',
        t.label,
        '--pin-env',
        'TOKEN_PIN',
      ],
      {
        TOKEN_PIN: t.pin,
        SOFTHSM2_CONF: softhsm.conf,
      },
    );
    try {
      const [u1, u2] = await Promise.all([emu.url, pkcs.url]);
      const c1 = await connect(u1, world.trust, { now: Date.now() });
      expect(c1.key.keyId).toBe('session-x2');
      expect(new TextDecoder().decode(await c1.echo('via the CLI server'))).toBe('via the CLI server');
      const c2 = await connect(u2, world.trust, { now: Date.now() });
      expect(await c2.status()).toMatchObject({ keyId: 'session-p1', epoch: 2n });
      const viaCli = await cli(['client', 'connect', u1, '--trust', files.trust, '--message', 'cli to cli']);
      expect(viaCli.status, viaCli.stderr).toBe(0);
    } finally {
      const [r1, r2] = await Promise.all([emu.stop(), pkcs.stop()]);
      expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
      expect(r1.stderr).toContain('session key session-x2 (x25519) in the emulated HSM');
      expect(r1.stderr).toMatch(/Stopped on SIGTERM: 2 handshakes, 3 messages, 0 refused\./);
      expect(r2.stderr).toContain('session key session-p1 (p256) in the pkcs11 HSM');
    }
  });

  it('refuses to serve a key the bundle does not publish (exit 2)', async () => {
    const r = await cli(
      [
        'fleet',
        'serve',
        '--bundle',
        files.good,
        '--key-label',
        'session-x1',
        '--dir',
        join(base, 'EMU-B'),
        '--listen',
        '127.0.0.1:0',
      ],
      { FLEET_HSM_PIN: EMULATED_PIN },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[FLEET_KEY_NOT_FOUND]');
  });
});

describe('secrets', () => {
  it('no session key, HSM private key or PIN appears in any CLI output (hex, base64 or base64url)', async () => {
    expect(sessionKeys.length).toBeGreaterThanOrEqual(8); // the CLI sessions' keys were logged
    const privateKeys: string[] = [];
    for (const serial of ['EMU-A', 'EMU-B']) {
      const state = await decryptKeystoreFile(join(base, serial), EMULATED_PIN);
      if (state === undefined) throw new Error(`cannot decrypt ${serial} with its PIN`);
      privateKeys.push(...[state.attestationKey, ...state.keys].map((k) => hexEncode(k.secretKey)));
    }
    expect(privateKeys).toHaveLength(5); // two attestation keys, two fleet session keys, the operator key
    const all = printed.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    const secrets = [...sessionKeys, ...privateKeys, softhsm.tokens[0]!.pin, EMULATED_PIN];
    for (const s of secrets) {
      const forms = /^[0-9a-f]{64}$/.test(s)
        ? [
            s,
            s.toUpperCase(),
            Buffer.from(s, 'hex').toString('base64'),
            Buffer.from(s, 'hex').toString('base64url'),
          ]
        : [s];
      for (const f of forms) expect(all.includes(f), 'a secret was printed').toBe(false);
    }
  });
});
