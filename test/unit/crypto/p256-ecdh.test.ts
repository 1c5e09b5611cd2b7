/**
 * P-256 ECDH (`p256.sharedSecret`) on both backends: the NIST CAVS vector, agreement between the
 * backends, with an independent implementation (node:crypto's ECDH used directly) and with the
 * emulated HSM's derive, the symmetry of the agreement, compressed peers, and the refusals: a peer
 * off the curve, of the wrong shape or length, and secret scalars out of range.
 */
import { createECDH } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { p256 } from '../../../ceremony/crypto/index.js';
import { P256_N, P256_P } from '../../../ceremony/crypto/p256-rules.js';
import { deriveWith } from '../../../ceremony/hsm/emulated/keys.js';
import { backends, be32, hex, outcome, plain, runs, throwsCode, toHex } from './helpers.js';

/**
 * NIST CAVS 14.1 ECC CDH primitive test vectors (SP 800-56A §5.7.1.2), P-256, COUNT = 0
 * (KAS_ECC_CDH_PrimitiveTest.txt): the IUT's scalar and public key, the CAVS public key, Z.
 */
const CAVS = {
  dIUT: hex('7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534'),
  QIUT: hex(
    '04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230' +
      '28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141',
  ),
  QCAVS: hex(
    '04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287' +
      'db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac',
  ),
  Z: '46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b',
};

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const compress = (pk: Uint8Array) => concat(Uint8Array.of(2 + (pk[64]! & 1)), pk.subarray(1, 33));

/** OpenSSL's ECDH straight from node:crypto, outside the facade: an independent oracle. */
function opensslEcdh(secretKey: Uint8Array, peer: Uint8Array): string {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(secretKey);
  return ecdh.computeSecret(peer).toString('hex');
}

/** A 32-byte secret scalar in [1, n-1] from an arbitrary bigint. */
const scalar = fc.bigInt({ min: 1n, max: P256_N - 1n }).map((d) => be32(d));

describe.each(backends)('P-256 ECDH, $name backend', (backend) => {
  it('reproduces the NIST CAVS ECC CDH vector (P-256, COUNT = 0)', () => {
    expect(toHex(backend.p256.getPublicKey(CAVS.dIUT))).toBe(toHex(CAVS.QIUT));
    expect(toHex(backend.p256.sharedSecret(CAVS.dIUT, CAVS.QCAVS))).toBe(CAVS.Z);
    expect(toHex(backend.p256.sharedSecret(CAVS.dIUT, compress(CAVS.QCAVS)))).toBe(CAVS.Z);
  });

  it('is symmetric, 32 bytes, and agrees with OpenSSL used directly', () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        const A = backend.p256.getPublicKey(a);
        const B = backend.p256.getPublicKey(b);
        const ab = backend.p256.sharedSecret(a, B);
        expect(ab).toHaveLength(32);
        expect(toHex(backend.p256.sharedSecret(b, A))).toBe(toHex(ab));
        expect(toHex(ab)).toBe(opensslEcdh(a, B));
      }),
      { numRuns: runs(40) },
    );
  });

  it('refuses a peer key off the curve (an invalid-curve attack), naming peerPublicKey', () => {
    const bad = plain(CAVS.QCAVS);
    bad[64] = bad[64]! ^ 1;
    const e = throwsCode(() => backend.p256.sharedSecret(CAVS.dIUT, bad), 'CRYPTO_BAD_PUBLIC_KEY');
    expect(e.field).toBe('peerPublicKey');
    expect(e.message).toContain('not a point on the curve');
    // The point at infinity's x = 0, y = 0 encoding, and (0, 0) generally, are off the curve.
    throwsCode(
      () => backend.p256.sharedSecret(CAVS.dIUT, new Uint8Array(65).fill(0, 1).fill(4, 0, 1)),
      'CRYPTO_BAD_PUBLIC_KEY',
    );
  });

  it('refuses malformed peers and secrets with the shared codes, never echoing the secret', () => {
    throwsCode(() => backend.p256.sharedSecret(CAVS.dIUT, CAVS.QCAVS.subarray(0, 64)), 'CRYPTO_BAD_LENGTH');
    throwsCode(
      () => backend.p256.sharedSecret(CAVS.dIUT, concat(Uint8Array.of(5), CAVS.QCAVS.subarray(1))),
      'CRYPTO_BAD_PUBLIC_KEY',
    );
    throwsCode(
      () => backend.p256.sharedSecret(CAVS.dIUT, concat(Uint8Array.of(4), be32(P256_P), be32(1n))),
      'CRYPTO_BAD_PUBLIC_KEY',
    );
    throwsCode(
      () => backend.p256.sharedSecret(CAVS.dIUT, 'peer' as unknown as Uint8Array),
      'CRYPTO_BAD_TYPE',
    );
    throwsCode(() => backend.p256.sharedSecret(CAVS.dIUT.subarray(1), CAVS.QCAVS), 'CRYPTO_BAD_LENGTH');
    for (const d of [0n, P256_N, (1n << 256n) - 1n]) {
      const e = throwsCode(() => backend.p256.sharedSecret(be32(d), CAVS.QCAVS), 'CRYPTO_BAD_SECRET_KEY');
      expect(e.message).not.toContain(toHex(be32(d)).slice(0, 16));
    }
  });
});

describe('P-256 ECDH across implementations', () => {
  it('both backends give the same outcome, value or error, on valid and mutated peers', () => {
    fc.assert(
      fc.property(scalar, scalar, fc.nat(64), fc.nat(7), (a, b, at, bit) => {
        const peer = plain(backends[0]!.p256.getPublicKey(b));
        const mutated = plain(peer);
        mutated[at] = mutated[at]! ^ (1 << bit);
        for (const q of [peer, mutated, compress(peer)]) {
          const [x, y] = backends.map((be) => outcome(() => be.p256.sharedSecret(a, q)));
          expect(y).toEqual(x);
        }
      }),
      { numRuns: runs(60) },
    );
  });

  it('the facade agrees with the emulated HSM derive (the x-coordinate, as CKM_ECDH1_DERIVE gives)', () => {
    const me = p256.generateKeyPair();
    const peer = p256.generateKeyPair();
    expect(toHex(p256.sharedSecret(me.secretKey, peer.publicKey))).toBe(
      toHex(deriveWith('p256', me.secretKey, peer.publicKey)),
    );
    expect(toHex(p256.sharedSecret(peer.secretKey, me.publicKey))).toBe(
      toHex(p256.sharedSecret(me.secretKey, peer.publicKey)),
    );
  });
});
