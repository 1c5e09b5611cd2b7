/**
 * Certificate signature verification: each supported algorithm against real or WebCrypto-made
 * signatures, and the refusals (wrong key type, short RSA, SHA-1, non-DER ECDSA values).
 */
import { describe, expect, it } from 'vitest';
import { ecdsaDerToRaw, parseCertificate, verifySignature } from '../../../../ceremony/attest/x509/index.js';
import { newSigner, writeCert } from '../support/cert-write.js';
import { hex } from '../support/der-write.js';
import { flipBit, pemCert } from '../support/vectors.js';

const selfSigned = (path: string) => {
  const c = parseCertificate(pemCert(path), path);
  return verifySignature(c.signatureAlgorithm, c.spki, c.tbs, c.signature);
};

async function made(kind: 'p256' | 'ed25519' | 'rsa') {
  const signer = await newSigner(kind);
  const cert = parseCertificate(
    await writeCert(
      { subject: 's', issuer: 's', notBefore: new Date(0), notAfter: new Date(1e12), spki: signer.spki },
      signer,
    ),
    kind,
  );
  return { signer, cert };
}

describe('verifySignature', () => {
  it('verifies RSA PKCS#1 v1.5 (SHA-256, SHA-512) and ECDSA P-384 roots', async () => {
    expect(await selfSigned('yubihsm2/yubihsm-root-ca.pem')).toEqual({ ok: true });
    expect(await selfSigned('yubico-pki/yubico-attestation-root-1.pem')).toEqual({ ok: true });
    expect(await selfSigned('crypto4a-qasm/c4a-rca-root.pem')).toEqual({ ok: true });
  });

  it.each(['p256', 'ed25519', 'rsa'] as const)(
    'verifies %s and refuses one flipped bit of the TBS',
    async (kind) => {
      const { cert } = await made(kind);
      expect(await verifySignature(cert.signatureAlgorithm, cert.spki, cert.tbs, cert.signature)).toEqual({
        ok: true,
      });
      const bad = await verifySignature(
        cert.signatureAlgorithm,
        cert.spki,
        flipBit(cert.tbs, 100),
        cert.signature,
      );
      expect(bad).toMatchObject({ ok: false, code: 'ATTEST_SIGNATURE_INVALID' });
    },
  );

  it('refuses a signature made for another key type', async () => {
    const { cert } = await made('p256');
    const { signer } = await made('rsa');
    expect(
      await verifySignature(cert.signatureAlgorithm, signer.spki, cert.tbs, cert.signature),
    ).toMatchObject({
      ok: false,
      code: 'ATTEST_SIGNATURE_INVALID',
    });
  });

  it('does not support SHA-1 (the Chrysalis-ITS 804500000007 self-signature)', async () => {
    expect(await selfSigned('thales-luna/luna-rsa-root-certificate.pem')).toMatchObject({
      ok: false,
      code: 'ATTEST_ALGORITHM_UNSUPPORTED',
    });
  });

  it('refuses RSA keys under 2048 bits', async () => {
    const keys = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: Uint8Array.of(1, 0, 1),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    const data = Uint8Array.of(1, 2, 3);
    const sig = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, data));
    expect(await verifySignature({ oid: '1.2.840.113549.1.1.11' }, spki, data, sig)).toMatchObject({
      ok: false,
      code: 'ATTEST_ALGORITHM_UNSUPPORTED',
    });
  });

  it('converts only canonical DER ECDSA values', () => {
    expect(ecdsaDerToRaw(hex('3006 020101 020102'), 'P-256')).toEqual(
      Uint8Array.of(...Array(31).fill(0), 1, ...Array(31).fill(0), 2),
    );
    expect(ecdsaDerToRaw(hex('3007 02020001 020102'), 'P-256')).toBeUndefined(); // non-minimal r
    expect(ecdsaDerToRaw(hex('3006 020100 020102'), 'P-256')).toBeUndefined(); // r = 0
    expect(ecdsaDerToRaw(hex('3006 0201ff 020102'), 'P-256')).toBeUndefined(); // r < 0
    expect(
      ecdsaDerToRaw(
        Uint8Array.of(0x30, 0x25, 0x02, 0x21, 1, ...Array(32).fill(1), 0x02, 0x01, 0x01),
        'P-256',
      ),
    ).toBeUndefined(); // r too long
    expect(ecdsaDerToRaw(hex('3006 020101 020102 00'), 'P-256')).toBeUndefined(); // trailing byte
  });
});
