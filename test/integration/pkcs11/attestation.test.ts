/**
 * `pkcs11-attributes/v1` statements made by a real SoftHSM2 token verify with
 * pkcs11AttributesFormat, and fail with the right code when one thing is changed: one attribute,
 * one byte, the challenge, the PoP signature (another key's, or a flipped bit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePkcs11AttributesStatement,
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesFormat,
  pkcs11AttributesPopMessage,
} from '../../../ceremony/attest/pkcs11-attributes/index.js';
import type { Pkcs11AttributesBody } from '../../../ceremony/attest/pkcs11-attributes/index.js';
import type { KeyAttestation } from '../../../ceremony/attest/types.js';
import { randomBytes } from '../../../ceremony/crypto/index.js';
import { openPkcs11Hsm } from '../../../ceremony/hsm/pkcs11/index.js';
import type { Hsm } from '../../../ceremony/hsm/types.js';
import { createSoftHsm } from '../softhsm.js';
import type { SoftHsmEnv } from '../softhsm.js';

let env: SoftHsmEnv;
let hsm: Hsm;
const challenge = randomBytes(32);
const good: Record<string, KeyAttestation> = {};

beforeAll(async () => {
  env = await createSoftHsm(['attest-a']);
  const t = env.tokens[0];
  if (t === undefined) throw new Error('no token');
  hsm = await openPkcs11Hsm({ module: env.module, tokenLabel: t.label, pin: t.pin });
  await hsm.generateKey({ label: 'ed', algorithm: 'ed25519' });
  await hsm.generateKey({ label: 'ec', algorithm: 'p256' });
  await hsm.generateKey({ label: 'dh', algorithm: 'p256', usages: ['derive'] });
  for (const label of ['ed', 'ec', 'dh']) good[label] = await hsm.attestKey(label, challenge);
});

afterAll(async () => {
  await hsm.close();
  await env.cleanup();
});

const verify = (evidence: KeyAttestation, expected: Uint8Array | undefined = challenge) =>
  pkcs11AttributesFormat.verify(evidence, {
    trustedRoots: [],
    now: new Date(),
    ...(expected === undefined ? {} : { expectedChallenge: expected }),
  });

const codes = async (evidence: KeyAttestation, expected?: Uint8Array): Promise<string[]> => {
  const r = await verify(evidence, expected);
  expect(r.ok).toBe(false);
  for (const f of r.failures) expect(f.reason).not.toBe('');
  return r.failures.map((f) => f.code);
};

/** `evidence` with its body changed by `edit` and re-encoded, keeping the original signature. */
function editBody(evidence: KeyAttestation, edit: (b: Pkcs11AttributesBody) => void): KeyAttestation {
  const { body, signature } = decodePkcs11AttributesStatement(evidence.statement);
  edit(body);
  return {
    ...evidence,
    statement: encodePkcs11AttributesStatement(encodePkcs11AttributesBody(body), signature),
  };
}

describe.each(['ed', 'ec'])('a statement for sign key %s', (label) => {
  const g = (): KeyAttestation => good[label] as KeyAttestation;

  it('verifies, with and without an expected challenge', async () => {
    expect((await verify(g())).failures).toEqual([]);
    expect((await verify(g(), undefined)).ok).toBe(true);
  });

  it.each([
    ['CKA_LOCAL', false, 'ATTEST_KEY_IMPORTED'],
    ['CKA_NEVER_EXTRACTABLE', false, 'ATTEST_KEY_WAS_EXTRACTABLE'],
    ['CKA_ALWAYS_SENSITIVE', false, 'ATTEST_KEY_WAS_NOT_SENSITIVE'],
    ['CKA_SENSITIVE', false, 'ATTEST_KEY_NOT_SENSITIVE'],
    ['CKA_EXTRACTABLE', true, 'ATTEST_KEY_EXPORTABLE'],
    ['CKA_KEY_GEN_MECHANISM', 0x1050, 'ATTEST_KEY_GEN_MECHANISM_MISMATCH'],
  ] as const)('fails when %s is changed to %s (policy and PoP)', async (name, value, code) => {
    const changed = editBody(g(), (b) => {
      (b.key.attributes as unknown as Record<string, unknown>)[name] = value;
    });
    expect(await codes(changed)).toEqual([code, 'ATTEST_POP_INVALID']);
  });

  it('fails with ATTEST_POP_INVALID when the token serial is changed', async () => {
    const changed = editBody(g(), (b) => {
      b.token.serial = '0000000000000000';
    });
    expect(await codes(changed)).toEqual(['ATTEST_POP_INVALID']);
  });

  it('fails with ATTEST_POP_INVALID when the signature is another key’s over the same message', async () => {
    const { bodyBytes, body } = decodePkcs11AttributesStatement(g().statement);
    const other = label === 'ed' ? 'ec' : 'ed';
    const forged = await hsm.sign(other, pkcs11AttributesPopMessage(bodyBytes, body.challenge));
    const evidence = { ...g(), statement: encodePkcs11AttributesStatement(bodyBytes, forged) };
    expect(await codes(evidence)).toEqual(['ATTEST_POP_INVALID']);
  });

  it('fails with ATTEST_POP_INVALID when one signature byte is flipped', async () => {
    const { bodyBytes, signature } = decodePkcs11AttributesStatement(g().statement);
    const flipped = (signature ?? new Uint8Array(64)).slice();
    flipped[10] = (flipped[10] ?? 0) ^ 0x01;
    expect(await codes({ ...g(), statement: encodePkcs11AttributesStatement(bodyBytes, flipped) })).toEqual([
      'ATTEST_POP_INVALID',
    ]);
  });

  it('fails with ATTEST_CHALLENGE_MISMATCH when another challenge is expected', async () => {
    const other = challenge.slice();
    other[0] = (other[0] ?? 0) ^ 0x80;
    expect(await codes(g(), other)).toEqual(['ATTEST_CHALLENGE_MISMATCH']);
  });

  it('never verifies after any single byte of the statement is changed', async () => {
    const bytes = g().statement;
    for (let i = 0; i < bytes.length; i += 7) {
      const changed = bytes.slice();
      changed[i] = (changed[i] ?? 0) ^ 0x04;
      const r = await verify({ ...g(), statement: changed });
      expect(r.ok, `byte ${i}`).toBe(false);
      expect(r.failures.length).toBeGreaterThan(0);
    }
  });
});

describe('a statement for a derive-only key', () => {
  it('verifies with pop "none" and no signature, and says the key only derives', async () => {
    const r = await verify(good['dh'] as KeyAttestation);
    expect(r.failures).toEqual([]);
    expect(r.usages).toEqual(['derive']);
    expect(decodePkcs11AttributesStatement((good['dh'] as KeyAttestation).statement).signature).toBeNull();
  });

  it('fails with the policy code alone when an attribute changes (there is no PoP to break)', async () => {
    const changed = editBody(good['dh'] as KeyAttestation, (b) => {
      b.key.attributes.CKA_EXTRACTABLE = true;
    });
    expect(await codes(changed)).toEqual(['ATTEST_KEY_EXPORTABLE']);
  });
});

it('binds a fresh time and the given challenge into each statement', async () => {
  const c = randomBytes(16);
  const before = Date.now();
  const evidence = await hsm.attestKey('ed', c);
  const { body } = decodePkcs11AttributesStatement(evidence.statement);
  expect(body.challenge).toEqual(c);
  expect(body.time).toBeGreaterThanOrEqual(before);
  expect(body.time).toBeLessThanOrEqual(Date.now());
});
