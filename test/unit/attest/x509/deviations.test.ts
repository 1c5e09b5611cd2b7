/**
 * Every named deviation (ceremony/attest/x509/deviations.ts) against the real vendor certificate
 * that needs it (test/vectors/attestation): refused without the deviation with the specific code,
 * accepted and reported with it, and never loosening anything else.
 */
import { describe, expect, it } from 'vitest';
import type { ChainDeviation, ChainOptions } from '../../../../ceremony/attest/x509/index.js';
import { parseCertificate, verifyChain } from '../../../../ceremony/attest/x509/index.js';
import { CHECKED_ON, pemCert } from '../support/vectors.js';

const cert = (path: string) => parseCertificate(pemCert(path), path);
const codes = (r: { failures: { code: string }[] }) => r.failures.map((f) => f.code);

/** Verifies leaf ← intermediates ← root with `deviations` and the critical EKU handled where asked. */
function chain(paths: string[], root: string, opts: Partial<ChainOptions> = {}) {
  const [leaf, ...rest] = paths.map(cert);
  return verifyChain(leaf!, rest, { roots: [cert(root)], at: CHECKED_ON, ...opts });
}

const MARVELL = 'marvell-gcp-cloudhsm/';
const LUNA = 'thales-luna/extracted/rsa-pkc-';
const LUNA_RSA = [
  `${LUNA}0-proof-of-origin.pem`,
  `${LUNA}1-device-authentication.pem`,
  `${LUNA}2-hardware-origin.pem`,
  `${LUNA}3-mfg-integrity.pem`,
];
const EKU = ['2.5.29.37'];

describe('deviation zero-serial (Marvell LiquidSecurity 2024 root)', () => {
  const paths = [`${MARVELL}split/mfr-partition-cert.pem`, `${MARVELL}split/mfr-card-cert.pem`];
  const root = `${MARVELL}marvell-liquidsecurity-root-2024-reissue.pem`;

  it('is refused by default, naming the deviation', async () => {
    const r = await chain(paths, root, { deviations: ['v1-ca-certificate'] });
    expect(codes(r)).toEqual(['ATTEST_DEVIATION_NOT_ALLOWED']);
    expect(r.failures[0]!.reason).toMatch(/zero-serial/);
  });

  it('is accepted and reported when the format names it', async () => {
    const r = await chain(paths, root, { deviations: ['v1-ca-certificate', 'zero-serial'] });
    expect(r.failures).toEqual([]);
    expect(r.acceptedDeviations.map((d) => d.deviation).sort()).toEqual(['v1-ca-certificate', 'zero-serial']);
  });
});

describe('deviation v1-ca-certificate (Marvell manufacturer card certificate)', () => {
  const paths = [`${MARVELL}split/mfr-partition-cert.pem`, `${MARVELL}split/mfr-card-cert.pem`];
  const root = `${MARVELL}marvell-liquidsecurity-root-2024-reissue.pem`;

  it('is refused by default as not a CA', async () => {
    const r = await chain(paths, root, { deviations: ['zero-serial'] });
    expect(codes(r)).toEqual(['ATTEST_NOT_A_CA']);
    expect(r.failures[0]!.reason).toMatch(/v1-ca-certificate/);
  });

  it('also covers the v1 2015 root, at a time before it expired', async () => {
    const old = `${MARVELL}marvell-liquidsecurity-root-2015.pem`;
    const at = new Date('2025-01-01T00:00:00Z');
    expect(codes(await chain(paths, old, { at }))).toEqual(['ATTEST_NOT_A_CA', 'ATTEST_NOT_A_CA']);
    expect((await chain(paths, old, { at, deviations: ['v1-ca-certificate'] })).failures).toEqual([]);
    expect(codes(await chain(paths, old, { deviations: ['v1-ca-certificate'] }))).toEqual(['ATTEST_EXPIRED']);
  });
});

describe('deviation explicit-critical-false (Thales Luna RSA bundle)', () => {
  const root = 'thales-luna/chrysalis-its-root-80450000000D.pem';

  it('is refused by default, once per certificate that writes it', async () => {
    const r = await chain(LUNA_RSA, root, { handledCriticalExtensions: EKU });
    expect(codes(r)).toEqual(Array(3).fill('ATTEST_DEVIATION_NOT_ALLOWED'));
  });

  it('is accepted with the deviation, and the critical EKU must still be handled by the format', async () => {
    const ok = await chain(LUNA_RSA, root, {
      handledCriticalExtensions: EKU,
      deviations: ['explicit-critical-false'],
    });
    expect(ok.failures).toEqual([]);
    expect(ok.path.map((c) => c.subject).at(-1)).toMatch(/Chrysalis-ITS Root/);
    const r = await chain(LUNA_RSA, root, { deviations: ['explicit-critical-false'] });
    expect(new Set(codes(r))).toEqual(new Set(['ATTEST_UNHANDLED_CRITICAL_EXTENSION']));
  });
});

describe('deviation root-without-basic-constraints (Chrysalis-ITS root 804500000007)', () => {
  const root = 'thales-luna/luna-rsa-root-certificate.pem';
  const deviations: ChainDeviation[] = ['explicit-critical-false'];

  it('is refused by default (OpenSSL error 79 too)', async () => {
    const r = await chain(LUNA_RSA, root, { handledCriticalExtensions: EKU, deviations });
    expect(codes(r)).toEqual(['ATTEST_NOT_A_CA']);
    expect(r.failures[0]!.reason).toMatch(/root-without-basic-constraints/);
  });

  it('is accepted for the pinned root only', async () => {
    const r = await chain(LUNA_RSA, root, {
      handledCriticalExtensions: EKU,
      deviations: [...deviations, 'root-without-basic-constraints'],
    });
    expect(r.failures).toEqual([]);
    expect(r.acceptedDeviations).toContainEqual({
      deviation: 'root-without-basic-constraints',
      subject: expect.stringMatching(/Chrysalis-ITS Root/),
    });
  });
});

describe('deviation ecdsa-null-parameters (Thales Luna ECC bundle)', () => {
  const hoc = 'thales-luna/extracted/ecc-pkc-1-hardware-origin-521174.pem';
  const leaf = 'thales-luna/extracted/ecc-pkc-0-proof-of-origin.pem';
  const root = 'thales-luna/luna-ecc-root-certificate.pem';
  // That root has no basicConstraints either.
  const others: ChainDeviation[] = ['explicit-critical-false', 'root-without-basic-constraints'];
  const base = { handledCriticalExtensions: EKU, deviations: others };

  it('is refused by default on the hardware-origin certificate and on the root', async () => {
    const r = await chain([hoc], root, base);
    expect(codes(r)).toEqual(['ATTEST_DEVIATION_NOT_ALLOWED', 'ATTEST_DEVIATION_NOT_ALLOWED']);
  });

  it('is accepted with the deviation (hardware origin ← root verifies)', async () => {
    const r = await chain([hoc], root, { ...base, deviations: [...others, 'ecdsa-null-parameters'] });
    expect(r.failures).toEqual([]);
  });

  it('does not make the proof-of-origin signature verify (an unresolved vendor problem)', async () => {
    const r = await chain([leaf, hoc], root, { ...base, deviations: [...others, 'ecdsa-null-parameters'] });
    expect(codes(r)).toEqual(['ATTEST_SIGNATURE_INVALID']);
  });
});

describe('deviation non-ca-leaf-issuer (Fortanix DSM key attestation authority)', () => {
  const F = 'fortanix-dsm/extracted/';
  const paths = [`${F}statement.pem`, `${F}authority.pem`, `${F}ca.pem`];
  const at = new Date('2023-09-05T18:11:51Z');

  it('is refused by default: the authority is CA:FALSE', async () => {
    const r = await chain(paths, `${F}root.pem`, { at });
    expect(new Set(codes(r))).toEqual(new Set(['ATTEST_NOT_A_CA']));
    expect(r.failures[0]!.reason).toMatch(/non-ca-leaf-issuer/);
  });

  it('is accepted at the signing time with the deviation, and the authority is expired today', async () => {
    expect((await chain(paths, `${F}root.pem`, { at, deviations: ['non-ca-leaf-issuer'] })).failures).toEqual(
      [],
    );
    const today = await chain(paths, `${F}root.pem`, { deviations: ['non-ca-leaf-issuer'] });
    expect(new Set(codes(today))).toEqual(new Set(['ATTEST_EXPIRED']));
  });
});
