/**
 * No PIN and no private key in the transcript, the evidence package, the working directory, the
 * witness's files, or anything printed (issue 6, Must show). The demo runs as a user runs it (the
 * real CLI) with known PINs; then a ceremony is crashed mid-keygen and resumed. The secrets are
 * obtained the honest way (./secret-scan.ts) and searched raw, in hex, base64 and PEM forms
 * everywhere except the secret files themselves and the encrypted HSM state. A planted secret
 * shows the scan can fail.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_HSMS } from '../../ceremony/demo/index.js';
import { runCli } from '../support/cli.js';
import { ceremonyCli, ceremonyFixture } from './ceremony-fixture.js';
import type { CeremonyFixture } from './ceremony-fixture.js';
import { demoSecrets, filesUnder, leaks, scanFiles } from './secret-scan.js';

const dirs: string[] = [];
const fixtures: CeremonyFixture[] = [];
afterAll(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  fixtures.forEach((f) => f.cleanup());
});

/** Secret files and encrypted HSM state: where secrets are supposed to be. */
const SECRET_PLACES = (rel: string) =>
  rel === 'hsms' ||
  rel.startsWith('participants/') ||
  rel === 'vendor/root-key.pem' ||
  rel === 'witness/keys';
const hsmDirs = Object.fromEntries(DEMO_HSMS.map((h) => [h.pinEnv, `hsms/${h.id}`]));

describe('secrets never leave the HSMs and the key files', () => {
  it('the demo (real CLI, known PINs): nothing secret in any file it wrote or anything it printed', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fc-secrets-')), 'demo');
    dirs.push(join(out, '..'));
    const pins = Object.fromEntries(
      DEMO_HSMS.map((h) => [h.pinEnv, `secret-pin-${randomBytes(6).toString('hex')}`]),
    );
    const r = await runCli(['demo', '--out', out, '--json'], { env: pins, timeoutMs: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    const secrets = await demoSecrets(out, pins, hsmDirs);
    expect(secrets.length).toBeGreaterThanOrEqual(3 + 3 * 2 + 8 + 1 + 3);
    const files = filesUnder(out, SECRET_PLACES);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'work/transcript.jsonl',
        'evidence/transcript.jsonl',
        'evidence/report.pdf',
        'evidence.tar.gz (decompressed)',
        'witness/state.sqlite',
        'trust.json',
      ]),
    );
    expect(scanFiles(files, secrets)).toEqual([]);
    expect(leaks(Buffer.from(r.stdout + r.stderr), secrets)).toEqual([]);

    // The scan can fail: a key planted hex-encoded, and a PIN, are found.
    const planted = new Map(files).set(
      'planted',
      Buffer.from(`x${Buffer.from(secrets[4]!.bytes!).toString('hex')}x`),
    );
    expect(scanFiles(planted, secrets)).toEqual([`planted: ${secrets[4]!.origin}`]);
    expect(leaks(Buffer.from(`PIN is ${Object.values(pins)[1]}`), secrets)).toEqual([
      Object.keys(pins).map((k) => `PIN ${k}`)[1],
    ]);
  }, 240_000);

  it('a ceremony killed mid-keygen and resumed: no secret in its transcript, package or output', async () => {
    const f = await ceremonyFixture('emulated');
    fixtures.push(f);
    const killed = await ceremonyCli(f, 'run', 'generate:keygen');
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await ceremonyCli(f, 'resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    const secrets = await demoSecrets(
      f.dir,
      Object.fromEntries(DEMO_HSMS.map((h) => [h.pinEnv, f.env[h.pinEnv]!])),
      hsmDirs,
    );
    expect(scanFiles(filesUnder(f.dir, SECRET_PLACES), secrets)).toEqual([]);
    expect(
      leaks(Buffer.from(killed.stdout + killed.stderr + resumed.stdout + resumed.stderr), secrets),
    ).toEqual([]);
  }, 240_000);
});
