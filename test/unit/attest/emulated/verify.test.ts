/**
 * emulated-x509/v1 verification against independent fixtures (support/emulated-fixtures.ts):
 * the good chain, then each negative case changes one thing in it (extensions: ./extensions.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../../ceremony/crypto/index.js';
import type { AttestationResult, AttestationVerifyOptions } from '../../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import type { Issued } from '../support/emulated-fixtures.js';
import {
  CHALLENGE,
  DEVICE,
  NOT_BEFORE,
  NOW,
  deviceExtensions,
  keyExtensions,
  makeDevice,
  makeKeyCert,
  makeKeySpki,
  makeRoot,
} from '../support/emulated-fixtures.js';

let root: Issued;
let device: Issued;
let spki: Uint8Array;
let goodKey: Uint8Array;

beforeAll(async () => {
  root = await makeRoot();
  device = await makeDevice(root);
  spki = await makeKeySpki('p256');
  goodKey = await makeKeyCert(device, spki);
});

const options = (o: Partial<AttestationVerifyOptions> = {}): AttestationVerifyOptions => ({
  trustedRoots: [root.der],
  now: NOW,
  expectedChallenge: CHALLENGE,
  ...o,
});

function verify(statement: Uint8Array, chain = [device.der], o: Partial<AttestationVerifyOptions> = {}) {
  return verifyAttestation({ format: 'emulated-x509/v1', statement, chain }, options(o));
}

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);

describe('emulated-x509/v1: good evidence', () => {
  it('verifies and normalises the result', async () => {
    const r = await verify(goodKey);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r).toMatchObject({
      format: 'emulated-x509/v1',
      level: 'emulated',
      vendor: 'test',
      model: DEVICE.model,
      serial: DEVICE.serial,
      firmware: DEVICE.firmware,
      origin: 'generated',
      exportable: false,
      sensitive: true,
      usages: ['sign'],
      verificationTime: NOW,
      verificationTimeSource: 'now',
    });
    // The verified path: the device certificate that signed the key certificate, then the root.
    expect(r.path).toEqual([device.der, root.der]);
    expect(r.publicKey?.spki).toEqual(spki);
    expect(r.publicKey?.sha256).toEqual(sha256(spki));
    expect(r.challenge).toEqual(CHALLENGE);
    expect(r.chain).toEqual([
      'CN=fleet-key-1',
      'CN=EMULATED HSM EMU-0001',
      'CN=test EMULATED Vendor Root CA',
    ]);
  });

  it('accepts Ed25519 and X25519 keys with their usages', async () => {
    const ed = await makeKeySpki('ed25519');
    const x = await makeKeySpki('x25519');
    const edCert = await makeKeyCert(device, ed, { extensions: keyExtensions({ algorithm: 'ed25519' }) });
    const xCert = await makeKeyCert(device, x, {
      extensions: keyExtensions({ algorithm: 'x25519', usages: ['derive'] }),
    });
    expect((await verify(edCert)).failures).toEqual([]);
    const rx = await verify(xCert);
    expect(rx.failures).toEqual([]);
    expect(rx.publicKey?.spki).toEqual(x);
  });

  it('accepts a copy of the pinned root at the end of the chain, and no expected challenge', async () => {
    expect((await verify(goodKey, [device.der, root.der])).ok).toBe(true);
    expect((await verify(goodKey, [device.der], { expectedChallenge: undefined })).ok).toBe(true);
  });
});

describe('emulated-x509/v1: chain', () => {
  it('refuses a root with the same name but another key', async () => {
    const impostor = await makeRoot();
    const r = await verify(goodKey, [device.der], { trustedRoots: [impostor.der] });
    expect(codes(r)).toEqual(['ATTEST_SIGNATURE_INVALID']);
  });

  it('refuses when only another root is pinned', async () => {
    const other = await makeRoot({ cn: 'other EMULATED Vendor Root CA' });
    const r = await verify(goodKey, [device.der], { trustedRoots: [other.der] });
    expect(codes(r)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    expect(r.chain).toEqual(['CN=fleet-key-1', 'CN=EMULATED HSM EMU-0001']);
    expect(r.path).toBeUndefined();
  });

  it('refuses a chain without the device certificate', async () => {
    expect(codes(await verify(goodKey, []))).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
  });

  it('refuses an expired key certificate, unless validating at the attestation time', async () => {
    const expired = await makeKeyCert(device, spki, { notAfter: new Date('2026-03-01T00:00:00Z') });
    const r = await verify(expired);
    expect(codes(r)).toEqual(['ATTEST_EXPIRED']);
    const atTime = await verify(expired, [device.der], { validateAtAttestationTime: true });
    expect(atTime.failures).toEqual([]);
    expect(atTime.verificationTime).toEqual(NOT_BEFORE);
    expect(atTime.verificationTimeSource).toBe('attestation');
    expect(r.verificationTimeSource).toBe('now');
  });

  it('refuses an expired root and a certificate not yet valid', async () => {
    const oldRoot = await makeRoot({ notAfter: new Date('2026-02-01T00:00:00Z') });
    const oldDevice = await makeDevice(oldRoot);
    const cert = await makeKeyCert(oldDevice, spki);
    expect(codes(await verify(cert, [oldDevice.der], { trustedRoots: [oldRoot.der] }))).toEqual([
      'ATTEST_EXPIRED',
    ]);
    const early = await verify(goodKey, [device.der], { now: new Date('2025-12-31T23:59:59Z') });
    expect(new Set(codes(early))).toEqual(new Set(['ATTEST_NOT_YET_VALID']));
  });

  it('refuses a root without the EMULATED marker or without EMULATED in its name', async () => {
    for (const r0 of [await makeRoot({ marker: false }), await makeRoot({ cn: 'Real Vendor Root CA' })]) {
      const d = await makeDevice(r0);
      const r = await verify(await makeKeyCert(d, spki), [d.der], { trustedRoots: [r0.der] });
      expect(codes(r)).toEqual(['ATTEST_NOT_EMULATED_ROOT']);
    }
  });

  it('refuses a device certificate without the marker, without pathLen 0, or disagreeing', async () => {
    const noMarker = await makeDevice(root, { extensions: deviceExtensions().slice(0, 3) });
    expect(codes(await verify(await makeKeyCert(noMarker, spki), [noMarker.der]))).toEqual([
      'ATTEST_EXTENSION_MISSING',
    ]);
    const noPathLen = await makeDevice(root, { pathLen: null });
    expect(codes(await verify(await makeKeyCert(noPathLen, spki), [noPathLen.der]))).toEqual([
      'ATTEST_EXTENSION_INVALID',
    ]);
    const other = await makeDevice(root, { extensions: deviceExtensions({ ...DEVICE, serial: 'EMU-0009' }) });
    expect(codes(await verify(await makeKeyCert(other, spki), [other.der]))).toEqual([
      'ATTEST_ATTRIBUTE_MISMATCH',
    ]);
  });

  it('refuses a chain carrying a certificate that is not on the path', async () => {
    const stray = await makeRoot({ cn: 'stray EMULATED Vendor Root CA' });
    expect(codes(await verify(goodKey, [device.der, stray.der]))).toEqual(['ATTEST_CHAIN_EXTRA_CERTIFICATE']);
  });

  it('gives ATTEST_MALFORMED for evidence that is not a certificate', async () => {
    const r = await verify(Uint8Array.of(0x30, 0x00));
    expect(r).toMatchObject({
      ok: false,
      level: 'emulated',
      origin: 'unknown',
      exportable: undefined,
      chain: [],
    });
    expect(codes(r)).toEqual(['ATTEST_MALFORMED']);
  });
});
