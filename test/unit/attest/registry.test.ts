/**
 * The format registry and the entry point: built-ins registered, duplicates and bad ids refused,
 * dispatch by `format`, and bad evidence turned into results while bad options throw.
 */
import { describe, expect, it } from 'vitest';
import {
  attestationFormats,
  findAttestationFormat,
  registerAttestationFormat,
} from '../../../ceremony/attest/registry.js';
import type { AttestationFormat, AttestationResult, KeyAttestation } from '../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../ceremony/attest/verify.js';
import { failedResult } from '../../../ceremony/attest/result.js';
import { MalformedError, UsageError } from '../../../ceremony/errors.js';
import { CHECKED_ON, pemCert } from './support/vectors.js';

const now = CHECKED_ON;
const options = { trustedRoots: [], now };
const ok = (format: string): AttestationResult => ({
  ...failedResult(format, now, 'ATTEST_MALFORMED', ''),
  ok: true,
  failures: [],
});

describe('registry', () => {
  it('has the built-in formats', () => {
    const ids = attestationFormats().map((f) => f.id);
    for (const id of ['emulated-x509/v1', 'pkcs11-attributes/v1', 'yubihsm2', 'yubikey-piv'])
      expect(ids).toContain(id);
    expect(ids).toEqual([...ids].sort());
  });

  it('refuses a second verifier for a registered id', () => {
    const lenient: AttestationFormat = { id: 'yubihsm2', verify: async () => ok('yubihsm2') };
    expect(() => registerAttestationFormat(lenient)).toThrow(UsageError);
    expect(findAttestationFormat('yubihsm2')).not.toBe(lenient);
  });

  it.each(['', 'Upper', 'has space', 'x'.repeat(65), '-leading'])('refuses the id %j', (id) => {
    expect(() => registerAttestationFormat({ id, verify: async () => ok(id) })).toThrow(
      /not a valid plug-in/,
    );
  });

  it('dispatches to a registered plug-in and forces ok to agree with the failures', async () => {
    registerAttestationFormat({ id: 'test-plugin/v1', verify: async () => ok('test-plugin/v1') });
    registerAttestationFormat({
      id: 'test-liar/v1',
      verify: async () => ({ ...ok('test-liar/v1'), failures: [{ code: 'ATTEST_X', reason: 'x' }] }),
    });
    const evidence = (format: string): KeyAttestation => ({ format, statement: new Uint8Array(), chain: [] });
    expect((await verifyAttestation(evidence('test-plugin/v1'), options)).ok).toBe(true);
    expect((await verifyAttestation(evidence('test-liar/v1'), options)).ok).toBe(false);
  });
});

describe('verifyAttestation', () => {
  const yubihsm = {
    format: 'yubihsm2',
    statement: pemCert('yubihsm2/key-0x7e57-attestation.pem'),
    chain: [],
  };

  it('gives ATTEST_FORMAT_UNKNOWN for an unregistered format', async () => {
    const r = await verifyAttestation({ ...yubihsm, format: 'acme/v9' }, options);
    expect(r).toMatchObject({
      ok: false,
      format: 'acme/v9',
      level: 'emulated',
      origin: 'unknown',
      exportable: undefined,
    });
    expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_FORMAT_UNKNOWN']);
  });

  it('gives ATTEST_MALFORMED for evidence that is not an attestation object', async () => {
    for (const bad of [null, 'x', { statement: new Uint8Array() }]) {
      const r = await verifyAttestation(bad as unknown as KeyAttestation, options);
      expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_MALFORMED']);
    }
    const notBytes = await verifyAttestation(
      { ...yubihsm, chain: ['x'] } as unknown as KeyAttestation,
      options,
    );
    expect(notBytes.failures.map((f) => f.code)).toEqual(['ATTEST_MALFORMED']);
  });

  it('turns a verifier that throws into a result', async () => {
    registerAttestationFormat({ id: 'test-throws/v1', verify: () => Promise.reject(new Error('boom')) });
    registerAttestationFormat({
      id: 'test-malformed/v1',
      verify: () => Promise.reject(new MalformedError('X', 'bad')),
    });
    const e = (format: string) => ({ format, statement: new Uint8Array(), chain: [] });
    expect((await verifyAttestation(e('test-throws/v1'), options)).failures.map((f) => f.code)).toEqual([
      'ATTEST_INTERNAL_ERROR',
    ]);
    expect((await verifyAttestation(e('test-malformed/v1'), options)).failures.map((f) => f.code)).toEqual([
      'ATTEST_MALFORMED',
    ]);
  });

  it.each([
    ['a time source of now with another time', { verificationTime: new Date(0) }],
    ['a time source of attestation that was not asked for', { verificationTimeSource: 'attestation' }],
    ['an unknown time source', { verificationTimeSource: 'given' }],
    ['a path that is not bytes', { path: ['MIIB'] }],
    ['a refusal that names no failure', { ok: false }],
  ])('turns a plug-in result with %s into ATTEST_INTERNAL_ERROR', async (name, change) => {
    const id = `test-bad-${name.split(' ').slice(-2).join('-')}/v1`;
    registerAttestationFormat({ id, verify: async () => ({ ...ok(id), ...change }) as AttestationResult });
    const r = await verifyAttestation({ format: id, statement: new Uint8Array(), chain: [] }, options);
    expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_INTERNAL_ERROR']);
    expect(r).toMatchObject({ ok: false, verificationTimeSource: 'now', verificationTime: now });
    // The same plug-in result, well-formed, passes.
    const fine = `${id.slice(0, -3)}-fine/v1`;
    registerAttestationFormat({ id: fine, verify: async () => ok(fine) });
    expect(
      (await verifyAttestation({ format: fine, statement: new Uint8Array(), chain: [] }, options)).ok,
    ).toBe(true);
  });

  it('passes an attestation time on when it was asked for', async () => {
    const at = new Date('2017-01-01T00:00:00Z');
    registerAttestationFormat({
      id: 'test-own-time/v1',
      verify: async () => ({
        ...ok('test-own-time/v1'),
        verificationTime: at,
        verificationTimeSource: 'attestation',
      }),
    });
    const e = { format: 'test-own-time/v1', statement: new Uint8Array(), chain: [] };
    const r = await verifyAttestation(e, { ...options, validateAtAttestationTime: true });
    expect(r).toMatchObject({ ok: true, verificationTime: at, verificationTimeSource: 'attestation' });
  });

  it.each([
    ['now is not a Date', { trustedRoots: [], now: '2026-01-01' }],
    ['now is an invalid Date', { trustedRoots: [], now: new Date('x') }],
    ['trustedRoots is not a list', { trustedRoots: 'x', now }],
    ['a root is not bytes', { trustedRoots: ['x'], now }],
    ['the challenge is not bytes', { trustedRoots: [], now, expectedChallenge: 'abc' }],
    ['validateAtAttestationTime is not a boolean', { trustedRoots: [], now, validateAtAttestationTime: 1 }],
  ])('throws ATTEST_OPTIONS_INVALID when %s', async (_name, bad) => {
    await expect(verifyAttestation(yubihsm, bad as never)).rejects.toMatchObject({
      code: 'ATTEST_OPTIONS_INVALID',
    });
  });

  it('skips pinned roots that are not certificates (a bare vendor key) without trusting anything new', async () => {
    const spkiOnly = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
    const root = pemCert('yubihsm2/yubihsm-root-ca.pem');
    const chain = [
      pemCert('yubihsm2/device-31650425-attestation-cert.pem'),
      pemCert('yubihsm2/yubihsm-6742036-sub-ca.pem'),
    ];
    const r = await verifyAttestation({ ...yubihsm, chain }, { trustedRoots: [spkiOnly, root], now });
    expect(r.ok).toBe(true);
    const none = await verifyAttestation({ ...yubihsm, chain }, { trustedRoots: [spkiOnly], now });
    expect(none.failures.map((f) => f.code)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
  });
});
