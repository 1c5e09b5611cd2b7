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
 * Portable: no `node:` imports.
 */
import { bigintFromLE } from './bytes.js';
import { cryptoError } from './input.js';

/** The field prime p = 2^255 - 19. */
const P = (1n << 255n) - 19n;

/** u-coordinates (mod p) of the points of order 1, 2, 4 and 8 on Curve25519 and its twist. */
const LOW_ORDER_U: ReadonlySet<bigint> = new Set([
  0n,
  1n,
  P - 1n,
  // 0xe0eb7a7c…b800 and 0x5f9c95bc…1157 little-endian: the two points of order 8.
  bigintFromLE(hexLE('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')),
  bigintFromLE(hexLE('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157')),
]);

function hexLE(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** RFC 7748 §5 decodeUCoordinate, reduced mod p. Precondition: 32 bytes. */
function decodeU(publicKey: Uint8Array): bigint {
  const copy = publicKey.slice();
  copy[31] = publicKey[31]! & 0x7f;
  return bigintFromLE(copy) % P;
}

/**
 * Whether a 32-byte X25519 public key would force an all-zero shared secret with every secret key.
 *
 * Precondition: `publicKey.length === 32`.
 */
export function x25519IsLowOrder(publicKey: Uint8Array): boolean {
  return LOW_ORDER_U.has(decodeU(publicKey));
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
  return bigintFromLE(publicKey) < P;
}
