/**
 * verifyEvidence on a real package: it verifies, every check is reported with a reason, the
 * options are strict, production refuses emulated evidence, a time can be judged, nothing is read
 * past a failed integrity check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexDecode, utf8Encode } from '../../../ceremony/codec/index.js';
import { parseTrustFile } from '../../../ceremony/bundle/index.js';
import {
  CHECKS,
  EVIDENCE_FILES,
  formatEvidenceReport,
  verifyEvidence,
} from '../../../ceremony/verify/index.js';
import { copy } from '../evidence/fixture/forge.js';
import { testPackage } from '../evidence/fixture/package.js';
import type { TestPackage } from '../evidence/fixture/package.js';

let p: TestPackage;
beforeAll(async () => {
  p = await testPackage();
});
afterAll(async () => p?.cleanup());

describe('verifyEvidence', () => {
  it('verifies a package the writer made, every check passing with a reason', async () => {
    const r = await verifyEvidence(p.files, p.world.trust);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    const ids = new Set(
      r.checks.map((c) => (c.id.startsWith('attestation:') ? 'attestation:<keyId>' : c.id)),
    );
    expect([...ids].sort()).toEqual(Object.keys(CHECKS).sort());
    expect(r.checks.filter((c) => c.id.startsWith('attestation:'))).toHaveLength(3);
    for (const c of r.checks) expect(c.reason.length).toBeGreaterThan(5);
    expect(r.subject).toMatchObject({
      fleetId: 'fleet-test',
      epoch: '1',
      hsms: 3,
      keys: 3,
      rehearsal: true,
      evidenceSha256: p.written.evidenceSha256,
      keySetSha256: p.written.keySetSha256,
    });
    expect(formatEvidenceReport(r)).toMatch(/^VERIFIED: .*\n {2}REHEARSAL — emulated HSMs, not hardware/);
  });

  it('refuses emulated HSMs under the production profile, naming the level', async () => {
    const r = await verifyEvidence(p.files, p.world.trust, { profile: 'production' });
    expect(r.ok).toBe(false);
    const failed = r.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.id)).toEqual([
      'attestation:fleet-session-1',
      'attestation:fleet-session-2',
      'attestation:fleet-session-3',
    ]);
    for (const c of failed) expect(c.code).toBe('ATTEST_LEVEL_REFUSED');
    expect(failed[0]!.reason).toMatch(/emulated HSM/);
  });

  it('refuses to loosen a production trust file to rehearsal, and checks its options', async () => {
    const prod = parseTrustFile(
      JSON.stringify({ ...p.world.trustJson, profile: 'production' }),
      'trust.json',
    );
    await expect(verifyEvidence(p.files, prod, { profile: 'rehearsal' })).rejects.toMatchObject({
      code: 'EVIDENCE_OPTION_INVALID',
      field: 'profile',
    });
    const r = await verifyEvidence(p.files, prod);
    expect(r.profile).toBe('production');
    expect(r.ok).toBe(false);
    await expect(verifyEvidence(p.files, p.world.trust, { now: -1 })).rejects.toMatchObject({
      code: 'EVIDENCE_OPTION_INVALID',
    });
    await expect(
      verifyEvidence(p.files, p.world.trust, { lastSeen: { epoch: 0, digest: new Uint8Array(32) } }),
    ).rejects.toMatchObject({ field: 'lastSeen.epoch' });
    await expect(
      verifyEvidence(p.files, p.world.trust, { lastSeen: { epoch: 1, digest: new Uint8Array(31) } }),
    ).rejects.toMatchObject({ field: 'lastSeen.digest' });
  });

  it('judges the validity window at a given time: inside passes, after expiry fails', async () => {
    const inside = await verifyEvidence(p.files, p.world.trust, { now: Date.now() + 86_400_000 });
    expect(inside.ok).toBe(true);
    const late = await verifyEvidence(p.files, p.world.trust, {
      now: new Date(Date.now() + 400 * 86_400_000),
    });
    expect(late.checks.find((c) => c.id === 'bundle.validity')).toMatchObject({
      ok: false,
      code: 'BUNDLE_EXPIRED',
    });
    expect(late.checks.find((c) => c.id === 'bundle.rollback')).toMatchObject({ skipped: true });
    expect(late.checks.find((c) => c.id === 'bundle.log')).toMatchObject({ ok: true });
  });

  it('accepts the same or a newer epoch, refuses a replayed older one and another set for the same epoch', async () => {
    const digest = hexDecode(p.written.keySetSha256);
    expect((await verifyEvidence(p.files, p.world.trust, { lastSeen: { epoch: 1, digest } })).ok).toBe(true);
    const older = await verifyEvidence(p.files, p.world.trust, {
      lastSeen: { epoch: 2n, digest: new Uint8Array(32) },
    });
    expect(older.checks.find((c) => c.id === 'bundle.rollback')).toMatchObject({
      ok: false,
      code: 'BUNDLE_ROLLBACK',
    });
    const fork = await verifyEvidence(p.files, p.world.trust, {
      lastSeen: { epoch: 1, digest: new Uint8Array(32) },
    });
    expect(fork.checks.find((c) => c.id === 'bundle.rollback')).toMatchObject({
      ok: false,
      code: 'BUNDLE_EQUIVOCATION',
    });
  });

  it('reads nothing of a package whose integrity fails: the content checks are skipped', async () => {
    const files = copy(p.files);
    files.set(EVIDENCE_FILES.bundle, utf8Encode('not a bundle'));
    const r = await verifyEvidence(files, p.world.trust);
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => c.id === 'package.digests')).toMatchObject({
      ok: false,
      code: 'EVIDENCE_DIGEST_MISMATCH',
    });
    const after = r.checks.slice(r.checks.findIndex((c) => c.id === 'manifest'));
    expect(after.length).toBeGreaterThan(10);
    for (const c of after) expect(c.skipped).toBe(true);
    expect(r.subject).toBeUndefined();
  });

  it('trusts only the trust file: a package signed by an unpinned key is refused', async () => {
    const other = parseTrustFile(
      JSON.stringify({
        ...p.world.trustJson,
        operator_keys: [
          {
            algorithm: 'ed25519',
            public_key: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
          },
        ],
      }),
      'trust.json',
    );
    const r = await verifyEvidence(p.files, other);
    expect(r.checks.find((c) => c.id === 'package.signature')).toMatchObject({
      ok: false,
      code: 'EVIDENCE_SIGNATURE_INVALID',
    });
  });
});
