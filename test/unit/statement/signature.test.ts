/**
 * Signing and verifying witness statements: Ed25519 over the encoded bytes, strict decoding before
 * signing and verifying, a failure for every one-byte change, and the key ID.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeSignatureMessage,
  signWitnessStatement,
  statementKeyId,
  verifyWitnessStatement,
} from '../../../ceremony/statement/index.js';
import { h, hex, malformed, misuse, seededKey } from '../tlog/helpers.js';

const D = new Uint8Array(32).fill(0x11);
const base = { namespace: 'log1.example.com', timestamp: 1717084639921, epoch: 1, digest: D };
const PB = hex(encodeSignatureMessage({ ...base, ciphersuite: 1 }));
const BC = hex(encodeSignatureMessage({ ...base, ciphersuite: 2 }));

describe('signing and verification', () => {
  const key = seededKey(30);
  const bytes = h(PB);
  const sig = signWitnessStatement(bytes, key.secretKey);

  it('verify what was signed, for both ciphersuites', () => {
    expect(verifyWitnessStatement(bytes, sig, key.publicKey)).toBe(true);
    const bc = h(BC);
    expect(verifyWitnessStatement(bc, signWitnessStatement(bc, key.secretKey), key.publicKey)).toBe(true);
  });

  it('fail on every one-byte change of the message (false or a typed error)', () => {
    for (let i = 0; i < bytes.length; i++) {
      const m = bytes.slice();
      m[i] = m[i]! ^ 0x01;
      let ok = false;
      try {
        ok = verifyWitnessStatement(m, sig, key.publicKey);
      } catch (e) {
        expect((e as Error).name, `byte ${i}`).toBe('MalformedError');
      }
      expect(ok, `byte ${i}`).toBe(false);
    }
  });

  it('fail under another key', () => {
    expect(verifyWitnessStatement(bytes, sig, seededKey(31).publicKey)).toBe(false);
  });

  it('refuse malformed arguments', () => {
    malformed(
      () => verifyWitnessStatement(bytes, sig.subarray(1), key.publicKey),
      'STATEMENT_SIGNATURE_INVALID_LENGTH',
    );
    malformed(() => verifyWitnessStatement(bytes, sig, key.publicKey.subarray(1)), 'STATEMENT_KEY_INVALID');
    malformed(() => statementKeyId(new Uint8Array(33)), 'STATEMENT_KEY_INVALID');
    misuse(() => signWitnessStatement(bytes, new Uint8Array(64)), 'STATEMENT_KEY_INVALID');
    malformed(() => signWitnessStatement(h(PB + '00'), key.secretKey), 'STATEMENT_TRAILING_BYTES');
  });

  it('answers false, not an exception, for a public key that is not a curve point', () => {
    const notAPoint = new Uint8Array(32).fill(0xff);
    expect(verifyWitnessStatement(bytes, sig, notAPoint)).toBe(false);
  });

  it('key ID is the last byte', () => {
    expect(statementKeyId(key.publicKey)).toBe(key.publicKey[31]);
  });
});
