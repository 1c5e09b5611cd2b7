/**
 * The operator key id carried in validation bundles, so a client finds the pinned key that made a
 * counter-signature without trying each: the first 4 bytes, big-endian, of
 * `SHA-256("fleet-ceremony operator key\n" || algorithm name || "\n" || public key)`
 * (docs/formats.md, "Operator key id"). Binding the algorithm name keeps one key from being
 * taken for another algorithm's.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes, utf8Encode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { usage } from './fields.js';

/** The algorithms an operator counter-signing key may use. */
export type OperatorKeyAlgorithm = 'ed25519' | 'p256';

const PREFIX = utf8Encode('fleet-ceremony operator key\n');

/**
 * The operator key id of a public key, an unsigned 32-bit number.
 *
 * @param algorithm - `ed25519` or `p256`.
 * @param publicKey - raw public key (Ed25519 32 bytes, P-256 SEC 1 uncompressed 65 bytes); not
 *   validated here (the trust file parser does that).
 * @throws UsageError `OPERATOR_KEY_ALGORITHM_INVALID` for another algorithm.
 * @example operatorKeyId('ed25519', publicKey) // e.g. 0x1c0ffee5
 */
export function operatorKeyId(algorithm: OperatorKeyAlgorithm, publicKey: Uint8Array): number {
  if (algorithm !== 'ed25519' && algorithm !== 'p256') {
    usage('OPERATOR_KEY_ALGORITHM_INVALID', 'algorithm', `got ${String(algorithm)}, want ed25519 or p256`);
  }
  const h = sha256(concatBytes(PREFIX, utf8Encode(`${algorithm}\n`), publicKey));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}
