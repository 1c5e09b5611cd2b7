/**
 * RFC 8032 §7.1 Ed25519 test vectors (test/vectors/rfc8032) on both backends, with TweetNaCl as
 * the third, independent implementation.
 */
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { backends, flip, hex, toHex, vectors } from './helpers.js';

interface Ed25519Case {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

const file = vectors<{ source: string; cases: Ed25519Case[] }>('rfc8032/ed25519.json');

describe('RFC 8032 §7.1 vectors', () => {
  it('holds the five Ed25519 tests of §7.1', () => {
    expect(file.source).toContain('RFC 8032 §7.1');
    expect(file.cases.map((c) => c.name)).toEqual([
      'TEST 1',
      'TEST 2',
      'TEST 3',
      'TEST 1024',
      'TEST SHA(abc)',
    ]);
    expect(hex(file.cases[3]!.message)).toHaveLength(1023);
  });

  describe.each(backends)('$name backend', (backend) => {
    for (const v of file.cases) {
      it(`${v.name}: public key, signature, verification`, () => {
        const sk = hex(v.secretKey);
        const msg = hex(v.message);
        const sig = hex(v.signature);
        const pk = hex(v.publicKey);
        expect(toHex(backend.ed25519.getPublicKey(sk))).toBe(v.publicKey);
        expect(toHex(backend.ed25519.sign(sk, msg))).toBe(v.signature);
        expect(backend.ed25519.verify(pk, msg, sig)).toBe(true);
      });

      it(`${v.name}: a changed message or signature does not verify`, () => {
        const msg = hex(v.message);
        const sig = hex(v.signature);
        const pk = hex(v.publicKey);
        const otherMsg = msg.length === 0 ? new Uint8Array([0]) : flip(msg, msg.length - 1);
        expect(backend.ed25519.verify(pk, otherMsg, sig)).toBe(false);
        expect(backend.ed25519.verify(pk, msg, flip(sig, 0))).toBe(false); // R
        expect(backend.ed25519.verify(pk, msg, flip(sig, 40))).toBe(false); // S
      });
    }
  });

  it('agrees with TweetNaCl on every vector', () => {
    for (const v of file.cases) {
      const pair = nacl.sign.keyPair.fromSeed(hex(v.secretKey));
      expect(toHex(pair.publicKey)).toBe(v.publicKey);
      expect(toHex(nacl.sign.detached(hex(v.message), pair.secretKey))).toBe(v.signature);
      expect(nacl.sign.detached.verify(hex(v.message), hex(v.signature), hex(v.publicKey))).toBe(true);
    }
  });
});
