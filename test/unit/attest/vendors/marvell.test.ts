/**
 * Marvell LiquidSecurity (Google Cloud HSM): the real samples of
 * test/vectors/attestation/marvell-gcp-cloudhsm give the facts manifest.json lists; the imported
 * RSA key is refused; each root, chain and deviation does what docs/attestation-vendors.md says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexEncode } from '../../../../ceremony/codec/index.js';
import { sha256 } from '../../../../ceremony/crypto/index.js';
import type {
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../../../../ceremony/attest/types.js';
import { marvellEvidenceFromGzip, marvellFormat } from '../../../../ceremony/attest/vendors/marvell/index.js';
import { checkAttestationPolicy } from '../../../../ceremony/attest/policy.js';
import { parseCertificate } from '../../../../ceremony/attest/x509/certificate.js';
import { verifyChain } from '../../../../ceremony/attest/x509/chain.js';
import { CHECKED_ON, VECTORS, pemCert, pemCerts, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const [ecc, rsa] = samplesOf('marvell-liquidsecurity (google-cloud-hsm)').concat(
  samplesOf('marvell-liquidsecurity'),
);
const ROOT_2015 = pemCert('marvell-gcp-cloudhsm/marvell-liquidsecurity-root-2015.pem');
const ROOT_2024 = pemCert('marvell-gcp-cloudhsm/marvell-liquidsecurity-root-2024-reissue.pem');
const OWNER_ROOT = pemCert('marvell-gcp-cloudhsm/google-hawksbill-root-v1-prod.pem');
const CHAIN = pemCerts('marvell-gcp-cloudhsm/attestation-cert-chain.pem');
const gz = (path: string) => new Uint8Array(readFileSync(VECTORS + path));
const evidence = (path: string): KeyAttestation => marvellEvidenceFromGzip(gz(path), CHAIN);
const options = (
  trustedRoots = [ROOT_2024, ROOT_2015, OWNER_ROOT],
  o: Partial<AttestationVerifyOptions> = {},
) => ({
  trustedRoots,
  now: CHECKED_ON,
  ...o,
});

describe('marvell: real samples (manifest.json)', () => {
  it('lists the ECC key pair and the imported RSA key', () => {
    expect([ecc?.id, rsa?.id]).toEqual(['marvell-gcp-ecc-p256', 'marvell-rsa4096-imported']);
  });

  it('the ECC key pair verifies with the manifest facts', async () => {
    const e = ecc!.expect;
    const ev = evidence(ecc!.files.attestation as string);
    expect(ev.statement.length).toBe(e.gunzipped_length);
    const r = await marvellFormat.verify(ev, options());
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({
      ok: true,
      format: 'marvell-liquidsecurity',
      level: 'hardware-vendor',
      vendor: 'Marvell',
      model: 'LiquidSecurity',
      serial: e.hsm,
      origin: 'generated',
      exportable: false,
      sensitive: true,
      verificationTime: CHECKED_ON,
      attributes: {
        algorithm: 'ec-p256',
        label: 'app_key',
        handle: '8870',
        partition: String(e.partition),
        mode: 'FIPS mode',
      },
    });
    // EKCV is SHA-256 of the SPKI, and the SPKI ends with the EC point.
    expect(hexEncode(r.publicKey!.sha256)).toBe(e.ekcv);
    expect(hexEncode(sha256(r.publicKey!.spki))).toBe(e.ekcv);
    expect(hexEncode(r.publicKey!.spki).endsWith(e.ec_point as string)).toBe(true);
    expect(r.usages).toContain('sign');
    expect(r.chain).toHaveLength(7);
    expect(r.chain[2]).toContain('CN=localca.liquidsecurity.cavium.com');
    expect(r.chain[4]).toContain('CN=Hawksbill Root v1 prod');
    expect(r.attributes!.acceptedDeviations).toContain('v1-ca-certificate');
  });

  it('the imported RSA-4096 key is refused as imported, and its signature does not verify under this chain', async () => {
    const e = rsa!.expect;
    const ev = evidence(rsa!.files.attestation as string);
    expect(ev.statement.length).toBe(e.gunzipped_length);
    const r = await marvellFormat.verify(ev, options());
    expect(r.ok).toBe(false);
    expect(r.origin).toBe('imported');
    expect(codes(r)).toEqual([
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_KEY_IMPORTED',
      'ATTEST_KEY_EXPORTABLE',
      'ATTEST_KEY_WAS_NOT_SENSITIVE',
    ]);
    expect(r.failures[2]!.reason).toContain('OBJ_ATTR_LOCAL is 0');
    // SENSITIVE is 1: `sensitive` says so. That the imported key was not always sensitive is its own
    // failure, and that it was imported is `origin`; the policy adds no ATTEST_KEY_NOT_SENSITIVE.
    expect(r.sensitive).toBe(true);
    expect(r.failures[4]!.reason).toContain('OBJ_ATTR_ALWAYS_SENSITIVE is 0');
    expect(checkAttestationPolicy(r, { profile: 'production' })).toEqual([]);
    expect(hexEncode(r.publicKey!.sha256)).toBe(e.ekcv);
    expect(r.attributes).toMatchObject({ algorithm: 'rsa-4096', handle: '7946', label: 'app_key' });
  });
});

describe('marvell: roots and chains', () => {
  const ev = evidence('marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz');

  it('verifies with only the 2024 reissue (serial 0, deviation zero-serial)', async () => {
    const r = await marvellFormat.verify(ev, options([ROOT_2024, OWNER_ROOT]));
    expect(r.failures).toEqual([]);
    expect(r.attributes!.acceptedDeviations).toContain('zero-serial');
  });

  it('refuses the expired 2015 root alone, also with validateAtAttestationTime (the blob has no time)', async () => {
    for (const validateAtAttestationTime of [false, true]) {
      const r = await marvellFormat.verify(
        ev,
        options([ROOT_2015, OWNER_ROOT], { validateAtAttestationTime }),
      );
      expect(codes(r)).toEqual(['ATTEST_EXPIRED']);
      expect(r.failures[0]!.reason).toContain('2025-11-16T13:55:25');
      expect(r.verificationTime).toEqual(CHECKED_ON);
    }
  });

  it('accepts the 2015 root before it expired', async () => {
    const r = await marvellFormat.verify(
      ev,
      options([ROOT_2015, OWNER_ROOT], { now: new Date('2025-01-01T00:00:00Z') }),
    );
    expect(r.failures).toEqual([]);
  });

  it('prefers a valid root when an expired one with the same name and key is pinned first', async () => {
    const r = await marvellFormat.verify(ev, options([ROOT_2015, ROOT_2024, OWNER_ROOT]));
    expect(r.failures).toEqual([]);
  });

  it('refuses without the owner root, and without the manufacturer root', async () => {
    const noOwner = await marvellFormat.verify(ev, options([ROOT_2024]));
    expect(codes(noOwner)).toEqual(['ATTEST_CHAIN_UNTRUSTED', 'ATTEST_CHAIN_UNTRUSTED']);
    expect(noOwner.failures.map((f) => f.reason.split(':')[0])).toEqual([
      'owner partition chain',
      'owner card chain',
    ]);
    const noMarvell = await marvellFormat.verify(ev, options([OWNER_ROOT]));
    expect(codes(noMarvell)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    expect(noMarvell.failures[0]!.reason).toMatch(/^manufacturer chain/);
  });

  it('refuses owner certificates that carry other keys than the manufacturer ones', async () => {
    const swapped = { ...ev, chain: [CHAIN[0]!, CHAIN[1]!, CHAIN[3]!, CHAIN[2]!] };
    const r = await marvellFormat.verify(swapped, options());
    expect(codes(r)).toEqual([
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_CHAINS_DISAGREE',
      'ATTEST_CHAINS_DISAGREE',
    ]);
  });

  it('refuses the 2033 verification time (owner root and certificates expired in 2030)', async () => {
    const r = await marvellFormat.verify(ev, options(undefined, { now: new Date('2033-01-01T00:00:00Z') }));
    expect(new Set(codes(r))).toEqual(new Set(['ATTEST_EXPIRED']));
  });

  it('the v1 card certificate and the serial-0 root need their named deviations (strict chain code refuses them)', async () => {
    const [partition, card] = CHAIN.slice(0, 2).map((d, i) => parseCertificate(d, `chain[${i}]`));
    const roots = [parseCertificate(ROOT_2024, 'root')];
    const strict = await verifyChain(partition!, [card!], { roots, at: CHECKED_ON });
    expect(strict.failures.map((f) => f.code).sort()).toEqual([
      'ATTEST_DEVIATION_NOT_ALLOWED',
      'ATTEST_NOT_A_CA',
    ]);
    const named = await verifyChain(partition!, [card!], {
      roots,
      at: CHECKED_ON,
      deviations: ['v1-ca-certificate', 'zero-serial'],
    });
    expect(named.failures).toEqual([]);
    expect(named.acceptedDeviations.map((d) => d.deviation).sort()).toEqual([
      'v1-ca-certificate',
      'zero-serial',
    ]);
  });
});

describe('marvell: evidence shape', () => {
  const ev = evidence('marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz');

  it('refuses a gzip statement, with the reason', async () => {
    const r = await marvellFormat.verify(
      { ...ev, statement: gz('marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz') },
      options(),
    );
    expect(codes(r)).toEqual(['ATTEST_MALFORMED']);
    expect(r.failures[0]!.reason).toContain('gzip-compressed');
  });

  it('refuses evidence whose statement is not bytes or whose chain is not a list', async () => {
    for (const bad of [
      { ...ev, statement: 'x' as never },
      { ...ev, chain: undefined as never },
    ]) {
      expect(codes(await marvellFormat.verify(bad, options()))).toEqual(['ATTEST_MALFORMED']);
    }
  });

  it('refuses a chain of another length or order', async () => {
    expect(codes(await marvellFormat.verify({ ...ev, chain: CHAIN.slice(0, 2) }, options()))).toEqual([
      'ATTEST_MALFORMED',
    ]);
    const reordered = await marvellFormat.verify(
      { ...ev, chain: [CHAIN[1]!, CHAIN[0]!, CHAIN[2]!, CHAIN[3]!] },
      options(),
    );
    expect(reordered.ok).toBe(false);
  });

  it('refuses a truncated blob and a blob with a byte appended', async () => {
    for (const statement of [ev.statement.subarray(0, 2000), Uint8Array.from([...ev.statement, 0])]) {
      const r = await marvellFormat.verify({ ...ev, statement }, options());
      expect(codes(r)).toEqual(['ATTEST_MALFORMED']);
    }
  });

  it('refuses an expected challenge: the blob carries none', async () => {
    const r = await marvellFormat.verify(ev, options(undefined, { expectedChallenge: new Uint8Array(32) }));
    expect(codes(r)).toEqual(['ATTEST_CHALLENGE_UNSUPPORTED']);
  });
});
