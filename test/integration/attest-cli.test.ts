/**
 * `fleet-ceremony attest verify|import` through the real CLI, on the public samples of
 * test/vectors/attestation (manifest.json holds the expected facts): every sample's verdict and
 * facts in --json, exit codes 0 / 1 / 2, the Fortanix time choice, --expect-key / --expect-serial /
 * --challenge / --profile, bad roots and missing files named, and import → verify round trips
 * that never overwrite. CLI runs that do not depend on each other run concurrently.
 */
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestationFromFiles } from '../../ceremony/attest/index.js';
import { hexEncode } from '../../ceremony/codec/index.js';
import { formatAttestationsJson } from '../../ceremony/witness/operator/attestations-file.js';
import { runCli } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import {
  makeDevice,
  makeKeyCert,
  makeKeySpki,
  makeRoot,
  CHALLENGE,
  toPem,
} from '../unit/attest/support/emulated-fixtures.js';
import { VECTORS, manifest } from '../unit/attest/support/vectors.js';
import type { ManifestSample } from '../unit/attest/support/vectors.js';

/** The day the vectors' README checks were run: every sample's certificates but Fortanix's are valid. */
const AT = ['--at', '2026-11-27T00:00:00Z'];
const MARVELL_CHAIN = 'marvell-gcp-cloudhsm/attestation-cert-chain.pem';

let dir: string;
let roots: string;
const v = (p: string) => join(VECTORS, p);
const t = (p: string) => join(dir, p);

/** The vendor files of a sample, in intake order (the Marvell RSA sample borrows the ECC chain). */
function filesOf(s: ManifestSample): string[] {
  const f = s.files;
  const list = (k: string) => (f[k] === undefined ? [] : ([] as string[]).concat(f[k]!));
  if (s.vendor.startsWith('marvell')) return [...list('attestation'), MARVELL_CHAIN];
  return [
    ...list('attestation'),
    ...list('signature'),
    ...list('device_certificate'),
    ...list('intermediates'),
    ...list('chain'),
  ];
}

/** What manifest.json says the verifier must find for a sample. */
function expected(s: ManifestSample): {
  ok: boolean;
  serial?: string;
  firmware?: string;
  spkiSha256?: string;
} {
  const e = s.expect as Record<string, unknown> & { device?: { serial: number; firmware: string } };
  const refused =
    e.leaf_signature_valid === false ||
    e.signature_valid_with_bundled_partition_keys === false ||
    e.recoverable === true ||
    e.authority_expired === true;
  const serial = e.device?.serial ?? e.serial ?? e.hsm ?? e.hsm_serial ?? e.qasm_serial ?? e.esn;
  const firmware = e.device?.firmware ?? e.firmware;
  const spki = e.spki_sha256 ?? e.ekcv;
  return {
    ok: !refused,
    ...(serial === undefined ? {} : { serial: String(serial) }),
    ...(firmware === undefined ? {} : { firmware: String(firmware) }),
    ...(spki === undefined ? {} : { spkiSha256: String(spki) }),
  };
}

const cli = (args: string[]): Promise<CliResult> => runCli(['attest', ...args]);
const verify = (files: string[], ...more: string[]) => cli(['verify', ...files, '--roots', roots, ...more]);

interface Report {
  verified: boolean;
  attestationTime: boolean;
  attestations: {
    files: string[];
    keyId: string | null;
    ok: boolean;
    format: string;
    serial: string;
    firmware: string;
    publicKey: { algorithm: string | null; sha256: string; spki: string } | null;
    verificationTime: string;
    verificationTimeSource: 'given' | 'attestation';
    failures: { code: string; reason: string }[];
  }[];
}
const json = (r: CliResult): Report => JSON.parse(r.stdout) as Report;
const codes = (a: Report['attestations'][number]) => a.failures.map((f) => f.code);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fc-attest-cli-'));
  roots = t('roots');
  mkdirSync(roots);
  Object.keys(manifest.roots).forEach((p, i) =>
    copyFileSync(v(p), join(roots, `${String(i).padStart(2, '0')}-${basename(p)}`)),
  );
  // Every sample, in one attestations file of ours (keyId = the sample id).
  const all = manifest.samples.map((s) => ({
    keyId: s.id,
    ...attestationFromFiles(filesOf(s).map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(v(p))) }))),
  }));
  writeFileSync(t('all.json'), formatAttestationsJson(all));
  allRun = verify([t('all.json')], ...AT, '--json');
  // An emulated HSM's attestation, and a roots directory pinning its (emulated) root.
  const root = await makeRoot();
  const device = await makeDevice(root);
  writeFileSync(t('emulated-key.pem'), toPem(await makeKeyCert(device, await makeKeySpki('p256'))));
  writeFileSync(t('emulated-device.pem'), toPem(device.der));
  mkdirSync(t('emulated-roots'));
  writeFileSync(t('emulated-roots/root.pem'), toPem(root.der));
  // Bad roots directories.
  for (const [name, content] of [
    ['bad-roots/garbage.pem', 'not a certificate\n'],
    ['empty-roots/README.txt', 'nothing pinned here\n'],
  ] as const) {
    mkdirSync(t(name.split('/')[0]!), { recursive: true });
    writeFileSync(t(name), content);
  }
  copyFileSync(v('yubihsm2/yubihsm-root-ca.pem'), t('bad-roots/good.pem'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run over every sample (all.json), shared by the tests that read it. */
let allRun: Promise<CliResult>;

describe('attest verify: the manifest samples', () => {
  it('every sample in one attestations file: its verdict and facts, exit 1 as some are refused', async () => {
    const r = await allRun;
    expect(r.status, r.stderr).toBe(1);
    const report = json(r);
    expect(report.verified).toBe(false);
    expect(report.attestations.map((a) => a.keyId)).toEqual(manifest.samples.map((s) => s.id));
    for (const [i, s] of manifest.samples.entries()) {
      const a = report.attestations[i]!;
      const want = expected(s);
      expect({ id: s.id, ok: a.ok }).toEqual({ id: s.id, ok: want.ok });
      expect(a.ok, s.id).toBe(a.failures.length === 0);
      if (want.serial !== undefined) expect(a.serial, s.id).toBe(want.serial);
      if (want.firmware !== undefined) expect(a.firmware, s.id).toBe(want.firmware);
      if (want.spkiSha256 !== undefined) expect(a.publicKey?.sha256, s.id).toBe(want.spkiSha256);
      expect(a.publicKey?.sha256, s.id).toMatch(/^[0-9a-f]{64}$/);
      expect(a.verificationTime).toBe('2026-11-27T00:00:00.000Z');
    }
    const by = (id: string) => report.attestations.find((a) => a.keyId === id)!;
    expect(codes(by('thales-luna-ecc-pkc'))).toEqual([
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_SIGNATURE_INVALID',
    ]);
    expect(codes(by('marvell-rsa4096-imported'))).toContain('ATTEST_KEY_IMPORTED');
    expect(codes(by('nshield-key_simple_test1'))).toContain('ATTEST_KEY_EXPORTABLE');
    expect(codes(by('fortanix-dsm-saas-sample'))).toContain('ATTEST_EXPIRED');
    const okCount = manifest.samples.filter((s) => expected(s).ok).length;
    expect(r.stderr).toContain(`REFUSED: ${okCount} of ${manifest.samples.length} attestation(s) verified`);
  });

  it('vendor files straight from the tools: exit 0 with the facts, or 1 with the reasons', async () => {
    // The multi-file intakes, and the refused samples the issue names (every sample's verdict is
    // checked above, through an attestations file).
    const ids = [
      'yubihsm2-31650425-0x7e57',
      'securosys-primus-18386101',
      'thales-luna-ecc-pkc',
      'marvell-rsa4096-imported',
    ];
    const samples = ids.map((id) => manifest.samples.find((s) => s.id === id)!);
    const runs = await Promise.all(samples.map((s) => verify(filesOf(s).map(v), ...AT, '--json')));
    for (const [i, s] of samples.entries()) {
      const r = runs[i]!;
      const want = expected(s);
      expect({ id: s.id, status: r.status }).toEqual({ id: s.id, status: want.ok ? 0 : 1 });
      const [a] = json(r).attestations;
      expect(a!.files).toEqual(filesOf(s).map(v));
      if (want.serial !== undefined) expect(a!.serial).toBe(want.serial);
      if (want.spkiSha256 !== undefined) expect(a!.publicKey?.sha256).toBe(want.spkiSha256);
    }
    const luna = runs[2]!;
    expect(luna.stderr).toContain('FAILED ATTEST_SIGNATURE_INVALID');
    expect(luna.stderr).toContain('negative INTEGER');
    expect(luna.stderr).toMatch(/REFUSED: 0 of 1/);
    const rsa = json(runs[3]!).attestations[0]!;
    expect(codes(rsa)).toEqual(expect.arrayContaining(['ATTEST_KEY_IMPORTED', 'ATTEST_SIGNATURE_INVALID']));
    // Human text: every normalised field, on stderr.
    const yubi = runs[0]!.stderr;
    for (const line of [
      'format       yubihsm2 (level hardware-vendor)',
      'device       Yubico YubiHSM 2, serial 31650425, firmware 2.4.0',
      'key          ec-p256, SPKI SHA-256 ',
      'origin       generated; exportable no; sensitive yes',
      'chain        CN=YubiHSM Attestation id:0x7e57 → CN=YubiHSM Attestation (31650425) → ',
      'checked at   2026-11-27T00:00:00.000Z (the given time)',
      'VERIFIED: 1 of 1 attestation(s) verified and met the production policy',
    ])
      expect(yubi).toContain(line);
  });

  it('Fortanix: refused now (expired authority), verified at its own signing time, and says so', async () => {
    const fortanix = [v('fortanix-dsm/key_attestation.json')];
    const [now, own] = await Promise.all([
      verify(fortanix, '--json'),
      verify(fortanix, '--attestation-time', '--json'),
    ]);
    expect(now.status).toBe(1);
    expect(codes(json(now).attestations[0]!)).toContain('ATTEST_EXPIRED');
    expect(json(now).attestations[0]!.verificationTimeSource).toBe('given');
    expect(own.status, own.stderr).toBe(0);
    const a = json(own).attestations[0]!;
    expect(json(own).attestationTime).toBe(true);
    expect(a.verificationTime).toBe('2023-09-05T18:11:51.000Z');
    expect(a.verificationTimeSource).toBe('attestation');
    expect(own.stderr).toContain("2023-09-05T18:11:51.000Z (the attestation's own time, --attestation-time)");
  });

  it('--attestation-time: the source is the verifier’s own word, not a comparison with --at', async () => {
    const yubi = filesOf(manifest.samples.find((s) => s.id === 'yubihsm2-31650425-0x7e57')!).map(v);
    const marvell = filesOf(manifest.samples.find((s) => s.id === 'marvell-gcp-ecc-p256')!).map(v);
    const [same, none] = await Promise.all([
      // Yubico's fixed notBefore is exactly the --at given: still the attestation's own time.
      verify(yubi, '--at', '2017-01-01T00:00:00Z', '--attestation-time', '--json'),
      // Marvell states no time: the given one, even when asked for the attestation's.
      verify(marvell, ...AT, '--attestation-time', '--json'),
    ]);
    expect(json(same).attestations[0]).toMatchObject({
      verificationTime: '2017-01-01T00:00:00.000Z',
      verificationTimeSource: 'attestation',
    });
    expect(same.stderr).toContain(
      "2017-01-01T00:00:00.000Z (the attestation's own time, --attestation-time)",
    );
    expect(json(none).attestations[0]).toMatchObject({
      verificationTime: '2026-11-27T00:00:00.000Z',
      verificationTimeSource: 'given',
    });
    expect(none.stderr).toContain('(the given time: this format states no time of its own)');
  });
});

describe('attest verify: policy flags', () => {
  const piv = (serial: string) => [
    v(`yubikey-piv/sigstore-2022-10-18/${serial}_key_cert.pem`),
    v(`yubikey-piv/sigstore-2022-10-18/${serial}_device_cert.pem`),
  ];
  const pubkey = (serial: string) => v(`yubikey-piv/sigstore-2022-10-18/${serial}_pubkey.pem`);

  it('--expect-key, --expect-serial, --challenge on a P-256 key: all met exit 0; each unmet named, exit 1', async () => {
    const [right, wrong] = await Promise.all([
      verify(piv('14470876'), ...AT, '--expect-key', pubkey('14470876'), '--expect-serial', '14470876'),
      verify(
        piv('14470876'),
        ...AT,
        '--expect-key',
        pubkey('13078778'),
        '--expect-serial',
        '13078778',
        '--challenge',
        '00ff',
        '--json',
      ),
    ]);
    expect(right.status, right.stderr).toBe(0);
    expect(wrong.status).toBe(1);
    expect(codes(json(wrong).attestations[0]!).sort()).toEqual([
      'ATTEST_CHALLENGE_UNSUPPORTED',
      'ATTEST_PUBLIC_KEY_MISMATCH',
      'ATTEST_SERIAL_MISMATCH',
    ]);
  });

  it("--expect-key on an RSA key: its own key exit 0, another sample's exit 1", async () => {
    const yubiRsa = filesOf(manifest.samples.find((s) => s.id === 'yubihsm2-20783176-0x0024')!).map(v);
    // The attested keys as PEM PUBLIC KEY files, read with node:crypto from the certificates.
    const keyPem = (cert: string) =>
      new X509Certificate(readFileSync(cert)).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    writeFileSync(t('rsa.pem'), keyPem(yubiRsa[0]!));
    writeFileSync(t('other-rsa.pem'), keyPem(v('fortanix-dsm/extracted/statement.pem')));
    const [own, other] = await Promise.all([
      verify(yubiRsa, ...AT, '--expect-key', t('rsa.pem')),
      verify(yubiRsa, ...AT, '--expect-key', t('other-rsa.pem')),
    ]);
    expect(own.status, own.stderr).toBe(0);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('FAILED ATTEST_PUBLIC_KEY_MISMATCH');
    // The policy's exact SPKI comparison, reported once, naming both keys' SPKI SHA-256.
    const mismatch = json(
      await verify(yubiRsa, ...AT, '--expect-key', t('other-rsa.pem'), '--json'),
    ).attestations[0]!.failures.filter((f) => f.code === 'ATTEST_PUBLIC_KEY_MISMATCH');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.reason).toMatch(
      /^the attested key \(SPKI SHA-256 b6be582f[0-9a-f]{56}\) is not the expected key \(SPKI SHA-256 [0-9a-f]{64}\)$/,
    );
  });

  it('--profile: an emulated HSM is refused in production, accepted in rehearsal with its challenge', async () => {
    const files = [t('emulated-key.pem'), t('emulated-device.pem')];
    const emu = (...more: string[]) =>
      cli(['verify', ...files, '--roots', t('emulated-roots'), '--at', '2026-06-01T00:00:00Z', ...more]);
    const [production, rehearsal] = await Promise.all([
      emu('--json'),
      emu('--profile', 'rehearsal', '--challenge', hexEncode(CHALLENGE)),
    ]);
    expect(production.status).toBe(1);
    expect(codes(json(production).attestations[0]!)).toEqual(['ATTEST_LEVEL_REFUSED']);
    expect(rehearsal.status, rehearsal.stderr).toBe(0);
    expect(rehearsal.stderr).toContain('format       emulated-x509/v1 (level emulated)');
  });
});

describe('attest verify: bad usage and malformed input exit 2, naming the file', () => {
  it('a bad roots file, a roots directory of nothing, a missing file, a bad --at', async () => {
    const yubi = [
      v('yubihsm2/key-0x7e57-attestation.pem'),
      v('yubihsm2/device-31650425-attestation-cert.pem'),
    ];
    const [badRoots, emptyRoots, missing, badAt, badJson] = await Promise.all([
      cli(['verify', ...yubi, '--roots', t('bad-roots')]),
      cli(['verify', ...yubi, '--roots', t('empty-roots')]),
      verify([yubi[0]!, t('no-such-file.pem')]),
      verify(yubi, '--at', '2026-11-27 00:00'),
      verify([t('all.json'), yubi[0]!], '--json'),
    ]);
    for (const r of [badRoots, emptyRoots, missing, badAt, badJson]) expect(r.status, r.stderr).toBe(2);
    expect(badRoots.stderr).toContain(t('bad-roots/garbage.pem'));
    expect(emptyRoots.stderr).toContain('ATTEST_ROOTS_EMPTY');
    expect(missing.stderr).toContain(t('no-such-file.pem'));
    expect(badAt.stderr).toContain('--at');
    expect(JSON.parse(badJson.stdout)).toMatchObject({
      verified: false,
      error: { exitCode: 2, file: t('all.json') },
    });
  });
});

describe('attest import', () => {
  it('packs vendor files into an attestations file that verifies the same; never overwrites', async () => {
    const securosys = filesOf(manifest.samples.find((s) => s.id === 'securosys-primus-18386101')!).map(v);
    const out = t('securosys.json');
    const imported = await cli(['import', ...securosys, '--key-id', 'fleet-key-7', '--out', out, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      out,
      keyId: 'fleet-key-7',
      format: 'securosys-primus',
    });
    const before = readFileSync(out);
    const mtime = statSync(out).mtimeMs;
    const [again, viaJson, all, wrongFormat] = await Promise.all([
      cli(['import', v('fortanix-dsm/key_attestation.json'), '--key-id', 'x', '--out', out]),
      verify([out], ...AT, '--json'),
      allRun,
      cli(['import', ...securosys, '--key-id', 'k', '--out', t('never.json'), '--format', 'yubihsm2']),
    ]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('ATTEST_OUTPUT_EXISTS');
    expect(again.stderr).toContain(out);
    expect(readFileSync(out)).toEqual(before);
    expect(statSync(out).mtimeMs).toBe(mtime);
    expect(viaJson.status, viaJson.stderr).toBe(0);
    const { files, keyId, ...fromImport } = json(viaJson).attestations[0]!;
    const {
      files: _,
      keyId: __,
      ...fromAll
    } = json(all).attestations.find((a) => a.keyId === 'securosys-primus-18386101')!;
    expect(files).toEqual([out]);
    expect(keyId).toBe('fleet-key-7');
    expect(fromImport).toEqual(fromAll);
    expect(fromImport.ok).toBe(true);
    expect(wrongFormat.status).toBe(2);
    expect(wrongFormat.stderr).toContain('ATTEST_INTAKE_INVALID');
    expect(() => statSync(t('never.json'))).toThrow();
  });
});
