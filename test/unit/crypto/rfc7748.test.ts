/**
 * RFC 7748 §5.2 and §6.1 X25519 vectors (test/vectors/rfc7748) on both backends. The iterated
 * vector runs 1,000 rounds on both; the 1,000,000-round value only with FLEET_LONG_TESTS=1 (native).
 */
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { backends, hex, LONG, native, toHex, vectors } from './helpers.js';
import type { CryptoBackend } from '../../../ceremony/crypto/index.js';

interface X25519File {
  source: string;
  scalarMult: { name: string; scalar: string; u: string; output: string }[];
  iterated: { start: string; after: Record<'1' | '1000' | '1000000', string> };
  diffieHellman: Record<'aliceSecret' | 'alicePublic' | 'bobSecret' | 'bobPublic' | 'shared', string>;
}

const file = vectors<X25519File>('rfc7748/x25519.json');

/** RFC 7748 §5.2: k, u ← X25519(k, u), k, repeated; returns k after `rounds`. */
function iterate(backend: CryptoBackend, rounds: number): string {
  let k = hex(file.iterated.start);
  let u = hex(file.iterated.start);
  for (let i = 0; i < rounds; i++) {
    const next = backend.x25519.sharedSecret(k, u);
    u = k;
    k = next;
  }
  return toHex(k);
}

describe('RFC 7748 vectors', () => {
  it('names its source', () => {
    expect(file.source).toContain('RFC 7748 §5.2');
    expect(file.source).toContain('§6.1');
  });

  describe.each(backends)('$name backend', (backend) => {
    for (const v of file.scalarMult) {
      it(`${v.name}`, () => {
        expect(toHex(backend.x25519.sharedSecret(hex(v.scalar), hex(v.u)))).toBe(v.output);
      });
    }

    it('§5.2 iterated: after 1 and 1,000 rounds', () => {
      expect(iterate(backend, 1)).toBe(file.iterated.after['1']);
      expect(iterate(backend, 1000)).toBe(file.iterated.after['1000']);
    });

    it('§6.1 Diffie-Hellman: both public keys and the shared secret, from both sides', () => {
      const d = file.diffieHellman;
      expect(toHex(backend.x25519.getPublicKey(hex(d.aliceSecret)))).toBe(d.alicePublic);
      expect(toHex(backend.x25519.getPublicKey(hex(d.bobSecret)))).toBe(d.bobPublic);
      expect(toHex(backend.x25519.sharedSecret(hex(d.aliceSecret), hex(d.bobPublic)))).toBe(d.shared);
      expect(toHex(backend.x25519.sharedSecret(hex(d.bobSecret), hex(d.alicePublic)))).toBe(d.shared);
    });
  });

  it('agrees with TweetNaCl on the §5.2 and §6.1 vectors', () => {
    for (const v of file.scalarMult) expect(toHex(nacl.scalarMult(hex(v.scalar), hex(v.u)))).toBe(v.output);
    const d = file.diffieHellman;
    expect(toHex(nacl.scalarMult(hex(d.aliceSecret), hex(d.bobPublic)))).toBe(d.shared);
  });

  it.runIf(LONG)('§5.2 iterated: after 1,000,000 rounds (native)', { timeout: 1_800_000 }, async () => {
    const backend = native();
    let k = hex(file.iterated.start);
    let u = hex(file.iterated.start);
    for (let i = 0; i < 1_000_000; i++) {
      const next = backend.x25519.sharedSecret(k, u);
      u = k;
      k = next;
      // Yield now and then so the test worker can answer the runner (it times out otherwise).
      if (i % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(toHex(k)).toBe(file.iterated.after['1000000']);
  });
});
