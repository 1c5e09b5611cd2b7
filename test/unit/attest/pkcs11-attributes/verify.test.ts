/**
 * pkcs11AttributesFormat on host-made statements: good fixtures verify into the normalised result;
 * each negative case changes one thing (re-signed, so only that thing is wrong) and gets its code.
 */
import { describe, expect, it } from 'vitest';
import {
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesFormat,
} from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import type { Pkcs11KeyAttributes } from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import type { KeyAttestation } from '../../../../ceremony/attest/types.js';
import { sha256 } from '../../../../ceremony/crypto/index.js';
import { CHALLENGE, NOW, OPTIONS, fixture, popSignature } from './fixture.js';
import type { Kind } from './fixture.js';

const verify = (e: KeyAttestation, o = OPTIONS) => pkcs11AttributesFormat.verify(e, o);
const codes = async (e: KeyAttestation, o = OPTIONS): Promise<string[]> => {
  const r = await verify(e, o);
  expect(r.ok).toBe(false);
  expect(r.failures.every((f) => f.reason.length > 0)).toBe(true);
  return r.failures.map((f) => f.code);
};

describe.each(['ed25519', 'p256', 'p256-derive'] as const)('a good %s statement', (kind: Kind) => {
  it('verifies into the normalised result', async () => {
    const { evidence, keys } = fixture(kind);
    const r = await verify(evidence);
    expect(r.failures).toEqual([]);
    const spkiPrefix =
      kind === 'ed25519'
        ? '302a300506032b6570032100'
        : '3059301306072a8648ce3d020106082a8648ce3d030107034200';
    expect(Buffer.from(r.publicKey?.spki ?? []).toString('hex')).toBe(
      spkiPrefix + Buffer.from(keys.publicKey).toString('hex'),
    );
    expect(r.publicKey?.sha256).toEqual(sha256(r.publicKey?.spki ?? new Uint8Array()));
    expect(r).toMatchObject({
      ok: true,
      format: 'pkcs11-attributes/v1',
      level: 'pkcs11-attributes',
      vendor: 'SoftHSM project',
      model: 'SoftHSM v2',
      serial: '0123456789abcdef',
      firmware: '2.6',
      origin: 'generated',
      exportable: false,
      sensitive: true,
      usages: kind === 'p256-derive' ? ['derive'] : ['sign'],
      challenge: CHALLENGE,
      chain: [],
      verificationTime: NOW,
      verificationTimeSource: 'now',
    });
    expect(r.path).toBeUndefined();
  });

  it('verifies without an expected challenge, and reports the statement time when asked', async () => {
    const { evidence, body } = fixture(kind);
    expect((await verify(evidence, { trustedRoots: [], now: NOW })).ok).toBe(true);
    const r = await verify(evidence, { ...OPTIONS, validateAtAttestationTime: true });
    expect(r.verificationTime.getTime()).toBe(body.time);
    expect(r.verificationTimeSource).toBe('attestation');
  });

  it.each([
    ['CKA_LOCAL', false, ['ATTEST_KEY_IMPORTED'], 'imported'],
    ['CKA_NEVER_EXTRACTABLE', false, ['ATTEST_KEY_WAS_EXTRACTABLE'], 'generated'],
    ['CKA_ALWAYS_SENSITIVE', false, ['ATTEST_KEY_WAS_NOT_SENSITIVE'], 'generated'],
    ['CKA_SENSITIVE', false, ['ATTEST_KEY_NOT_SENSITIVE'], 'generated'],
    ['CKA_EXTRACTABLE', true, ['ATTEST_KEY_EXPORTABLE'], 'generated'],
    ['CKA_KEY_GEN_MECHANISM', 0x1000, ['ATTEST_KEY_GEN_MECHANISM_MISMATCH'], 'unknown'],
    ['CKA_KEY_GEN_MECHANISM', null, ['ATTEST_ATTRIBUTE_MISSING'], 'unknown'],
    ['CKA_LOCAL', null, ['ATTEST_ATTRIBUTE_MISSING'], 'unknown'],
    ['CKA_SENSITIVE', null, ['ATTEST_ATTRIBUTE_MISSING'], 'generated'],
  ] as const)('fails when %s is %s', async (name, value, want, origin) => {
    const { evidence } = fixture(kind, (b) => {
      (b.key.attributes as unknown as Record<keyof Pkcs11KeyAttributes, unknown>)[name] = value;
    });
    expect(await codes(evidence)).toEqual(want);
    expect((await verify(evidence)).origin).toBe(origin);
  });

  it('reports exportable true when the key is or was extractable, undefined when unreported', async () => {
    const was = fixture(kind, (b) => void (b.key.attributes.CKA_NEVER_EXTRACTABLE = false));
    expect((await verify(was.evidence)).exportable).toBe(true);
    const unknown = fixture(kind, (b) => void (b.key.attributes.CKA_EXTRACTABLE = null));
    expect((await verify(unknown.evidence)).exportable).toBeUndefined();
  });

  it('fails with ATTEST_ATTRIBUTE_MISMATCH when CKA_KEY_TYPE does not fit the algorithm', async () => {
    const { evidence } = fixture(kind, (b) => void (b.key.keyType = 0x00));
    expect(await codes(evidence)).toEqual(['ATTEST_ATTRIBUTE_MISMATCH']);
  });

  it('fails with ATTEST_CHALLENGE_MISMATCH when the statement carries another challenge', async () => {
    const { evidence } = fixture(kind, (b) => void (b.challenge = new Uint8Array(32)));
    expect(await codes(evidence)).toEqual(['ATTEST_CHALLENGE_MISMATCH']);
  });

  it('fails with ATTEST_FORMAT_MISMATCH and ATTEST_CHAIN_EXTRA_CERTIFICATE on the envelope', async () => {
    const { evidence } = fixture(kind);
    expect(await codes({ ...evidence, format: 'emulated-x509/v1' })).toEqual(['ATTEST_FORMAT_MISMATCH']);
    expect(await codes({ ...evidence, chain: [new Uint8Array(3)] })).toEqual([
      'ATTEST_CHAIN_EXTRA_CERTIFICATE',
    ]);
  });

  it('keeps the envelope failures before ATTEST_MALFORMED, at its own level, when nothing decodes', async () => {
    const { evidence } = fixture(kind);
    const r = await verify({ ...evidence, chain: [new Uint8Array(3)], statement: Uint8Array.of(0xa0) });
    expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_CHAIN_EXTRA_CERTIFICATE', 'ATTEST_MALFORMED']);
    expect(r).toMatchObject({
      ok: false,
      format: 'pkcs11-attributes/v1',
      level: 'pkcs11-attributes',
      vendor: '',
      origin: 'unknown',
      exportable: undefined,
      chain: [],
      verificationTime: NOW,
      verificationTimeSource: 'now',
    });
  });
});

describe.each(['ed25519', 'p256'] as const)('the proof of possession of a %s key', (kind) => {
  it('fails with ATTEST_POP_INVALID when signed by another key', async () => {
    const good = fixture(kind);
    const other = fixture(kind === 'ed25519' ? 'p256' : 'ed25519');
    const bodyBytes = encodePkcs11AttributesBody(good.body);
    const otherKind = kind === 'ed25519' ? 'p256' : 'ed25519';
    const forged = popSignature(otherKind, other.keys, bodyBytes, CHALLENGE);
    const evidence = { ...good.evidence, statement: encodePkcs11AttributesStatement(bodyBytes, forged) };
    expect(await codes(evidence)).toEqual(['ATTEST_POP_INVALID']);
  });

  it('fails with ATTEST_POP_INVALID when the signature covers another challenge', async () => {
    const good = fixture(kind);
    const bodyBytes = encodePkcs11AttributesBody(good.body);
    const sig = popSignature(kind, good.keys, bodyBytes, new Uint8Array(32));
    expect(
      await codes({ ...good.evidence, statement: encodePkcs11AttributesStatement(bodyBytes, sig) }),
    ).toEqual(['ATTEST_POP_INVALID']);
  });

  it('fails with ATTEST_POP_MISSING when a sign key gives none', async () => {
    const { evidence } = fixture(kind, (b) => void (b.pop = 'none'));
    expect(await codes(evidence)).toEqual(['ATTEST_POP_MISSING']);
    const good = fixture(kind);
    const noSig = {
      ...good.evidence,
      statement: encodePkcs11AttributesStatement(encodePkcs11AttributesBody(good.body), null),
    };
    expect(await codes(noSig)).toEqual(['ATTEST_POP_MISSING']);
  });

  it('fails with ATTEST_POP_UNEXPECTED when the key says it cannot sign', async () => {
    const { evidence } = fixture(kind, (b) => void (b.key.attributes.CKA_SIGN = false));
    expect(await codes(evidence)).toEqual(['ATTEST_POP_UNEXPECTED']);
  });

  it('fails with ATTEST_PUBLIC_KEY_INVALID for a key that is not a curve point', async () => {
    const { evidence } = fixture(kind, (b) => {
      const pk = b.key.publicKey.slice();
      if (kind === 'p256') pk[64] = (pk[64] ?? 0) ^ 1;
      else pk.set([0x02, ...new Uint8Array(30), 0x80]);
      b.key.publicKey = pk;
    });
    const r = await verify(evidence);
    expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_PUBLIC_KEY_INVALID']);
    expect(r.publicKey).toBeUndefined();
  });
});

it('reports the statement facts as text in attributes', async () => {
  const { evidence, body } = fixture('ed25519', (b) => void (b.key.attributes.CKA_DERIVE = null));
  const r = await verify(evidence);
  expect(r.attributes).toEqual({
    tokenLabel: 'fleet-hsm-1',
    hardwareVersion: '2.6',
    keyLabel: 'fleet-ed25519',
    keyId: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf',
    keyType: '0x40',
    time: new Date(body.time).toISOString(),
    pop: 'signature',
    CKA_LOCAL: 'true',
    CKA_NEVER_EXTRACTABLE: 'true',
    CKA_ALWAYS_SENSITIVE: 'true',
    CKA_SENSITIVE: 'true',
    CKA_EXTRACTABLE: 'false',
    CKA_KEY_GEN_MECHANISM: '0x1055',
    CKA_SIGN: 'true',
    CKA_DERIVE: 'not reported',
  });
});

it('fails with ATTEST_PUBLIC_KEY_INVALID for a small-order Ed25519 key', async () => {
  const smallOrder = new Uint8Array(32);
  smallOrder[0] = 1; // the identity point, encoded
  const { evidence } = fixture('ed25519', (b) => void (b.key.publicKey = smallOrder));
  const r = await verify(evidence);
  expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_PUBLIC_KEY_INVALID']);
  expect(r.failures[0]?.reason).toMatch(/statement\.body\.key\.publicKey/);
});

describe('a derive-only statement', () => {
  it('fails with ATTEST_POP_UNEXPECTED when it carries a signature anyway', async () => {
    const good = fixture('p256-derive');
    const bodyBytes = encodePkcs11AttributesBody(good.body);
    const sig = popSignature('p256-derive', good.keys, bodyBytes, CHALLENGE);
    expect(
      await codes({ ...good.evidence, statement: encodePkcs11AttributesStatement(bodyBytes, sig) }),
    ).toEqual(['ATTEST_POP_UNEXPECTED']);
  });
});

it('collects every failure at once', async () => {
  const { evidence } = fixture('p256', (b) => {
    b.key.attributes.CKA_LOCAL = false;
    b.key.attributes.CKA_EXTRACTABLE = true;
    b.challenge = new Uint8Array(1);
  });
  expect(await codes({ ...evidence, chain: [new Uint8Array(1)] })).toEqual([
    'ATTEST_CHAIN_EXTRA_CERTIFICATE',
    'ATTEST_KEY_IMPORTED',
    'ATTEST_KEY_EXPORTABLE',
    'ATTEST_CHALLENGE_MISMATCH',
  ]);
});
