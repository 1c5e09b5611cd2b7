/**
 * X25519 rules both backends enforce with the same result (RFC 7748 §5 and §6.1).
 *
 * Any 32 bytes are a peer public key: the top bit is masked and u is taken mod p (RFC 7748 §5).
 * Because secret scalars are clamped to multiples of 8, the shared secret is all zeros exactly when
 * the peer's u is that of a point of order dividing 8 on the curve or its twist: u in
 * {0, 1, p-1, and the two u of order 8}. RFC 7748 §6.1 lets implementations refuse that result;
 * we refuse the peer key *before* running the ladder on the secret (as libsodium and noble do),
 * with `CRYPTO_ZERO_SHARED_SECRET`, and check the result for zeros as well.
 *
 * Public keys that *our* formats carry are stricter: see {@link x25519IsCanonical}.
 *
 * Both checks compare bytes (./bytes.ts compareLE), not BigInts: they run for every X25519 key of
 * every fleet key set a client decodes.
 *
 * Portable: no `node:` imports.
 */
import { bigintFromLE, bigintToLE, compareLE } from './bytes.js';
import { cryptoError } from './input.js';

/** The field prime p = 2^255 - 19. */
const P = (1n << 255n) - 19n;

/** p as 32 little-endian bytes. */
const P_LE = bigintToLE(P, 32);

/** u-coordinates (mod p) of the points of order 1, 2, 4 and 8 on Curve25519 and its twist. */
const LOW_ORDER_U: readonly bigint[] = [
  0n,
  1n,
  P - 1n,
  // 0xe0eb7a7c…b800 and 0x5f9c95bc…1157 little-endian: the two points of order 8.
  bigintFromLE(hexLE('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')),
  bigintFromLE(hexLE('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157')),
];

/**
 * Every 255-bit value (bit 255 masked, RFC 7748 §5) that is one of {@link LOW_ORDER_U} mod p, as
 * 32 little-endian bytes: each u, and u + p where that is still below 2^255 (u = 0 and u = 1;
 * the others are at least 19). With bit 255 set or clear, these are the 14 encodings.
 */
const LOW_ORDER_LE: readonly Uint8Array[] = LOW_ORDER_U.flatMap((u) =>
  u + P < 1n << 255n ? [u, u + P] : [u],
).map((v) => bigintToLE(v, 32));

function hexLE(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Whether a 32-byte X25519 public key would force an all-zero shared secret with every secret key.
 *
 * Precondition: `publicKey.length === 32`.
 */
export function x25519IsLowOrder(publicKey: Uint8Array): boolean {
  // decodeUCoordinate(publicKey) mod p is low order exactly when the masked value is one of these.
  for (const v of LOW_ORDER_LE) if (compareLE(publicKey, v, 0, 0x7f) === 0) return true;
  return false;
}

/**
 * Asserts that a peer public key does not force the all-zero shared secret.
 *
 * @throws MalformedError `CRYPTO_ZERO_SHARED_SECRET` (RFC 7748 §6.1).
 */
export function checkX25519Peer(publicKey: Uint8Array, field = 'peerPublicKey'): void {
  if (x25519IsLowOrder(publicKey)) {
    throw cryptoError(
      'CRYPTO_ZERO_SHARED_SECRET',
      field,
      `x25519 ${field}: a low-order point; the shared secret would be all zeros (RFC 7748 §6.1)`,
    );
  }
}

/**
 * Whether a 32-byte X25519 public key is in canonical form: top bit clear and u < p. X25519 itself
 * accepts any 32 bytes; keys stored in our formats (SubjectPublicKeyInfo, fleet key sets) must be
 * canonical so that one key has one encoding.
 */
export function x25519IsCanonical(publicKey: Uint8Array): boolean {
  if ((publicKey[31]! & 0x80) !== 0) return false;
  return compareLE(publicKey, P_LE) < 0;
}
