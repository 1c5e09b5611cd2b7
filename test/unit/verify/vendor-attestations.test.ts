/**
 * Issue 8: a fleet key set whose key is swapped for another sample's key is refused by the offline
 * verifier. The fleets are made of real vendor attestations (test/vectors/attestation, via
 * ../evidence/fixture/vendor-fleet.ts) under the production profile; everything else is signed by
 * the fixture's test keys, so each swap is re-signed consistently (witness statement, log,
 * counter-signature, transcript, package) and only the attestation binding can refuse it.
 *
 * A fleet key set may not name one key twice, so a swap brings in a sample from outside the
 * fleet: for each ordered pair (i, j), the fleet is every sample but j, and key i names sample j's
 * attested key (or carries sample j's attestation). That fleet without the swap verifies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpki } from '../../../ceremony/attest/x509/spki.js';
import { hexDecode } from '../../../ceremony/codec/index.js';
import { EVIDENCE_FILES, parseManifest, verifyEvidence } from '../../../ceremony/verify/index.js';
import type { EvidenceReport } from '../../../ceremony/verify/index.js';
import { pemPublicKey, samplesOf } from '../attest/support/vectors.js';
import { cli } from '../evidence/fixture/cli.js';
import { forgePackage } from '../evidence/fixture/forge.js';
import { testPackage, testWorld } from '../evidence/fixture/package.js';
import type { TestPackage } from '../evidence/fixture/package.js';
import { VENDOR_SAMPLES } from '../evidence/fixture/vendor-fleet.js';
import type { VendorSample } from '../evidence/fixture/vendor-fleet.js';
import type { WorldOptions } from '../evidence/fixture/world.js';

/** The five YubiKey PIV samples: one format, one root. */
const PIV = VENDOR_SAMPLES.filter((s) => s.id.startsWith('yubikey-piv-'));
/** One sample of each format: the first PIV one, YubiHSM 2, Marvell, Crypto4A, nShield. */
const ACROSS = [PIV[0]!, ...VENDOR_SAMPLES.filter((s) => !PIV.includes(s))];
const ordered = (of: readonly VendorSample[]) =>
  of.flatMap((a) => of.filter((b) => b !== a).map((b) => [a, b] as const));
/** Every ordered pair inside the PIV format, then every ordered pair of formats. */
const PAIRS = [...ordered(PIV), ...ordered(ACROSS)];
const named = PAIRS.map(([a, b]) => [`${a.id} ← ${b.id}`, a, b] as const);

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** The package of every sample but `without` (all of them when undefined), written once. */
const packages = new Map<VendorSample | undefined, Promise<TestPackage>>();
function fleetPackage(without?: VendorSample): Promise<TestPackage> {
  let p = packages.get(without);
  if (p === undefined) {
    p = testPackage({ vendorSamples: VENDOR_SAMPLES.filter((s) => s !== without) });
    packages.set(without, p);
    cleanups.push(async () => (await p!).cleanup());
  }
  return p;
}

/**
 * The fleet of every sample but `b`, with key `a` given `b`'s key or attestation, re-signed by the
 * fixture's keys throughout (the writer would refuse it, so it is forged as in ./attacks.test.ts),
 * and the trust file of that fleet unswapped: the swapped package is signed by the same pinned keys.
 */
async function swapped(
  a: VendorSample,
  b: VendorSample,
  what: 'key' | 'attestation',
): Promise<{ files: Map<string, Uint8Array>; good: TestPackage }> {
  const fleet = VENDOR_SAMPLES.filter((s) => s !== b);
  const fault: Partial<WorldOptions> =
    what === 'key' ? { foreignKey: [fleet.indexOf(a), b] } : { foreignAttestation: [fleet.indexOf(a), b] };
  const t = await testWorld({ vendorSamples: fleet, ...fault });
  try {
    const good = await fleetPackage(b);
    expect(t.world.trustJson).toEqual(good.world.trustJson);
    return { files: await forgePackage(t.world, good.files), good };
  } finally {
    await t.cleanup();
  }
}

/** Failed checks as `id code`; a skipped check counts as failed (nothing may go unexamined). */
const failed = (r: EvidenceReport) =>
  r.checks.filter((c) => !c.ok || c.skipped === true).map((c) => `${c.id} ${c.code}`);
const check = (r: EvidenceReport, id: string) => r.checks.find((c) => c.id === id)!;

describe('the vendor-sample fleet', () => {
  it('is nine real P-256 samples of five formats, one HSM each, holding the published keys', async () => {
    const p = await fleetPackage();
    expect(p.world.fleet.map((k) => k.keyId)).toEqual(VENDOR_SAMPLES.map((s) => s.keyId));
    expect(new Set(p.world.fleet.map((k) => k.hsmId)).size).toBe(VENDOR_SAMPLES.length);
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    expect(m.attestations.map((a) => `${a.format} ${a.level}`).sort()).toEqual([
      'crypto4a-qasm hardware-vendor',
      'entrust-nshield hardware-vendor',
      'marvell-liquidsecurity hardware-vendor',
      'yubihsm2 hardware-vendor',
      ...Array<string>(5).fill('yubikey-piv hardware-vendor'),
    ]);
    // The fleet keys are the keys the vendors' users published, not only what the verifier read.
    for (const s of PIV) {
      const spki = pemPublicKey(s.files[0]!.replace('_key_cert.pem', '_pubkey.pem'));
      expect(p.world.fleet[VENDOR_SAMPLES.indexOf(s)]!.publicKey).toEqual(parseSpki(spki, s.id).publicKey);
    }
    const marvell = samplesOf('marvell-liquidsecurity (google-cloud-hsm)')[0]!;
    const k = p.world.fleet[VENDOR_SAMPLES.findIndex((s) => s.id === marvell.id)]!;
    expect(k.publicKey).toEqual(hexDecode(marvell.expect.ec_point as string));
  });

  it('verifies under the production profile: every check ok, each key bound by its key alone', async () => {
    const p = await fleetPackage();
    expect(p.world.trustJson.profile).toBe('production');
    const r = await verifyEvidence(p.files, p.world.trust, { profile: 'production' });
    expect(failed(r)).toEqual([]);
    expect(r).toMatchObject({ ok: true, profile: 'production', subject: { rehearsal: false } });
    for (const s of VENDOR_SAMPLES) {
      const reason = check(r, `attestation:${s.keyId}`).reason;
      expect(reason).toContain('level hardware-vendor');
      expect(reason).toContain(`serial ${s.hsm.serial}`);
      expect(reason).toContain('the format carries no challenge: bound by the expected key');
    }
    // The nShield has no X.509 identity: its warrant chain is checked inside the attestation.
    expect(check(r, 'devices').reason).toMatch(/^8 of 9 HSMs reported an identity chain/);
  });

  it.each(VENDOR_SAMPLES.map((s) => [s.id, s] as const))(
    'without %s (the fleet each swap from it starts from) verifies',
    async (_id, b) => {
      const p = await fleetPackage(b);
      expect(failed(await verifyEvidence(p.files, p.world.trust))).toEqual([]);
    },
  );
});

describe("a fleet key swapped for another sample's attested key, re-signed", () => {
  it.each(named)('%s: refused by that key’s attestation check, and by nothing else', async (_n, a, b) => {
    const { files, good } = await swapped(a, b, 'key');
    const r = await verifyEvidence(files, good.world.trust);
    expect(r.ok).toBe(false);
    expect(failed(r)).toEqual([`attestation:${a.keyId} ATTEST_PUBLIC_KEY_MISMATCH`]);
    // The device is the right one: only the key is not the attested one.
    expect(check(r, `attestation:${a.keyId}`).reason).toMatch(
      /: ATTEST_PUBLIC_KEY_MISMATCH: the attested key is not the expected fleet key$/,
    );
  });
});

describe("a fleet key carrying another sample's attestation (its digest in the fleet key set), re-signed", () => {
  it.each(named)('%s: refused with key and serial mismatch, and by nothing else', async (_n, a, b) => {
    const { files, good } = await swapped(a, b, 'attestation');
    const r = await verifyEvidence(files, good.world.trust);
    expect(failed(r)).toEqual([`attestation:${a.keyId} ATTEST_PUBLIC_KEY_MISMATCH`]);
    const reason = check(r, `attestation:${a.keyId}`).reason;
    expect(reason).toContain('ATTEST_PUBLIC_KEY_MISMATCH: the attested key is not the expected fleet key');
    expect(reason).toContain(
      `ATTEST_SERIAL_MISMATCH: the attestation names device serial ${JSON.stringify(b.hsm.serial)}, expected ${JSON.stringify(a.hsm.serial)}`,
    );
  });
});

describe('the offline verifier CLI', () => {
  it('exits 1 on a swapped package and names the key; 0 on the same fleet unswapped', async () => {
    const [a, b] = [ACROSS[1]!, PIV[0]!];
    const { files, good } = await swapped(a, b, 'key');
    const base = mkdtempSync(join(tmpdir(), 'fc-vendor-swap-'));
    cleanups.push(async () => rmSync(base, { recursive: true, force: true }));
    const dir = join(base, 'package');
    for (const [path, bytes] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const bad = await cli(['verify', dir, '--trust', good.trustFile]);
    expect(bad.status, bad.stderr).toBe(1);
    const fails = bad.stderr.split('\n').filter((l) => l.startsWith('FAIL '));
    expect(fails).toEqual([
      expect.stringMatching(new RegExp(`^FAIL attestation:${a.keyId.replace(/\./g, '\\.')}: `)),
    ]);
    expect(bad.stderr).toContain('ATTEST_PUBLIC_KEY_MISMATCH');
    const ok = await cli(['verify', good.dir, '--trust', good.trustFile]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).not.toContain('FAIL ');
  });
});
