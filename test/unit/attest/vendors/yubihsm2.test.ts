/**
 * YubiHSM 2 key attestations: the real samples of test/vectors/attestation/yubihsm2 give exactly
 * the facts manifest.json lists; Yubico-shaped fixtures under a test root cover what no real
 * sample shows (missing extensions, imported or exportable keys).
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { hexEncode, pemDecode } from '../../../../ceremony/codec/index.js';
import type { AttestationResult, AttestationVerifyOptions } from '../../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import type { ExtSpec } from '../support/cert-write.js';
import { makeDevice, makeKeyCert, makeKeySpki, makeRoot } from '../support/emulated-fixtures.js';
import type { TestHierarchy } from '../support/yubico-fixtures.js';
import { hsm, hsmKeyExtensions, makeAttestation, makeHierarchy } from '../support/yubico-fixtures.js';
import { CHECKED_ON, VECTORS, pemCert, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const YUBIHSM_ROOT = pemCert('yubihsm2/yubihsm-root-ca.pem');

function sampleEvidence(files: Record<string, string | string[]>) {
  const chain = [files.device_certificate as string, ...(files.intermediates as string[])].map(pemCert);
  return { format: 'yubihsm2', statement: pemCert(files.attestation as string), chain };
}
const options = (o: Partial<AttestationVerifyOptions> = {}): AttestationVerifyOptions => ({
  trustedRoots: [YUBIHSM_ROOT],
  now: CHECKED_ON,
  ...o,
});

describe('yubihsm2: real samples (manifest.json)', () => {
  const samples = samplesOf('yubico-yubihsm2');

  it('has the two samples the README lists', () => {
    expect(samples.map((s) => s.id)).toEqual(['yubihsm2-31650425-0x7e57', 'yubihsm2-20783176-0x0024']);
  });

  it.each(samples.map((s) => [s.id, s] as const))(
    '%s verifies with the manifest facts',
    async (_id, sample) => {
      const r = await verifyAttestation(sampleEvidence(sample.files), options());
      const key = sample.expect.key as Record<string, unknown>;
      const device = sample.expect.device as Record<string, unknown>;
      expect(r.failures).toEqual([]);
      expect(r).toMatchObject({
        ok: sample.expect.chain_valid,
        format: 'yubihsm2',
        level: 'hardware-vendor',
        vendor: 'Yubico',
        model: 'YubiHSM 2',
        serial: String(device.serial),
        firmware: device.firmware,
        origin: (key.origin_names as string[])[0],
        exportable: false,
        sensitive: true,
        usages: key.capability_names,
        verificationTime: CHECKED_ON,
        attributes: {
          algorithm: key.algorithm,
          objectId: key.object_id,
          label: key.label,
          origin: '0x01',
          domains: (key.domains as number[]).join(','),
          capabilities: key.capabilities,
        },
      });
      expect(key.serial).toBe(device.serial);
      expect(r.chain.at(-1)).toBe('CN=Yubico YubiHSM Root CA');
      const pub = execFileSync('openssl', [
        'x509',
        '-in',
        VECTORS + (sample.files.attestation as string),
        '-noout',
        '-pubkey',
      ]);
      expect(r.publicKey?.spki).toEqual(pemDecode(pub.toString(), 'PUBLIC KEY'));
      if (sample.expect.spki_sha256 !== undefined)
        expect(hexEncode(r.publicKey!.sha256)).toBe(sample.expect.spki_sha256);
      if (sample.expect.csr_key_matches === true) {
        const csrKey = execFileSync('openssl', [
          'req',
          '-in',
          VECTORS + (sample.files.csr as string),
          '-noout',
          '-pubkey',
        ]);
        expect(r.publicKey?.spki).toEqual(pemDecode(csrKey.toString(), 'PUBLIC KEY'));
      }
    },
  );

  const [first] = samples;
  it('gives the full chain of subjects', async () => {
    const r = await verifyAttestation(sampleEvidence(first!.files), options());
    expect(r.chain).toEqual([
      'CN=YubiHSM Attestation id:0x7e57',
      'CN=YubiHSM Attestation (31650425)',
      'CN=Yubico YubiHSM 6742036 Sub-CA',
      'CN=Yubico YubiHSM Root CA',
    ]);
  });

  it('refuses other pinned roots: the PIV root, the newer Yubico Attestation Root 1', async () => {
    for (const root of [
      'yubikey-piv/yubico-piv-root-ca-263751.pem',
      'yubico-pki/yubico-attestation-root-1.pem',
    ]) {
      const r = await verifyAttestation(
        sampleEvidence(first!.files),
        options({ trustedRoots: [pemCert(root)] }),
      );
      expect(codes(r)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    }
  });

  it('refuses an expected challenge: YubiHSM 2 attestations carry none', async () => {
    const r = await verifyAttestation(
      sampleEvidence(first!.files),
      options({ expectedChallenge: Uint8Array.of(1) }),
    );
    expect(codes(r)).toEqual(['ATTEST_CHALLENGE_UNSUPPORTED']);
  });

  it('refuses after the roots expire, unless validating at the attestation time (the fixed 2017-01-01)', async () => {
    const later = new Date('2072-01-01T00:00:00Z');
    const r = await verifyAttestation(sampleEvidence(first!.files), options({ now: later }));
    expect(codes(r)).toEqual(Array(4).fill('ATTEST_EXPIRED'));
    const atTime = await verifyAttestation(
      sampleEvidence(first!.files),
      options({ now: later, validateAtAttestationTime: true }),
    );
    expect(atTime.failures).toEqual([]);
    expect(atTime.verificationTime).toEqual(new Date('2017-01-01T00:00:00Z'));
  });

  it('refuses a key attestation whose device certificate is from another device', async () => {
    const [a, b] = samples;
    const mixed = { ...sampleEvidence(a!.files), chain: sampleEvidence(b!.files).chain };
    expect(codes(await verifyAttestation(mixed, options()))).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
  });
});

describe('yubihsm2: extension handling (test hierarchy)', () => {
  let h: TestHierarchy;
  beforeAll(async () => {
    h = await makeHierarchy('YubiHSM Attestation (1234)', [hsm.firmware(2, 4, 0), hsm.serial(1234)]);
  });
  const run = async (extensions: ExtSpec[]) =>
    verifyAttestation(
      {
        format: 'yubihsm2',
        statement: await makeAttestation(h, 'YubiHSM Attestation id:0x0042', extensions),
        chain: [h.device, h.sub],
      },
      options({ trustedRoots: [h.root] }),
    );
  const replace = (ext: ExtSpec) => hsmKeyExtensions().map((e) => (e.oid === ext.oid ? ext : e));

  it('accepts the good fixture', async () => {
    expect((await run(hsmKeyExtensions())).failures).toEqual([]);
  });

  it('treats a missing capabilities extension as a failure and exportability as unknown', async () => {
    const r = await run(hsmKeyExtensions().filter((e) => e.oid !== hsm.capabilities(0n).oid));
    expect(r.exportable).toBeUndefined();
    expect(codes(r)).toEqual(['ATTEST_EXTENSION_MISSING', 'ATTEST_EXPORTABILITY_UNKNOWN']);
  });

  it('reports exportable-under-wrap as exportable', async () => {
    const r = await run(replace(hsm.capabilities(0x80n | (1n << 16n))));
    expect(r.exportable).toBe(true);
    expect(r.usages).toEqual(['sign-ecdsa', 'exportable-under-wrap']);
    expect(codes(r)).toEqual(['ATTEST_KEY_EXPORTABLE']);
  });

  it.each([
    [0x02, 'imported', 'ATTEST_KEY_IMPORTED'],
    [0x11, 'replicated', 'ATTEST_KEY_IMPORTED'],
    [0x12, 'imported', 'ATTEST_KEY_IMPORTED'],
    [0x00, 'unknown', 'ATTEST_ORIGIN_UNKNOWN'],
    [0x03, 'unknown', 'ATTEST_ORIGIN_UNKNOWN'],
  ])('maps origin byte %d to %s', async (byte, origin, code) => {
    const r = await run(replace(hsm.origin(byte)));
    expect(r.origin).toBe(origin);
    expect(codes(r)).toEqual([code]);
  });

  it.each(['firmware', 'serial', 'origin', 'domains', 'capabilities', 'objectId', 'label'] as const)(
    'refuses a key attestation without %s',
    async (name) => {
      const oid = {
        firmware: '1',
        serial: '2',
        origin: '3',
        domains: '4',
        capabilities: '5',
        objectId: '6',
        label: '9',
      }[name];
      const r = await run(hsmKeyExtensions().filter((e) => e.oid !== `1.3.6.1.4.1.41482.4.${oid}`));
      expect(codes(r)).toContain('ATTEST_EXTENSION_MISSING');
    },
  );

  it.each([
    ['firmware of 2 bytes', { oid: '1.3.6.1.4.1.41482.4.1', value: Uint8Array.of(4, 2, 2, 4) }],
    [
      'capabilities of 63 bits',
      { oid: '1.3.6.1.4.1.41482.4.5', value: Uint8Array.of(3, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0x80) },
    ],
    ['domains of 8 bits', { oid: '1.3.6.1.4.1.41482.4.4', value: Uint8Array.of(3, 2, 0, 1) }],
    ['object id beyond 16 bits', { oid: '1.3.6.1.4.1.41482.4.6', value: Uint8Array.of(2, 3, 1, 0, 0) }],
    ['a zero serial', { oid: '1.3.6.1.4.1.41482.4.2', value: Uint8Array.of(2, 1, 0) }],
    ['a label as OCTET STRING', { oid: '1.3.6.1.4.1.41482.4.9', value: Uint8Array.of(4, 1, 0x61) }],
  ])('refuses %s', async (_name, ext) => {
    expect(codes(await run(replace(ext)))).toContain('ATTEST_EXTENSION_INVALID');
  });

  it('refuses a key attestation signed by a certificate that is not a YubiHSM device certificate', async () => {
    const bare = await makeHierarchy('YubiHSM Attestation (1234)', []);
    const statement = await makeAttestation(bare, 'YubiHSM Attestation id:0x0042', hsmKeyExtensions());
    const r = await verifyAttestation(
      { format: 'yubihsm2', statement, chain: [bare.device, bare.sub] },
      options({ trustedRoots: [bare.root] }),
    );
    expect(codes(r)).toEqual(['ATTEST_EXTENSION_MISSING', 'ATTEST_EXTENSION_MISSING']);
  });

  it('refuses a device certificate that disagrees with the key attestation', async () => {
    const r = await run(replace(hsm.serial(9999)));
    expect(codes(r)).toEqual(['ATTEST_ATTRIBUTE_MISMATCH']);
  });

  it('refuses a YubiHSM-shaped chain under an EMULATED root even when that root is pinned', async () => {
    const root = await makeRoot();
    const device = await makeDevice(root);
    const statement = await makeKeyCert(device, await makeKeySpki('p256'), {
      extensions: hsmKeyExtensions(),
    });
    const r = await verifyAttestation(
      { format: 'yubihsm2', statement, chain: [device.der] },
      options({ trustedRoots: [root.der] }),
    );
    expect(codes(r)).toContain('ATTEST_EMULATED_ROOT');
  });
});
