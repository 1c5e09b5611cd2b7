/**
 * Ed25519 edge cases, on both backends: S >= L, small-order and non-canonical public keys, keys off
 * the curve, and the torsion cases where cofactored and cofactorless verification differ.
 */
import { ed25519 as nobleEd, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { ED25519_L, ED25519_SMALL_ORDER_POINTS } from '../../../ceremony/crypto/ed25519-rules.js';
import { okpPublicKey } from '../../../ceremony/crypto/native-keys.js';
import type { NodeCryptoModule } from '../../../ceremony/crypto/native-keys.js';
import { backends, hex, le32, outcome, throwsCode, toHex } from './helpers.js';

const seed = hex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'); // RFC 8032 TEST 2
const pub = nobleEd.getPublicKey(seed);
const msg = new TextEncoder().encode('fleet key set digest');
const sig = nobleEd.sign(msg, seed);
const Point = nobleEd.Point;

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const leToBig = (b: Uint8Array) => BigInt(`0x${toHex(Uint8Array.from(b).reverse()) || '0'}`);
/** k = SHA-512(R || A || M) mod L (RFC 8032 §5.1.7). */
const challenge = (R: Uint8Array, A: Uint8Array, M: Uint8Array) =>
  leToBig(sha512(concat(R, A, M))) % ED25519_L;
const secretScalar = nobleEd.utils.getExtendedPublicKey(seed).scalar;
const order8 = Point.fromBytes(hex(ED25519_TORSION_SUBGROUP[1]!));

/** A y (little-endian) whose point does not exist on edwards25519. */
const offCurve = (() => {
  for (let y = 2n; ; y++) {
    const enc = le32(y);
    try {
      Point.fromBytes(enc);
    } catch {
      return enc;
    }
  }
})();

describe.each(backends)('Ed25519 edges, $name backend', (backend) => {
  const verify = (pk: Uint8Array, m: Uint8Array, s: Uint8Array) => backend.ed25519.verify(pk, m, s);

  it('S >= L is invalid (false), for S + L, L and 2^256 - 1', () => {
    const S = leToBig(sig.subarray(32));
    expect(verify(pub, msg, sig)).toBe(true);
    for (const bad of [S + ED25519_L, ED25519_L, (1n << 256n) - 1n]) {
      expect(verify(pub, msg, concat(sig.subarray(0, 32), le32(bad)))).toBe(false);
    }
  });

  it('refuses each of the 8 small-order public keys as CRYPTO_WEAK_PUBLIC_KEY', () => {
    for (const small of ED25519_SMALL_ORDER_POINTS) {
      throwsCode(() => verify(small, msg, sig), 'CRYPTO_WEAK_PUBLIC_KEY');
    }
  });

  it('refuses non-canonical public keys (y >= p; x = 0 with the sign bit) as CRYPTO_BAD_PUBLIC_KEY', () => {
    const nonCanonical = [
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = p + 1 (the identity)
      'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', // y = 2^255 - 1, sign bit
      '0100000000000000000000000000000000000000000000000000000000000080', // identity, x = -0
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', // order 2, x = -0
    ];
    for (const k of nonCanonical) throwsCode(() => verify(hex(k), msg, sig), 'CRYPTO_BAD_PUBLIC_KEY');
  });

  it('refuses a key off the curve, whatever the signature (even S >= L)', () => {
    throwsCode(() => verify(offCurve, msg, sig), 'CRYPTO_BAD_PUBLIC_KEY');
    const highS = concat(sig.subarray(0, 32), le32(ED25519_L));
    throwsCode(() => verify(offCurve, msg, highS), 'CRYPTO_BAD_PUBLIC_KEY');
  });

  it('rejects R with a torsion component (cofactorless), which cofactored noble.verify accepts', () => {
    const r = 1234567n;
    const R = Point.BASE.multiply(r).add(order8).toBytes();
    const S = (r + challenge(R, pub, msg) * secretScalar) % ED25519_L;
    const forged = concat(R, le32(S));
    expect(nobleEd.verify(forged, msg, pub, { zip215: false })).toBe(true); // [8]-multiplied equation holds
    expect(verify(pub, msg, forged)).toBe(false);
  });

  it('mixed-order A: verifies exactly when 8 divides k, as OpenSSL and the RFC 8032 §5.1.7 cofactorless check say', () => {
    const A = Point.fromBytes(pub).add(order8).toBytes();
    const r = 7654321n;
    const R = Point.BASE.multiply(r).toBytes();
    const seen = new Set<boolean>();
    for (let i = 0; seen.size < 2; i++) {
      const m = new TextEncoder().encode(`message ${i}`);
      const k = challenge(R, A, m);
      const s = concat(R, le32((r + k * secretScalar) % ED25519_L));
      const want = k % 8n === 0n;
      expect(verify(A, m, s)).toBe(want);
      seen.add(want);
    }
  });
});

describe('why these rules', () => {
  it('noble small-order list equals ours, and each point has small order', () => {
    expect(ED25519_SMALL_ORDER_POINTS.map(toHex).sort()).toEqual([...ED25519_TORSION_SUBGROUP].sort());
    for (const p of ED25519_SMALL_ORDER_POINTS) expect(Point.fromBytes(p).isSmallOrder()).toBe(true);
  });

  it('OpenSSL alone accepts (identity, identity, S = 0) for any message: the small-order check is ours', () => {
    const nc = process.getBuiltinModule('node:crypto') as NodeCryptoModule;
    const identity = ED25519_SMALL_ORDER_POINTS[0]!;
    const trivial = concat(identity, new Uint8Array(32));
    expect(nc.verify(null, msg, okpPublicKey(nc, 'Ed25519', identity), trivial)).toBe(true);
    for (const backend of backends)
      expect(outcome(() => backend.ed25519.verify(identity, msg, trivial))).toMatchObject({
        code: 'CRYPTO_WEAK_PUBLIC_KEY',
      });
  });

  it('TweetNaCl accepts S + L (no S < L check), which is why it is only the oracle', () => {
    const S = leToBig(sig.subarray(32));
    const malleated = concat(sig.subarray(0, 32), le32(S + ED25519_L));
    expect(nacl.sign.detached.verify(msg, malleated, pub)).toBe(true);
  });
});
