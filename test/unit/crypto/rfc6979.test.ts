/**
 * RFC 6979 Appendix A.2.5 (ECDSA P-256, SHA-256) as verify-only known answers on both backends,
 * over messages and over digests, with uncompressed and compressed keys.
 */
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { P256_N } from '../../../ceremony/crypto/p256-rules.js';
import { portable } from '../../../ceremony/crypto/index.js';
import { ascii, backends, hex, toHex, vectors } from './helpers.js';

interface P256File {
  source: string;
  secretKey: string;
  publicKey: string;
  cases: { message: string; k: string; signature: string }[];
}

const file = vectors<P256File>('rfc6979/p256-sha256.json');
const publicKey = hex(file.publicKey);
const compressed = nobleP256.Point.fromBytes(publicKey).toBytes(true);

describe('RFC 6979 A.2.5 P-256 known answers', () => {
  it('holds the SHA-256 rows for "sample" and "test"; r = x(k·G) mod n', () => {
    expect(file.source).toContain('RFC 6979 Appendix A.2.5');
    expect(file.cases.map((c) => c.message)).toEqual(['sample', 'test']);
    for (const c of file.cases) {
      const x = nobleP256.Point.BASE.multiply(BigInt(`0x${c.k}`)).toAffine().x % P256_N;
      expect(x.toString(16).padStart(64, '0')).toBe(c.signature.slice(0, 64));
    }
  });

  describe.each(backends)('$name backend', (backend) => {
    it('derives the published public key from x', () => {
      expect(toHex(backend.p256.getPublicKey(hex(file.secretKey)))).toBe(file.publicKey);
    });

    for (const c of file.cases) {
      it(`verifies the "${c.message}" signature (message, digest, compressed key)`, () => {
        const msg = ascii(c.message);
        const sig = hex(c.signature);
        const digest = backend.sha256(msg);
        expect(backend.p256.verify(publicKey, msg, sig)).toBe(true);
        expect(backend.p256.verify(compressed, msg, sig)).toBe(true);
        expect(backend.p256.verifyDigest(publicKey, digest, sig)).toBe(true);
        expect(backend.p256.verifyDigest(compressed, digest, sig)).toBe(true);
      });

      it(`rejects the "${c.message}" signature for another message or digest`, () => {
        const other = ascii(c.message === 'sample' ? 'test' : 'sample');
        const sig = hex(c.signature);
        expect(backend.p256.verify(publicKey, other, sig)).toBe(false);
        // The digest must not be hashed again: a signature over digest d is not one over SHA-256(d).
        expect(
          backend.p256.verifyDigest(publicKey, backend.sha256(backend.sha256(ascii(c.message))), sig),
        ).toBe(false);
      });
    }
  });

  it('portable signing is RFC 6979 deterministic, in low-S form', () => {
    for (const c of file.cases) {
      const sig = portable.p256.sign(hex(file.secretKey), ascii(c.message));
      const r = c.signature.slice(0, 64);
      const s = BigInt(`0x${c.signature.slice(64)}`);
      const lowS = s > P256_N >> 1n ? P256_N - s : s;
      expect(toHex(sig)).toBe(r + lowS.toString(16).padStart(64, '0'));
    }
  });
});
