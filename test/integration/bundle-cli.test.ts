/**
 * `fleet-ceremony bundle inspect|verify` through the real CLI: --help, human and --json output,
 * exit codes 0 (verified), 1 (refused), 2 (malformed input or bad usage), and errors that name the
 * file, the field and the reason code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexEncode } from '../../ceremony/codec/index.js';
import { runCli } from '../support/cli.js';
import { softwareHsm, world } from '../unit/bundle/fixture.js';
import { editCbor } from '../unit/bundle/helpers.js';

let dir: string;
let digest: string;
const f = (name: string) => join(dir, name);
const NOW = ['--now', '2025-07-01T00:00:00Z'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fc-bundle-cli-'));
  const w = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519' });
  const b = await w.build();
  writeFileSync(f('bundle.cbor'), b.bytes);
  writeFileSync(
    f('tampered.cbor'),
    editCbor(b.bytes, (r) =>
      r.set(
        3,
        Uint8Array.from(r.get(3) as Uint8Array, (x, i) => (i === 0 ? x ^ 1 : x)),
      ),
    ),
  );
  writeFileSync(f('garbage.cbor'), Uint8Array.of(0xa1, 0x00));
  writeFileSync(f('trust.json'), w.trustText);
  writeFileSync(f('bad-trust.json'), w.trustText.replace('"profile": "rehearsal"', '"profile": "staging"'));
  const { fleetKeySetDigest } = await import('../../ceremony/bundle/index.js');
  digest = hexEncode(fleetKeySetDigest(b.fks));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['bundle', ...args]);

describe('fleet-ceremony bundle', () => {
  it('has --help for the command and each subcommand', async () => {
    const runs = await Promise.all([cli('--help'), cli('inspect', '--help'), cli('verify', '--help')]);
    for (const r of runs) expect(r.status).toBe(0);
    expect(runs[0]!.stdout).toContain('inspect');
    expect(runs[2]!.stdout).toContain('--last-seen-digest');
  });

  it('inspect prints every part (human on stderr, JSON on stdout) and exits 0', async () => {
    const [human, json] = await Promise.all([
      cli('inspect', f('bundle.cbor')),
      cli('inspect', f('bundle.cbor'), '--json'),
    ]);
    expect(human.status).toBe(0);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('NOT verified');
    expect(human.stderr).toContain('key session-01: session x25519');
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout) as {
      verified: boolean;
      fleetKeySet: { digest: string; epoch: string };
      proof: { index: string };
    };
    expect(out.verified).toBe(false);
    expect(out.fleetKeySet.digest).toBe(digest);
    expect(out.proof.index).toBe('6');
  });

  it('inspect exits 2 on a malformed bundle or a missing file, naming the file and field', async () => {
    const [bad, missing] = await Promise.all([
      cli('inspect', f('garbage.cbor')),
      cli('inspect', f('nope.cbor')),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(f('garbage.cbor'));
    expect(bad.stderr).toContain('[BUNDLE_MALFORMED]');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('[FILE_UNREADABLE]');
  });

  it('verify exits 0 on a genuine bundle and prints what it verified', async () => {
    const [human, json] = await Promise.all([
      cli('verify', f('bundle.cbor'), '--trust', f('trust.json'), ...NOW),
      cli(
        'verify',
        f('bundle.cbor'),
        '--trust',
        f('trust.json'),
        ...NOW,
        '--json',
        '--last-seen-epoch',
        '2',
        '--last-seen-digest',
        digest,
      ),
    ]);
    expect(human.status).toBe(0);
    expect(human.stderr).toContain('VERIFIED: example.com/backup-fleet epoch 2');
    expect(human.stderr).toContain('rehearsal');
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout) as {
      verified: boolean;
      digest: string;
      epoch: string;
      keys: unknown[];
    };
    expect(out).toMatchObject({ verified: true, digest, epoch: '2' });
    expect(out.keys).toHaveLength(5);
  });

  it('verify exits 1 on a refused bundle, with the reason code (and JSON with --json)', async () => {
    const [tampered, expired, rollback, json] = await Promise.all([
      cli('verify', f('tampered.cbor'), '--trust', f('trust.json'), ...NOW),
      cli('verify', f('bundle.cbor'), '--trust', f('trust.json'), '--now', '2027-01-01T00:00:00Z'),
      cli(
        'verify',
        f('bundle.cbor'),
        '--trust',
        f('trust.json'),
        ...NOW,
        '--last-seen-epoch',
        '2',
        '--last-seen-digest',
        '00'.repeat(32),
      ),
      cli('verify', f('tampered.cbor'), '--trust', f('trust.json'), ...NOW, '--json'),
    ]);
    expect([tampered.status, expired.status, rollback.status, json.status]).toEqual([1, 1, 1, 1]);
    expect(tampered.stderr).toContain(`${f('tampered.cbor')}: bundle.witnessSignature`);
    expect(tampered.stderr).toContain('[BUNDLE_WITNESS_SIGNATURE_INVALID]');
    expect(expired.stderr).toContain('[BUNDLE_EXPIRED]');
    expect(rollback.stderr).toContain('[BUNDLE_EQUIVOCATION]');
    expect(JSON.parse(json.stdout)).toMatchObject({
      verified: false,
      code: 'BUNDLE_WITNESS_SIGNATURE_INVALID',
      field: 'bundle.witnessSignature',
      exitCode: 1,
    });
  });

  it('verify exits 2 on a bad trust file, a malformed bundle and bad usage', async () => {
    const [trust, garbage, noTrust, badNow, halfSeen] = await Promise.all([
      cli('verify', f('bundle.cbor'), '--trust', f('bad-trust.json'), ...NOW),
      cli('verify', f('garbage.cbor'), '--trust', f('trust.json'), ...NOW),
      cli('verify', f('bundle.cbor')),
      cli('verify', f('bundle.cbor'), '--trust', f('trust.json'), '--now', 'yesterday'),
      cli('verify', f('bundle.cbor'), '--trust', f('trust.json'), '--last-seen-epoch', '2'),
    ]);
    expect([trust.status, garbage.status, noTrust.status, badNow.status, halfSeen.status]).toEqual([
      2, 2, 2, 2, 2,
    ]);
    expect(trust.stderr).toContain(`${f('bad-trust.json')}: $.profile`);
    expect(trust.stderr).toContain('[TRUST_PROFILE_INVALID]');
    expect(garbage.stderr).toContain('[BUNDLE_MALFORMED]');
    expect(noTrust.stderr).toContain('trust');
    expect(badNow.stderr).toContain('[BUNDLE_OPTION_INVALID]');
    expect(halfSeen.stderr).toContain('[BUNDLE_OPTION_INVALID]');
  });
});
