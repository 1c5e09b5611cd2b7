/**
 * The verifier against the real emulated HSM (ceremony/hsm/emulated): a vendor, an enrolled
 * device, one key per algorithm, each attestation verified, checked by policy, and its chain
 * accepted by `openssl verify` too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAttestationPolicy } from '../../../../ceremony/attest/policy.js';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import { pemEncode } from '../../../../ceremony/codec/index.js';
import type { EmulatedHsm, EmulatedVendor } from '../../../../ceremony/hsm/emulated/index.js';
import {
  DEFAULT_FIRMWARE,
  DEFAULT_MODEL,
  createEmulatedVendor,
  enrollEmulatedDevice,
  openEmulatedHsm,
} from '../../../../ceremony/hsm/emulated/index.js';
import type { KeyAlgorithm } from '../../../../ceremony/hsm/types.js';

const PIN = 'correct horse 1';
let dir: string;
let vendor: EmulatedVendor;
let hsm: EmulatedHsm;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attest-hsm-'));
  vendor = await createEmulatedVendor(join(dir, 'vendor'), { name: 'rehearsal-vendor' });
  await enrollEmulatedDevice({
    vendorDir: vendor.dir,
    serial: 'EMU-42',
    dir: join(dir, 'device'),
    pin: PIN,
    kdf: { log2N: 10, r: 8, p: 1 },
  });
  hsm = await openEmulatedHsm({ dir: join(dir, 'device'), pin: PIN });
});
afterAll(async () => {
  await hsm?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('emulated-x509/v1 from the emulated HSM', () => {
  const algorithms: [KeyAlgorithm, string[]][] = [
    ['ed25519', ['sign']],
    ['p256', ['sign']],
    ['x25519', ['derive']],
  ];

  it.each(algorithms)('verifies an attested %s key', async (algorithm, usages) => {
    const key = await hsm.generateKey({ label: `fleet-${algorithm}`, algorithm });
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const att = await hsm.attestKey(key.label, challenge);
    const r = await verifyAttestation(att, {
      trustedRoots: [vendor.rootCertificate],
      now: new Date(),
      expectedChallenge: challenge,
    });
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({
      ok: true,
      level: 'emulated',
      vendor: 'rehearsal-vendor',
      model: DEFAULT_MODEL,
      serial: 'EMU-42',
      firmware: DEFAULT_FIRMWARE,
      origin: 'generated',
      exportable: false,
      sensitive: true,
      usages,
    });
    expect(r.chain).toHaveLength(3);

    const expectedPublicKey = { algorithm, publicKey: key.publicKey };
    expect(
      checkAttestationPolicy(r, { profile: 'rehearsal', expectedPublicKey, expectedSerial: 'EMU-42' }),
    ).toEqual([]);
    const production = checkAttestationPolicy(r, { profile: 'production', expectedPublicKey });
    expect(production.map((f) => f.code)).toEqual(['ATTEST_LEVEL_REFUSED']);

    const other = await verifyAttestation(att, {
      trustedRoots: [vendor.rootCertificate],
      now: new Date(),
      expectedChallenge: new Uint8Array(32),
    });
    expect(other.failures.map((f) => f.code)).toEqual(['ATTEST_CHALLENGE_MISMATCH']);
  });

  it('produces a chain openssl verify accepts', async () => {
    const att = await hsm.attestKey('fleet-p256', Uint8Array.of(1, 2, 3));
    writeFileSync(join(dir, 'root.pem'), pemEncode('CERTIFICATE', vendor.rootCertificate));
    writeFileSync(join(dir, 'device.pem'), pemEncode('CERTIFICATE', att.chain[0]!));
    writeFileSync(join(dir, 'key.pem'), pemEncode('CERTIFICATE', att.statement));
    const out = execFileSync(
      'openssl',
      ['verify', '-CAfile', 'root.pem', '-untrusted', 'device.pem', 'key.pem'],
      { cwd: dir },
    );
    expect(out.toString().trim()).toBe('key.pem: OK');
  });

  it('is refused when another vendor root is pinned', async () => {
    const otherVendor = await createEmulatedVendor(join(dir, 'other-vendor'), { name: 'rehearsal-vendor' });
    const att = await hsm.attestKey('fleet-p256', Uint8Array.of(1));
    const r = await verifyAttestation(att, { trustedRoots: [otherVendor.rootCertificate], now: new Date() });
    // The device certificate names a root of the same name; its key did not sign it. (The copy of
    // the real root in the chain is followed too, and leads to no pinned root within 3 certificates.)
    expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_SIGNATURE_INVALID', 'ATTEST_CHAIN_UNTRUSTED']);
  });
});
