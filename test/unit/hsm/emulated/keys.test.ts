/**
 * The post-generation self-test and usage rules of the emulated device's key operations: the
 * self-test accepts a working key and rejects a device that signs or derives wrongly.
 */
import { describe, expect, it } from 'vitest';
import {
  checkUsages,
  deriveWith,
  generateKeyPair,
  selfTest,
  signWith,
} from '../../../../ceremony/hsm/emulated/keys.js';
import type { KeyAlgorithm } from '../../../../ceremony/hsm/types.js';

function subject(algorithm: KeyAlgorithm, usages = checkUsages(algorithm)) {
  const pair = generateKeyPair(algorithm);
  return {
    algorithm,
    usages,
    publicKey: pair.publicKey,
    sign: (m: Uint8Array) => signWith(algorithm, pair.secretKey, m),
    derive: (p: Uint8Array) => deriveWith(algorithm, pair.secretKey, p),
  };
}

describe('emulated HSM: self-test', () => {
  it.each(['ed25519', 'p256', 'x25519'] as const)('passes for a working %s key', (alg) => {
    expect(selfTest(subject(alg))).toBe(true);
  });

  it('passes for a P-256 key that signs and derives', () => {
    expect(selfTest(subject('p256', ['sign', 'derive']))).toBe(true);
  });

  it('fails when the signature does not verify under the read-back public key', () => {
    const s = subject('ed25519');
    expect(selfTest({ ...s, publicKey: generateKeyPair('ed25519').publicKey })).toBe(false);
    expect(selfTest({ ...s, sign: (m) => s.sign(Uint8Array.of(...m, 0)) })).toBe(false);
  });

  it('fails when the ECDH round trip disagrees, or the operation throws', () => {
    const s = subject('x25519');
    expect(selfTest({ ...s, derive: (p) => s.derive(p).map((b, i) => (i === 0 ? b ^ 1 : b)) })).toBe(false);
    expect(selfTest({ ...s, publicKey: generateKeyPair('x25519').publicKey })).toBe(false);
    expect(
      selfTest({
        ...s,
        derive: () => {
          throw new Error('device error');
        },
      }),
    ).toBe(false);
    const p = subject('p256', ['derive']);
    expect(selfTest({ ...p, publicKey: generateKeyPair('p256').publicKey })).toBe(false);
  });

  it('orders usages canonically and applies the defaults', () => {
    expect(checkUsages('p256', ['derive', 'sign'])).toEqual(['sign', 'derive']);
    expect(checkUsages('ed25519')).toEqual(['sign']);
    expect(checkUsages('x25519')).toEqual(['derive']);
  });
});
