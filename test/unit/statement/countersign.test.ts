/**
 * The operator counter-signature, made inside a real emulated HSM with Ed25519 and P-256 keys:
 * the message is domain-separated and binds the statement; verification refuses any change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, utf8Encode } from '../../../ceremony/codec/index.js';
import { ed25519, p256, sha256 } from '../../../ceremony/crypto/index.js';
import { isCeremonyError } from '../../../ceremony/errors.js';
import {
  COUNTERSIGNATURE_CONTEXT,
  countersign,
  countersignMessage,
  encodeSignatureMessage,
  signWitnessStatement,
  verifyCountersignature,
} from '../../../ceremony/statement/index.js';
import type { EmulatedHsm } from '../../../ceremony/hsm/index.js';
import { emulatedOperator } from '../bundle/fixture.js';

const statement = encodeSignatureMessage({
  ciphersuite: 1,
  namespace: 'example.com/fleet',
  timestamp: 1750000000000,
  epoch: 2,
  digest: new Uint8Array(32).fill(7),
});
const witnessSignature = signWitnessStatement(statement, new Uint8Array(32).fill(1));
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isCeremonyError(e) ? e.code : String(e)),
  );

let dev: Awaited<ReturnType<typeof emulatedOperator>>;
let hsm: EmulatedHsm;
beforeAll(async () => {
  dev = await emulatedOperator('ed25519', 'op-ed');
  hsm = dev.hsm;
  await hsm.generateKey({ label: 'op-p256', algorithm: 'p256' });
  await hsm.generateKey({ label: 'session', algorithm: 'x25519' });
});
afterAll(async () => dev?.cleanup());

describe('countersignMessage', () => {
  it('is context || 0x00 || SHA-256(statement) || witness signature', () => {
    const m = countersignMessage(witnessSignature, statement);
    expect(COUNTERSIGNATURE_CONTEXT).toBe('fleet-ceremony operator counter-signature v1');
    expect(m).toEqual(
      concatBytes(
        utf8Encode(COUNTERSIGNATURE_CONTEXT),
        Uint8Array.of(0),
        sha256(statement),
        witnessSignature,
      ),
    );
    expect(m.length).toBe(44 + 1 + 32 + 64);
  });

  it('refuses a witness signature that is not 64 bytes, and an empty statement', () => {
    expect(() => countersignMessage(new Uint8Array(63), statement)).toThrow(
      expect.objectContaining({ code: 'COUNTERSIGN_INPUT_INVALID', field: 'witnessSignature' }),
    );
    expect(() => countersignMessage(witnessSignature, new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'COUNTERSIGN_INPUT_INVALID', field: 'statement' }),
    );
  });
});

describe.each([
  ['ed25519', 'op-ed'],
  ['p256', 'op-p256'],
] as const)('countersign with an emulated HSM %s key', (algorithm, label) => {
  it('signs inside the HSM; the signature verifies under the public key and nothing else', async () => {
    const r = await countersign(hsm, label, witnessSignature, statement);
    const key = (await hsm.findKey(label))!;
    expect(r.algorithm).toBe(algorithm);
    expect(r.publicKey).toEqual(key.publicKey);
    expect(r.signature.length).toBe(64);
    expect(verifyCountersignature(algorithm, key.publicKey, witnessSignature, statement, r.signature)).toBe(
      true,
    );
    const flipped = Uint8Array.from(r.signature, (x, i) => (i === 10 ? x ^ 1 : x));
    expect(verifyCountersignature(algorithm, key.publicKey, witnessSignature, statement, flipped)).toBe(
      false,
    );
    const otherSig = Uint8Array.from(witnessSignature, (x, i) => (i === 0 ? x ^ 1 : x));
    expect(verifyCountersignature(algorithm, key.publicKey, otherSig, statement, r.signature)).toBe(false);
    const otherStatement = encodeSignatureMessage({
      ciphersuite: 1,
      namespace: 'example.com/fleet',
      timestamp: 1750000000001,
      epoch: 2,
      digest: new Uint8Array(32).fill(7),
    });
    expect(
      verifyCountersignature(algorithm, key.publicKey, witnessSignature, otherStatement, r.signature),
    ).toBe(false);
    expect(
      verifyCountersignature(algorithm, key.publicKey, witnessSignature, statement, r.signature.subarray(1)),
    ).toBe(false);
  });

  it('is domain-separated: it does not verify as a signature over the bare witness signature', async () => {
    const r = await countersign(hsm, label, witnessSignature, statement);
    const key = (await hsm.findKey(label))!;
    const bare =
      algorithm === 'ed25519'
        ? ed25519.verify(key.publicKey, witnessSignature, r.signature)
        : p256.verify(key.publicKey, witnessSignature, r.signature);
    expect(bare).toBe(false);
  });
});

describe('countersign refusals', () => {
  it('names a missing key and a key that cannot sign', async () => {
    expect(await codeOf(countersign(hsm, 'nope', witnessSignature, statement))).toBe(
      'COUNTERSIGN_KEY_NOT_FOUND',
    );
    expect(await codeOf(countersign(hsm, 'session', witnessSignature, statement))).toBe(
      'COUNTERSIGN_KEY_UNSUITABLE',
    );
  });

  it('refuses an HSM whose signature does not verify (self-check)', async () => {
    const liar = { findKey: (l: string) => hsm.findKey(l), sign: async () => new Uint8Array(64) };
    expect(await codeOf(countersign(liar, 'op-ed', witnessSignature, statement))).toBe(
      'COUNTERSIGN_SELF_CHECK_FAILED',
    );
  });

  it('refuses an unknown algorithm at verification', () => {
    expect(() =>
      verifyCountersignature(
        'rsa' as 'p256',
        new Uint8Array(32),
        witnessSignature,
        statement,
        new Uint8Array(64),
      ),
    ).toThrow(expect.objectContaining({ code: 'COUNTERSIGN_KEY_UNSUITABLE' }));
  });
});
