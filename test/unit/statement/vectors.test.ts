/**
 * Plexi vectors (test/vectors/plexi): both ciphersuites encode to the bytes that were signed, the
 * signatures verify, re-signing with the vector's key reproduces them, and the key ID is the last
 * byte of the public key.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeSignatureMessage,
  encodeSignatureMessage,
  signWitnessStatement,
  statementKeyId,
  verifyWitnessStatement,
} from '../../../ceremony/statement/index.js';
import { h, hex, vector } from '../tlog/helpers.js';

interface PlexiVector {
  signing_key: string;
  verifying_key: string;
  key_id: number;
  namespace: string;
  timestamp: number;
  epoch: number;
  digest: string;
  signature: string;
  ciphersuite: number;
}

const vectors = vector<PlexiVector[]>('plexi/test-vectors.json');

const messageOf = (v: PlexiVector) => ({
  ciphersuite: v.ciphersuite,
  namespace: v.namespace,
  timestamp: v.timestamp,
  epoch: v.epoch,
  digest: h(v.digest),
});

describe('Plexi vectors', () => {
  it('has one vector per ciphersuite', () => {
    expect(vectors.map((v) => v.ciphersuite)).toEqual([1, 2]);
  });

  it('vector 1 encodes to the protobuf bytes of the README', () => {
    const want = '080112106c6f67312e6578616d706c652e636f6d18b1a5e1d1fc31220208012a20' + '11'.repeat(32);
    expect(hex(encodeSignatureMessage(messageOf(vectors[0]!)))).toBe(want);
  });

  it('vector 2 encodes to the bincode layout of the README', () => {
    const v = vectors[1]!;
    const le = (n: bigint, bytes: number): string => {
      const b = Buffer.alloc(bytes);
      if (bytes === 4) b.writeUInt32LE(Number(n));
      else b.writeBigUInt64LE(n);
      return b.toString('hex');
    };
    const want =
      le(2n, 4) +
      le(16n, 8) +
      Buffer.from(v.namespace).toString('hex') +
      le(BigInt(v.timestamp), 8) +
      le(BigInt(v.epoch), 8) +
      le(32n, 8) +
      v.digest;
    expect(hex(encodeSignatureMessage(messageOf(v)))).toBe(want);
  });

  for (const v of vectors) {
    describe(`ciphersuite ${v.ciphersuite} (${v.namespace})`, () => {
      const bytes = encodeSignatureMessage(messageOf(v));
      const pk = h(v.verifying_key);

      it('verifies the published signature', () => {
        expect(verifyWitnessStatement(bytes, h(v.signature), pk)).toBe(true);
      });

      it('reproduces the signature with the signing key, from bytes and from fields', () => {
        expect(hex(signWitnessStatement(bytes, h(v.signing_key)))).toBe(v.signature);
        expect(hex(signWitnessStatement(messageOf(v), h(v.signing_key)))).toBe(v.signature);
      });

      it('decodes back to the fields', () => {
        const m = decodeSignatureMessage(bytes);
        expect(m).toEqual({
          ciphersuite: v.ciphersuite,
          namespace: v.namespace,
          timestamp: BigInt(v.timestamp),
          epoch: BigInt(v.epoch),
          digest: h(v.digest),
        });
        expect(decodeSignatureMessage(bytes, v.ciphersuite as 1 | 2).ciphersuite).toBe(v.ciphersuite);
      });

      it('has the key ID of the vector', () => {
        expect(statementKeyId(pk)).toBe(v.key_id);
      });

      it('does not verify under the other ciphersuite, another namespace or a changed byte', () => {
        const other = encodeSignatureMessage({ ...messageOf(v), ciphersuite: 3 - v.ciphersuite });
        expect(verifyWitnessStatement(other, h(v.signature), pk)).toBe(false);
        const ns = encodeSignatureMessage({ ...messageOf(v), namespace: v.namespace.replace('log', 'gol') });
        expect(verifyWitnessStatement(ns, h(v.signature), pk)).toBe(false);
        const sig = h(v.signature);
        for (let i = 0; i < sig.length; i++) {
          const bad = sig.slice();
          bad[i] = bad[i]! ^ 0x01;
          expect(verifyWitnessStatement(bytes, bad, pk), `signature byte ${i}`).toBe(false);
        }
      });
    });
  }
});
