/**
 * P-256 and X25519 edge cases on both backends: r/s out of range, high S, keys off the curve,
 * secret scalars out of range; X25519 low-order peers and non-canonical u.
 */
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { P256_N, P256_P } from '../../../ceremony/crypto/p256-rules.js';
import { backends, be32, hex, le32, outcome, throwsCode, toHex } from './helpers.js';

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const sk = hex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
const pk = nobleP256.getPublicKey(sk, false);
const msg = new TextEncoder().encode('sample');
const sig = hex(
  'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
    'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
);
const P = (1n << 255n) - 19n;

/** A compressed encoding whose x has no point on P-256. */
const offCurveCompressed = (() => {
  for (let x = 1n; ; x++) {
    const enc = concat(Uint8Array.of(2), be32(x));
    try {
      nobleP256.Point.fromBytes(enc);
    } catch {
      return enc;
    }
  }
})();

describe.each(backends)('P-256 edges, $name backend', (backend) => {
  it('r or s outside [1, n-1] is false, never an exception', () => {
    const r = sig.subarray(0, 32);
    const s = sig.subarray(32);
    for (const bad of [0n, P256_N, P256_N + 1n, (1n << 256n) - 1n]) {
      expect(backend.p256.verify(pk, msg, concat(be32(bad), s))).toBe(false);
      expect(backend.p256.verify(pk, msg, concat(r, be32(bad)))).toBe(false);
      expect(backend.p256.verifyDigest(pk, backend.sha256(msg), concat(r, be32(bad)))).toBe(false);
    }
  });

  it('accepts both S and n - S; produces low S', () => {
    const s = BigInt(`0x${toHex(sig.subarray(32))}`);
    const flipped = concat(sig.subarray(0, 32), be32(P256_N - s));
    expect(backend.p256.verify(pk, msg, sig)).toBe(true);
    expect(backend.p256.verify(pk, msg, flipped)).toBe(true);
    for (let i = 0; i < 8; i++) {
      const m = Uint8Array.of(i);
      const produced = backend.p256.sign(sk, m);
      expect(BigInt(`0x${toHex(produced.subarray(32))}`) <= P256_N >> 1n).toBe(true);
      const viaDigest = backend.p256.signDigest(sk, backend.sha256(m));
      expect(BigInt(`0x${toHex(viaDigest.subarray(32))}`) <= P256_N >> 1n).toBe(true);
    }
  });

  it('refuses public keys that are not points, with CRYPTO_BAD_PUBLIC_KEY', () => {
    const wrongY = pk.slice();
    wrongY[64] = wrongY[64]! ^ 1;
    const bad = [
      wrongY,
      offCurveCompressed,
      concat(Uint8Array.of(4), new Uint8Array(64)), // the "identity"
      concat(Uint8Array.of(5), pk.subarray(1)), // prefix
      concat(Uint8Array.of(4), be32(P256_P), pk.subarray(33)), // x = p
      concat(Uint8Array.of(4), pk.subarray(1, 33), be32(P256_P + 1n)), // y >= p
      concat(Uint8Array.of(4), pk.subarray(1, 33)).subarray(0, 33), // 0x04 prefix on 33 bytes
    ];
    for (const key of bad) {
      throwsCode(() => backend.p256.verify(key, msg, sig), 'CRYPTO_BAD_PUBLIC_KEY');
      throwsCode(() => backend.p256.verifyDigest(key, backend.sha256(msg), sig), 'CRYPTO_BAD_PUBLIC_KEY');
    }
  });

  it('refuses secret scalars 0, n, n + 1 and 2^256 - 1 with CRYPTO_BAD_SECRET_KEY; accepts 1 and n - 1', () => {
    for (const d of [0n, P256_N, P256_N + 1n, (1n << 256n) - 1n]) {
      throwsCode(() => backend.p256.getPublicKey(be32(d)), 'CRYPTO_BAD_SECRET_KEY');
      throwsCode(() => backend.p256.sign(be32(d), msg), 'CRYPTO_BAD_SECRET_KEY');
      throwsCode(() => backend.p256.signDigest(be32(d), new Uint8Array(32)), 'CRYPTO_BAD_SECRET_KEY');
    }
    for (const d of [1n, P256_N - 1n]) {
      const key = backend.p256.getPublicKey(be32(d));
      expect(toHex(key)).toBe(toHex(nobleP256.getPublicKey(be32(d), false)));
      expect(backend.p256.verify(key, msg, backend.p256.sign(be32(d), msg))).toBe(true);
    }
  });
});

/** The seven u (mod 2^255) whose point has order dividing 8: 0, 1, p-1, two of order 8, p, p+1. */
const LOW_ORDER = [
  le32(0n),
  le32(1n),
  le32(P - 1n),
  hex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'),
  hex('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'),
  le32(P),
  le32(P + 1n),
];
const withTopBit = (u: Uint8Array) => {
  const c = u.slice();
  c[31] = c[31]! | 0x80;
  return c;
};
const xsk = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');

describe('X25519 edges', () => {
  it('TweetNaCl (no check) gives an all-zero secret for exactly these peers', () => {
    for (const u of [...LOW_ORDER, ...LOW_ORDER.map(withTopBit)]) {
      expect(toHex(nacl.scalarMult(xsk, u))).toBe('00'.repeat(32));
    }
  });

  describe.each(backends)('$name backend', (backend) => {
    it('refuses the 14 low-order encodings with CRYPTO_ZERO_SHARED_SECRET', () => {
      for (const u of [...LOW_ORDER, ...LOW_ORDER.map(withTopBit)]) {
        throwsCode(() => backend.x25519.sharedSecret(xsk, u), 'CRYPTO_ZERO_SHARED_SECRET');
      }
    });

    it('reduces non-canonical u (p+2 .. p+18, top bit set) mod p, as RFC 7748 §5 says', () => {
      for (let i = 2n; i <= 18n; i++) {
        const got = backend.x25519.sharedSecret(xsk, le32(P + i));
        expect(toHex(got)).toBe(toHex(backend.x25519.sharedSecret(xsk, le32(i))));
        expect(toHex(got)).toBe(toHex(nacl.scalarMult(xsk, le32(P + i))));
        expect(toHex(backend.x25519.sharedSecret(xsk, withTopBit(le32(i))))).toBe(toHex(got));
      }
    });
  });

  it('both backends give the same outcome for every low-order and near-p peer', () => {
    const [a, b] = backends;
    for (const u of [...LOW_ORDER, le32(P - 2n), le32(2n), le32(P + 2n)]) {
      expect(outcome(() => a!.x25519.sharedSecret(xsk, u))).toEqual(
        outcome(() => b!.x25519.sharedSecret(xsk, u)),
      );
    }
  });
});
