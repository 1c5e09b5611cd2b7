/**
 * Fortanix DSM: the published key attestation statement verifies at its signing time (its
 * one-month authority expired in 2023) and is refused at today's date; the authority's CA:FALSE is
 * accepted only for an issuer with the attestation-authority EKU.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AttestationResult } from '../../../../ceremony/attest/types.js';
import {
  fortanixEvidenceFromJson,
  fortanixFormat,
} from '../../../../ceremony/attest/vendors/fortanix/index.js';
import { CHECKED_ON, VECTORS, flippedBitsAccepted, pemCert, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const [sample] = samplesOf('fortanix-dsm');
const JSON_BYTES = new Uint8Array(readFileSync(VECTORS + 'fortanix-dsm/key_attestation.json'));
const EVIDENCE = fortanixEvidenceFromJson(JSON_BYTES);
const ROOT = pemCert('fortanix-dsm/extracted/root.pem');
const options = { trustedRoots: [ROOT], now: CHECKED_ON };
const SIGNED_AT = new Date(sample!.expect.chain_valid_at as string);

describe('fortanix: the real sample (manifest.json)', () => {
  it('the evidence is the JSON statement and authority chain, decoded', () => {
    expect(EVIDENCE.statement).toEqual(pemCert('fortanix-dsm/extracted/statement.pem'));
    expect(EVIDENCE.chain).toEqual(
      ['authority', 'ca', 'root'].map((n) => pemCert(`fortanix-dsm/extracted/${n}.pem`)),
    );
  });

  it('is refused today: the authority (2023-10-05) and the CA (2026-08-31) have expired', async () => {
    const r = await fortanixFormat.verify(EVIDENCE, options);
    expect(codes(r)).toEqual(['ATTEST_EXPIRED', 'ATTEST_EXPIRED']);
    expect(r.failures[0]!.reason).toContain('Key Attestation Authority');
    expect(r.verificationTime).toEqual(CHECKED_ON);
  });

  it('verifies at its signing time with validateAtAttestationTime, with the manifest facts', async () => {
    const r = await fortanixFormat.verify(EVIDENCE, { ...options, validateAtAttestationTime: true });
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({
      ok: true,
      format: 'fortanix-dsm',
      level: 'hardware-vendor',
      vendor: 'Fortanix',
      model: 'DSM',
      origin: 'generated',
      exportable: false,
      verificationTime: SIGNED_AT,
      attributes: {
        keyId: sample!.expect.key_id,
        authority: 'CN=Fortanix DSM SaaS Key Attestation Authority',
        signedAt: SIGNED_AT.toISOString(),
      },
    });
    expect(r.chain).toHaveLength(4);
  });

  it('also verifies at a `now` inside the authority month, without the root copy in the chain', async () => {
    const r = await fortanixFormat.verify(
      { ...EVIDENCE, chain: EVIDENCE.chain.slice(0, 2) },
      { ...options, now: new Date('2023-09-20T00:00:00Z') },
    );
    expect(r.failures).toEqual([]);
  });

  it('refuses an authority without the attestation-authority EKU: the CA cannot sign statements', async () => {
    // The authority certificate presented as the statement: its issuer, the Key Attestation CA, lacks
    // the EKU, and the authority certificate carries no DSM key extensions.
    const r = await fortanixFormat.verify(
      { ...EVIDENCE, statement: EVIDENCE.chain[0]!, chain: EVIDENCE.chain.slice(1) },
      { ...options, validateAtAttestationTime: true },
    );
    expect(codes(r)).toContain('ATTEST_NOT_A_CA');
    expect(codes(r)).toContain('ATTEST_ORIGIN_UNKNOWN');
    expect(codes(r)).toContain('ATTEST_EXPORTABILITY_UNKNOWN');
  });

  it('refuses without the pinned root', async () => {
    const r = await fortanixFormat.verify(EVIDENCE, {
      ...options,
      trustedRoots: [],
      validateAtAttestationTime: true,
    });
    expect(codes(r)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
  });

  it('refuses JSON of another shape', () => {
    const text = new TextDecoder().decode(JSON_BYTES);
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(() => fortanixEvidenceFromJson(enc(text.replace('"x509_certificate"', '"cbor"')))).toThrow(
      /format/,
    );
    expect(() => fortanixEvidenceFromJson(enc(text.replace('"authority_chain"', '"chain"')))).toThrow(
      /fields/,
    );
    expect(() => fortanixEvidenceFromJson(enc('{'))).toThrow(/not JSON/);
  });
});

describe('fortanix: one flipped bit anywhere is refused', () => {
  const stride = process.env.FLEET_LONG_TESTS === '1' ? 1 : 23;

  it(`${stride === 1 ? 'every bit' : `1 bit in ${stride}`} of the statement and of each certificate`, async () => {
    const o = { ...options, validateAtAttestationTime: true };
    const { accepted, tried, bits } = await flippedBitsAccepted(
      EVIDENCE,
      (e) => fortanixFormat.verify(e, o),
      stride,
    );
    expect(accepted).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(Math.floor(bits / stride) - 1 - EVIDENCE.chain.length);
  }, 600_000);
});
