/**
 * Self-test of a key in an HSM, as Let's Encrypt's ceremony tool does after key generation: a
 * signing key signs a fresh random nonce inside the device and the signature must verify under the
 * public key read back; a key-agreement key does an ECDH round trip with a fresh ephemeral peer,
 * and the device's shared secret must equal the one computed outside with the public key.
 */
import { equalBytes, utf8Encode } from '../../../codec/index.js';
import { ed25519, p256, randomBytes, x25519 } from '../../../crypto/index.js';
import { UsageError } from '../../../errors.js';
import type { Hsm, KeyInfo } from '../../../hsm/index.js';

/** What a self-test did: `sign` or `ecdh`. */
export type SelfTestMethod = 'sign' | 'ecdh';

/** Context string of the self-test message, so the signature can never be mistaken for another. */
const CONTEXT = utf8Encode('fleet-ceremony key self-test v1\0');

/**
 * Self-tests `key` (as `findKey` or `generateKey` returned it) in `hsm`.
 * @param where - names the key in errors, e.g. `hsm-1/fleet-session-1`.
 * @throws UsageError `CEREMONY_SELF_TEST_FAILED` when the result does not check out; whatever the
 *   HSM throws.
 */
export async function selfTestKey(hsm: Hsm, key: KeyInfo, where: string): Promise<SelfTestMethod> {
  if (key.usages.includes('sign') && key.algorithm !== 'x25519') {
    const message = new Uint8Array([...CONTEXT, ...randomBytes(32)]);
    const signature = await hsm.sign(key.label, message);
    const ok =
      key.algorithm === 'ed25519'
        ? ed25519.verify(key.publicKey, message, signature)
        : p256.verify(key.publicKey, message, signature);
    if (!ok) fail(where, 'its signature over a fresh nonce does not verify under its public key');
    return 'sign';
  }
  if (key.usages.includes('derive')) {
    const scheme = key.algorithm === 'x25519' ? x25519 : key.algorithm === 'p256' ? p256 : undefined;
    if (scheme === undefined) fail(where, `a ${key.algorithm} key cannot do key agreement`);
    const peer = scheme.generateKeyPair();
    try {
      const inside = await hsm.deriveSharedSecret(key.label, peer.publicKey);
      const outside =
        key.algorithm === 'x25519'
          ? x25519.sharedSecret(peer.secretKey, key.publicKey)
          : p256.sharedSecret(peer.secretKey, key.publicKey);
      const ok = equalBytes(inside, outside);
      inside.fill(0);
      outside.fill(0);
      if (!ok) fail(where, 'its ECDH result differs from the one computed with its public key');
    } finally {
      // The ephemeral peer key is a secret of this test only: wipe it.
      peer.secretKey.fill(0);
    }
    return 'ecdh';
  }
  return fail(where, 'it can neither sign nor derive');
}

function fail(where: string, why: string): never {
  throw new UsageError('CEREMONY_SELF_TEST_FAILED', `${where}: self-test failed: ${why}`, { field: where });
}
