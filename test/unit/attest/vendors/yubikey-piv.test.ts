/**
 * YubiKey PIV attestations: the five Sigstore keyholder samples give exactly the facts
 * manifest.json lists and their published public keys; fixtures under a test root cover the
 * extension rules no real sample breaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttestationResult, AttestationVerifyOptions } from '../../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import type { ExtSpec } from '../support/cert-write.js';
import type { TestHierarchy } from '../support/yubico-fixtures.js';
import { makeAttestation, makeHierarchy, piv, pivKeyExtensions } from '../support/yubico-fixtures.js';
import { CHECKED_ON, pemCert, pemPublicKey, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const PIV_ROOT = pemCert('yubikey-piv/yubico-piv-root-ca-263751.pem');
const options = (o: Partial<AttestationVerifyOptions> = {}): AttestationVerifyOptions => ({
  trustedRoots: [PIV_ROOT],
  now: CHECKED_ON,
  ...o,
});
const evidence = (files: Record<string, string | string[]>) => ({
  format: 'yubikey-piv',
  statement: pemCert(files.attestation as string),
  chain: [pemCert(files.device_certificate as string)],
});
const FORM_FACTOR: Record<number, string> = { 1: 'USB-A keychain', 3: 'USB-C keychain' };

describe('yubikey-piv: real samples (manifest.json)', () => {
  const samples = samplesOf('yubico-yubikey-piv');

  it('has the five Sigstore keyholder samples', () => {
    expect(samples).toHaveLength(5);
  });

  it.each(samples.map((s) => [s.id, s] as const))(
    '%s verifies with the manifest facts',
    async (_id, sample) => {
      const e = sample.expect;
      const r = await verifyAttestation(evidence(sample.files), options());
      expect(r.failures).toEqual([]);
      expect(r).toMatchObject({
        ok: e.chain_valid,
        format: 'yubikey-piv',
        level: 'hardware-vendor',
        vendor: 'Yubico',
        model: `YubiKey (${FORM_FACTOR[e.form_factor as number]})`,
        serial: String(e.serial),
        firmware: e.firmware,
        origin: 'generated',
        exportable: false,
        sensitive: true,
        attributes: {
          algorithm: e.algorithm,
          slot: e.slot,
          pinPolicy: e.pin_policy,
          touchPolicy: e.touch_policy,
          formFactor: `0x0${e.form_factor}`,
        },
      });
      expect(r.chain).toEqual([
        'CN=YubiKey PIV Attestation 9c',
        'CN=Yubico PIV Attestation',
        'CN=Yubico PIV Root CA Serial 263751',
      ]);
      expect(e.public_key_matches).toBe(true);
      expect(r.publicKey?.spki).toEqual(pemPublicKey(sample.files.public_key as string));
    },
  );

  const [first, second] = samples;
  it('refuses the YubiHSM root and an expected challenge', async () => {
    const hsmRoot = pemCert('yubihsm2/yubihsm-root-ca.pem');
    expect(
      codes(await verifyAttestation(evidence(first!.files), options({ trustedRoots: [hsmRoot] }))),
    ).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    const r = await verifyAttestation(
      evidence(first!.files),
      options({ expectedChallenge: Uint8Array.of(1) }),
    );
    expect(codes(r)).toEqual(['ATTEST_CHALLENGE_UNSUPPORTED']);
  });

  it('refuses a slot certificate with the F9 certificate of another YubiKey', async () => {
    const mixed = { ...evidence(first!.files), chain: evidence(second!.files).chain };
    expect(codes(await verifyAttestation(mixed, options()))).toEqual(['ATTEST_SIGNATURE_INVALID']);
  });

  it('refuses after the root expires (2052-04-17) unless validating at the attestation time', async () => {
    const later = new Date('2053-01-01T00:00:00Z');
    expect(codes(await verifyAttestation(evidence(first!.files), options({ now: later })))).toEqual(
      Array(3).fill('ATTEST_EXPIRED'),
    );
    const r = await verifyAttestation(
      evidence(first!.files),
      options({ now: later, validateAtAttestationTime: true }),
    );
    expect(r.failures).toEqual([]);
    expect(r.verificationTime).toEqual(new Date('2016-03-14T00:00:00Z'));
  });
});

describe('yubikey-piv: extension handling (test hierarchy)', () => {
  let h: TestHierarchy;
  beforeAll(async () => {
    h = await makeHierarchy('Yubico PIV Attestation', [piv.firmware(5, 4, 3)]);
  });
  const run = async (extensions: ExtSpec[]) =>
    verifyAttestation(
      {
        format: 'yubikey-piv',
        statement: await makeAttestation(h, 'YubiKey PIV Attestation 9a', extensions),
        chain: [h.device, h.sub],
      },
      options({ trustedRoots: [h.root] }),
    );
  const replace = (ext: ExtSpec) => pivKeyExtensions().map((e) => (e.oid === ext.oid ? ext : e));

  it('accepts the good fixture, and one without the optional form factor', async () => {
    const r = await run(pivKeyExtensions());
    expect(r.failures).toEqual([]);
    expect(r.attributes).toMatchObject({ slot: '9a', pinPolicy: 'always', touchPolicy: 'always' });
    const noFf = await run(pivKeyExtensions().filter((e) => e.oid !== piv.formFactor(0).oid));
    expect(noFf.failures).toEqual([]);
    expect(noFf.model).toBe('YubiKey');
  });

  it.each([
    ['firmware', piv.firmware(0, 0, 0).oid],
    ['serial', piv.serial(1).oid],
    ['policy', piv.policy(1, 1).oid],
  ])('refuses a slot certificate without %s', async (_name, oid) => {
    expect(codes(await run(pivKeyExtensions().filter((e) => e.oid !== oid)))).toEqual([
      'ATTEST_EXTENSION_MISSING',
    ]);
  });

  it.each([
    ['firmware of 4 bytes', { oid: piv.firmware(0, 0, 0).oid, value: Uint8Array.of(5, 4, 3, 0) }],
    ['firmware DER-wrapped', { oid: piv.firmware(0, 0, 0).oid, value: Uint8Array.of(4, 3, 5, 4, 3) }],
    ['serial as raw bytes', { oid: piv.serial(1).oid, value: Uint8Array.of(0, 0, 0x15, 0xb3) }],
    ['PIN policy 6', piv.policy(6, 2)],
    ['touch policy 0', piv.policy(3, 0)],
    ['a form factor of 2 bytes', { oid: piv.formFactor(0).oid, value: Uint8Array.of(3, 0) }],
  ])('refuses %s', async (_name, ext) => {
    expect(codes(await run(replace(ext)))).toEqual(['ATTEST_EXTENSION_INVALID']);
  });

  it('names FIPS form factors and reports the policies', async () => {
    const r = await run([piv.firmware(5, 4, 3), piv.serial(5555), piv.policy(2, 3), piv.formFactor(0x83)]);
    expect(r.model).toBe('YubiKey (USB-C keychain FIPS)');
    expect(r.attributes).toMatchObject({ pinPolicy: 'once', touchPolicy: 'cached', formFactor: '0x83' });
  });

  it('refuses an F9 certificate whose firmware differs', async () => {
    expect(codes(await run(replace(piv.firmware(5, 4, 2))))).toEqual(['ATTEST_ATTRIBUTE_MISMATCH']);
  });
});
