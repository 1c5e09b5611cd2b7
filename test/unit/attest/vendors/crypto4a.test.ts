/**
 * Crypto4A QASM: the real attestation message (QSM000129) verifies, ECDSA P-384 and HSS/LMS
 * signatures both checked; the HSS code passes RFC 8554's test case; claims and policy behave as
 * docs/attestation-vendors.md says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexDecode, pemDecode } from '../../../../ceremony/codec/index.js';
import type { AttestationResult, KeyAttestation } from '../../../../ceremony/attest/types.js';
import { crypto4aFormat } from '../../../../ceremony/attest/vendors/crypto4a/index.js';
import { verifyHss } from '../../../../ceremony/attest/vendors/crypto4a/hss.js';
import { parseC4aMessage } from '../../../../ceremony/attest/vendors/crypto4a/message.js';
import { CLAIM, readClaims } from '../../../../ceremony/attest/vendors/crypto4a/claims.js';
import { CHECKED_ON, VECTORS, flipBit, pemCert, samplesOf } from '../support/vectors.js';
import rfc8554 from './crypto4a-hss-rfc8554.json' with { type: 'json' };

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const [sample] = samplesOf('crypto4a-qasm');
const MESSAGE = new Uint8Array(readFileSync(VECTORS + 'crypto4a-qasm/attestation-message.der'));
const ROOT = pemCert('crypto4a-qasm/c4a-rca-root.pem');
const EVIDENCE: KeyAttestation = { format: 'crypto4a-qasm', statement: MESSAGE, chain: [] };
const options = { trustedRoots: [ROOT], now: CHECKED_ON };

describe('crypto4a: the real sample (manifest.json)', () => {
  it('the DER file is the body of the published PEM', () => {
    const pem = readFileSync(VECTORS + 'crypto4a-qasm/attestation-message.pem', 'utf8');
    expect(pemDecode(pem, 'ATTESTATION MESSAGE', { lax: true })).toEqual(MESSAGE);
  });

  it('verifies with the manifest facts, both signatures checked', async () => {
    const e = sample!.expect;
    const r = await crypto4aFormat.verify(EVIDENCE, options);
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({
      ok: true,
      format: 'crypto4a-qasm',
      level: 'hardware-vendor',
      vendor: 'Crypto4A',
      model: 'QASM',
      serial: e.qasm_serial,
      firmware: e.firmware,
      origin: 'generated',
      exportable: false,
      verificationTime: CHECKED_ON,
      attributes: {
        qasmUuid: e.qasm_uuid,
        object: e.object,
        attestationTime: (e.attestation_time as string).replace('Z', '.000Z'),
        algorithm: e.algorithm,
        signers: 'ecdsa-sha384, hss-lms',
      },
    });
    expect(r.chain).toEqual([
      'CN=C4A000129 Assertion Authority EC',
      'CN=C4A_SCA_MFG4',
      'C=Canada, ST=Ontario, L=Ottawa, O=Crypto4A, CN=C4A_RCA',
    ]);
  });

  it('signs the claims SEQUENCE at offset 7, 605 bytes (manifest signed_bytes)', () => {
    const m = parseC4aMessage(MESSAGE);
    expect(m.claimsDer.byteOffset - MESSAGE.byteOffset).toBe(7);
    expect(m.claimsDer.length).toBe(605);
    expect(m.signers.map((s) => s.algorithm.oid)).toEqual([
      '1.2.840.10045.4.3.3',
      '1.2.840.113549.1.9.16.3.17',
    ]);
    expect(m.certificates).toHaveLength(4);
  });

  it('reads each claim once per subject; only capabilities may repeat', () => {
    const m = parseC4aMessage(MESSAGE);
    const claims = readClaims(m.claims);
    expect(claims).toHaveLength(15);
    const serial = claims.findIndex((c) => c.type === CLAIM.serial);
    expect(() => readClaims([...m.claims, m.claims[serial]!])).toThrow(/repeated/);
    const capability = claims.findIndex((c) => c.type.endsWith('.6.2.13'));
    expect(readClaims([...m.claims, m.claims[capability]!])).toHaveLength(16);
  });

  it('validates at the attestation-time claim when asked, and says so', async () => {
    const r = await crypto4aFormat.verify(EVIDENCE, { ...options, validateAtAttestationTime: true });
    expect(r.failures).toEqual([]);
    expect(r.verificationTime.toISOString()).toBe('2024-06-12T14:33:07.000Z');
  });

  it('refuses without the pinned root (each signer), and after the root expires in 2045', async () => {
    expect(codes(await crypto4aFormat.verify(EVIDENCE, { ...options, trustedRoots: [] }))).toEqual([
      'ATTEST_CHAIN_UNTRUSTED',
      'ATTEST_CHAIN_UNTRUSTED',
    ]);
    const late = await crypto4aFormat.verify(EVIDENCE, { ...options, now: new Date('2046-01-01T00:00:00Z') });
    expect(new Set(codes(late))).toEqual(new Set(['ATTEST_EXPIRED']));
  });

  it('refuses evidence whose statement is not bytes or whose chain is not a list', async () => {
    for (const bad of [
      { ...EVIDENCE, statement: 'x' as never },
      { ...EVIDENCE, chain: undefined as never },
    ]) {
      expect(codes(await crypto4aFormat.verify(bad, options))).toEqual(['ATTEST_MALFORMED']);
    }
  });

  it('refuses a non-empty chain, and an expected challenge', async () => {
    expect(codes(await crypto4aFormat.verify({ ...EVIDENCE, chain: [ROOT] }, options))).toEqual([
      'ATTEST_MALFORMED',
    ]);
    const r = await crypto4aFormat.verify(EVIDENCE, { ...options, expectedChallenge: new Uint8Array(8) });
    expect(codes(r)).toEqual(['ATTEST_CHALLENGE_UNSUPPORTED']);
  });
});

describe('crypto4a: HSS/LMS (RFC 8554)', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it.each(rfc8554.cases.map((c) => [c.name, c] as const))('%s verifies', (_name, c) => {
    expect(verifyHss(hexDecode(c.publicKey), text(c.messageText), hexDecode(c.signature))).toBe(true);
  });

  it('refuses the RFC case with another message, a flipped bit in the signature or key, or a truncated signature', () => {
    const c = rfc8554.cases[0]!;
    const [pub, sig, msg] = [hexDecode(c.publicKey), hexDecode(c.signature), text(c.messageText)];
    expect(verifyHss(pub, text(c.messageText + '!'), sig)).toBe(false);
    for (const bit of [40, 8 * 100 + 3, 8 * 1300, sig.length * 8 - 1])
      expect(verifyHss(pub, msg, flipBit(sig, bit))).toBe(false);
    expect(verifyHss(flipBit(pub, 8 * 30), msg, sig)).toBe(false);
    expect(verifyHss(pub, msg, sig.subarray(0, sig.length - 32))).toBe(false);
  });

  it("the QASM's HSS signature is the one that fails when the HSS part of the message is changed", async () => {
    const m = parseC4aMessage(MESSAGE);
    const at = m.signers[1]!.signature.byteOffset - MESSAGE.byteOffset + 2000;
    const r = await crypto4aFormat.verify({ ...EVIDENCE, statement: flipBit(MESSAGE, at * 8) }, options);
    expect(codes(r)).toEqual(['ATTEST_SIGNATURE_INVALID']);
    expect(r.failures[0]!.reason).toContain('HSS signature over the claims does not verify');
  });
});

/**
 * One bit changed anywhere in the message is refused, except in the two signers' key ids: each is
 * the HSM's UUID for the attesting key, outside the signed claims and not bound to the signer's
 * certificate, so no verifier can notice a change there (docs/attestation-vendors.md, caveats). The
 * last test shows such a change leaves every verified fact as it was.
 */
describe('crypto4a: one flipped bit anywhere is refused', () => {
  const stride = process.env.FLEET_LONG_TESTS === '1' ? 1 : 199;
  const keyIds = parseC4aMessage(MESSAGE).signers.map((s) => s.keyId.byteOffset - MESSAGE.byteOffset);
  const inKeyId = (bit: number) => keyIds.some((o) => bit >= o * 8 && bit < (o + 16) * 8);

  it(`${stride === 1 ? 'every bit' : `1 bit in ${stride}`} outside the signer key ids`, async () => {
    const accepted: number[] = [];
    let count = 0;
    for (let bit = 0; bit < MESSAGE.length * 8; bit += stride) {
      if (inKeyId(bit)) continue;
      const r = await crypto4aFormat.verify({ ...EVIDENCE, statement: flipBit(MESSAGE, bit) }, options);
      count++;
      if (r.ok || r.failures.length === 0) accepted.push(bit);
    }
    expect(accepted).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(Math.floor((MESSAGE.length * 8 - 2 * 128) / stride));
  }, 3_600_000);

  it('a changed signer key id changes no verified fact', async () => {
    const good = await crypto4aFormat.verify(EVIDENCE, options);
    for (const o of keyIds) {
      const r = await crypto4aFormat.verify({ ...EVIDENCE, statement: flipBit(MESSAGE, o * 8 + 5) }, options);
      expect(r).toEqual(good);
    }
  });
});
