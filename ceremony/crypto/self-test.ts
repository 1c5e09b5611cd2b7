/**
 * Known-answer self-test a backend must pass before the facade uses it (in the spirit of a FIPS
 * 140-3 power-on self-test): one published vector per primitive, plus one rejection each.
 *
 * - SHA-256: FIPS 180-2 Appendix B.1 ("abc").
 * - Ed25519: RFC 8032 §7.1, TEST 2.
 * - X25519: RFC 7748 §6.1 (Alice and Bob).
 * - ECDSA P-256: RFC 6979 Appendix A.2.5, SHA-256, message "sample" (key and signature).
 * - ECDH P-256: NIST CAVS 14.1 ECC CDH primitive vectors (SP 800-56A §5.7.1.2,
 *   KAS_ECC_CDH_PrimitiveTest.txt), P-256 COUNT = 0, peer uncompressed and compressed; and the
 *   refusal of a peer point off the curve (an invalid-curve attack would read the secret scalar).
 *
 * Portable: no `node:` imports.
 */
import { isCeremonyError, UsageError } from '../errors.js';
import { bytesEqual } from './bytes.js';
import type { CryptoErrorCode } from './input.js';
import type { CryptoBackend } from './types.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const ascii = (s: string) => new TextEncoder().encode(s);

const SHA256_ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

const ED_SEED = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
const ED_PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';
const ED_SIG =
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' +
  '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00';

const X_ALICE_SECRET = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const X_ALICE_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const X_BOB_PUBLIC = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
const X_SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

const P256_SECRET = 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721';
const P256_PUBLIC =
  '04' +
  '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
  '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
const P256_SIG_SAMPLE =
  'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
  'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8';

/** NIST CAVS ECC CDH, P-256, COUNT = 0: the IUT's scalar, the CAVS public key and Z (x-coordinate). */
const ECDH_D_IUT = '7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534';
const ECDH_Q_CAVS_X = '700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287';
const ECDH_Q_CAVS_Y = 'db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac';
const ECDH_Z = '46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b';

/**
 * Runs the known-answer tests against `backend`.
 *
 * @throws UsageError `CRYPTO_SELF_TEST_FAILED` naming the first check that failed.
 */
export function selfTest(backend: CryptoBackend): void {
  const fail = (what: string): never => {
    throw new UsageError<CryptoErrorCode>(
      'CRYPTO_SELF_TEST_FAILED',
      `${backend.name} crypto self-test: ${what}`,
    );
  };
  if (!bytesEqual(backend.sha256(ascii('abc')), hex(SHA256_ABC))) fail('sha256("abc")');

  const seed = hex(ED_SEED);
  const message = hex('72');
  if (!bytesEqual(backend.ed25519.getPublicKey(seed), hex(ED_PUBLIC))) fail('ed25519 public key');
  if (!bytesEqual(backend.ed25519.sign(seed, message), hex(ED_SIG))) fail('ed25519 signature');
  if (!backend.ed25519.verify(hex(ED_PUBLIC), message, hex(ED_SIG))) fail('ed25519 verify');
  if (backend.ed25519.verify(hex(ED_PUBLIC), hex('73'), hex(ED_SIG)))
    fail('ed25519 verify of a wrong message');

  const alice = hex(X_ALICE_SECRET);
  if (!bytesEqual(backend.x25519.getPublicKey(alice), hex(X_ALICE_PUBLIC))) fail('x25519 public key');
  if (!bytesEqual(backend.x25519.sharedSecret(alice, hex(X_BOB_PUBLIC)), hex(X_SHARED)))
    fail('x25519 shared secret');

  const p256Secret = hex(P256_SECRET);
  const sample = ascii('sample');
  if (!bytesEqual(backend.p256.getPublicKey(p256Secret), hex(P256_PUBLIC))) fail('p256 public key');
  if (!backend.p256.verify(hex(P256_PUBLIC), sample, hex(P256_SIG_SAMPLE))) fail('p256 verify');
  if (backend.p256.verify(hex(P256_PUBLIC), ascii('test'), hex(P256_SIG_SAMPLE)))
    fail('p256 verify of a wrong message');
  if (!backend.p256.verify(hex(P256_PUBLIC), sample, backend.p256.sign(p256Secret, sample)))
    fail('p256 sign');

  const dIut = hex(ECDH_D_IUT);
  const qCavs = hex(`04${ECDH_Q_CAVS_X}${ECDH_Q_CAVS_Y}`);
  if (!bytesEqual(backend.p256.sharedSecret(dIut, qCavs), hex(ECDH_Z))) fail('p256 ecdh shared secret');
  // Compressed: 02 for an even y (its last byte, 0xac, is even).
  if (!bytesEqual(backend.p256.sharedSecret(dIut, hex(`02${ECDH_Q_CAVS_X}`)), hex(ECDH_Z)))
    fail('p256 ecdh shared secret, compressed peer');
  // (x, y + 1) is off the curve when (x, y) is on it: the peer must be refused, not multiplied.
  const offCurve = hex(`04${ECDH_Q_CAVS_X}${ECDH_Q_CAVS_Y.slice(0, 62)}ad`);
  let refused = false;
  try {
    backend.p256.sharedSecret(dIut, offCurve);
  } catch (e) {
    refused = isCeremonyError(e) && e.code === 'CRYPTO_BAD_PUBLIC_KEY';
  }
  if (!refused) fail('p256 ecdh with a peer off the curve');
}
