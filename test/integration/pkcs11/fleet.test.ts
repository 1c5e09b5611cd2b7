/**
 * A three-token SoftHSM2 fleet, created for this run: every token generates Ed25519 and P-256 keys
 * inside the device; the attributes are recorded as the templates demand (checked through our
 * attestation and, independently, with OpenSC's pkcs11-tool); signatures verify with
 * ceremony/crypto; ECDH agrees with a host-side computation.
 */
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePkcs11AttributesStatement,
  pkcs11AttributesFormat,
} from '../../../ceremony/attest/pkcs11-attributes/index.js';
import { ed25519, p256, randomBytes } from '../../../ceremony/crypto/index.js';
import { listPkcs11Tokens, openPkcs11Hsm } from '../../../ceremony/hsm/pkcs11/index.js';
import type { Hsm } from '../../../ceremony/hsm/types.js';
import { createSoftHsm, hasPkcs11Tool, pkcs11Tool } from '../softhsm.js';
import type { SoftHsmEnv } from '../softhsm.js';

const LABELS = ['fleet-hsm-1', 'fleet-hsm-2', 'fleet-hsm-3'];
let env: SoftHsmEnv;
let hsms: Hsm[] = [];

beforeAll(async () => {
  env = await createSoftHsm(LABELS);
  const [t1, t2, t3] = env.tokens as [(typeof env.tokens)[0], (typeof env.tokens)[0], (typeof env.tokens)[0]];
  // One token by label, one by serial, one by both.
  hsms = [
    await openPkcs11Hsm({ module: env.module, tokenLabel: t1.label, pin: t1.pin }),
    await openPkcs11Hsm({ module: env.module, tokenSerial: t2.serial, pin: t2.pin }),
    await openPkcs11Hsm({ module: env.module, tokenLabel: t3.label, tokenSerial: t3.serial, pin: t3.pin }),
  ];
  for (const hsm of hsms) {
    await hsm.generateKey({ label: 'fleet-ed25519', algorithm: 'ed25519' });
    await hsm.generateKey({ label: 'fleet-p256', algorithm: 'p256' });
    await hsm.generateKey({ label: 'fleet-ecdh', algorithm: 'p256', usages: ['derive'] });
  }
});

afterAll(async () => {
  for (const hsm of hsms) await hsm.close();
  await env.cleanup();
});

describe('a 3-token SoftHSM2 fleet', () => {
  it('lists the three tokens, initialised, with serials, and the free slot', async () => {
    const tokens = await listPkcs11Tokens(env.module);
    for (const t of env.tokens) {
      expect(tokens).toContainEqual(
        expect.objectContaining({
          label: t.label,
          serial: t.serial,
          initialized: true,
          manufacturer: 'SoftHSM project',
        }),
      );
      expect(t.serial).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(tokens.filter((t) => !t.initialized)).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.slotId)).size).toBe(tokens.length);
  });

  it('reports each device identity', async () => {
    for (const [i, hsm] of hsms.entries()) {
      const t = env.tokens[i];
      expect(await hsm.info()).toEqual({
        backend: 'pkcs11',
        vendor: 'SoftHSM project',
        model: 'SoftHSM v2',
        serial: t?.serial,
        firmware: expect.stringMatching(/^\d+\.\d+$/) as unknown,
        label: t?.label,
      });
      expect(await hsm.identityChain()).toEqual([]);
      expect(hsm.backend).toBe('pkcs11');
    }
  });

  it('holds the three keys on every token, each different', async () => {
    const seen = new Set<string>();
    for (const hsm of hsms) {
      const keys = await hsm.listKeys();
      expect(keys.map((k) => [k.label, k.algorithm, k.usages])).toEqual([
        ['fleet-ecdh', 'p256', ['derive']],
        ['fleet-ed25519', 'ed25519', ['sign']],
        ['fleet-p256', 'p256', ['sign']],
      ]);
      for (const k of keys) {
        expect(k.publicKey.length).toBe(k.algorithm === 'ed25519' ? 32 : 65);
        expect((await hsm.findKey(k.label))?.publicKey).toEqual(k.publicKey);
        seen.add(Buffer.from(k.publicKey).toString('hex'));
      }
      expect(await hsm.findKey('no-such-key')).toBeUndefined();
    }
    expect(seen.size).toBe(9);
  });

  it('signs inside the device; signatures verify with ceremony/crypto and only over the message', async () => {
    for (const hsm of hsms) {
      const message = randomBytes(100);
      const ed = await hsm.findKey('fleet-ed25519');
      const ec = await hsm.findKey('fleet-p256');
      const edSig = await hsm.sign('fleet-ed25519', message);
      const ecSig = await hsm.sign('fleet-p256', message);
      expect(edSig.length).toBe(64);
      expect(ecSig.length).toBe(64);
      expect(ed25519.verify(ed?.publicKey ?? new Uint8Array(), message, edSig)).toBe(true);
      expect(p256.verify(ec?.publicKey ?? new Uint8Array(), message, ecSig)).toBe(true);
      const other = message.slice();
      other[0] = (other[0] ?? 0) ^ 1;
      expect(ed25519.verify(ed?.publicKey ?? new Uint8Array(), other, edSig)).toBe(false);
      expect(p256.verify(ec?.publicKey ?? new Uint8Array(), other, ecSig)).toBe(false);
    }
  });

  it('derives the same P-256 ECDH secret as the host', async () => {
    for (const hsm of hsms) {
      const key = await hsm.findKey('fleet-ecdh');
      const eph = nobleP256.utils.randomSecretKey();
      const inDevice = await hsm.deriveSharedSecret('fleet-ecdh', nobleP256.getPublicKey(eph, false));
      const onHost = nobleP256.getSharedSecret(eph, key?.publicKey ?? new Uint8Array(), true).slice(1);
      expect(inDevice.length).toBe(32);
      expect(Buffer.from(inDevice).toString('hex')).toBe(Buffer.from(onHost).toString('hex'));
    }
  });

  it('records the attributes the templates demand, and the attestations verify', async () => {
    const expectations = [
      ['fleet-ed25519', 0x40, 0x1055, true, false],
      ['fleet-p256', 0x03, 0x1040, true, false],
      ['fleet-ecdh', 0x03, 0x1040, false, true],
    ] as const;
    for (const [i, hsm] of hsms.entries()) {
      const t = env.tokens[i];
      for (const [label, keyType, mechanism, sign, derive] of expectations) {
        const challenge = randomBytes(32);
        const evidence = await hsm.attestKey(label, challenge);
        expect(evidence.format).toBe('pkcs11-attributes/v1');
        expect(evidence.chain).toEqual([]);
        const { body, signature } = decodePkcs11AttributesStatement(evidence.statement);
        expect(body.token).toEqual({
          manufacturer: 'SoftHSM project',
          model: 'SoftHSM v2',
          serial: t?.serial,
          label: t?.label,
          hardwareVersion: expect.stringMatching(/^\d+\.\d+$/) as unknown,
          firmwareVersion: expect.stringMatching(/^\d+\.\d+$/) as unknown,
        });
        expect(body.key.label).toBe(label);
        expect(body.key.id.length).toBe(16);
        expect(body.key.keyType).toBe(keyType);
        expect(body.key.publicKey).toEqual((await hsm.findKey(label))?.publicKey);
        expect(body.key.attributes).toEqual({
          CKA_LOCAL: true,
          CKA_NEVER_EXTRACTABLE: true,
          CKA_ALWAYS_SENSITIVE: true,
          CKA_SENSITIVE: true,
          CKA_EXTRACTABLE: false,
          CKA_KEY_GEN_MECHANISM: mechanism,
          CKA_SIGN: sign,
          CKA_DERIVE: derive,
        });
        expect(body.pop).toBe(sign ? 'signature' : 'none');
        expect(signature === null).toBe(!sign);
        const result = await pkcs11AttributesFormat.verify(evidence, {
          trustedRoots: [],
          now: new Date(),
          expectedChallenge: challenge,
        });
        expect(result.failures).toEqual([]);
        expect(result).toMatchObject({
          ok: true,
          level: 'pkcs11-attributes',
          vendor: 'SoftHSM project',
          model: 'SoftHSM v2',
          serial: t?.serial,
          origin: 'generated',
          exportable: false,
          sensitive: true,
          usages: [sign ? 'sign' : 'derive'],
          challenge,
        });
      }
    }
  });

  it.skipIf(!hasPkcs11Tool())(
    'shows the same attributes to an independent tool (OpenSC pkcs11-tool)',
    async () => {
      const t = env.tokens[0];
      if (t === undefined) throw new Error('no token');
      const listing = await pkcs11Tool(env, t, ['--list-objects', '--type', 'privkey']);
      const objects = listing
        .split(/\n(?=Private Key Object)/)
        .filter((o) => o.startsWith('Private Key Object'));
      expect(objects).toHaveLength(3);
      for (const o of objects) {
        expect(o).toMatch(/Access:\s+sensitive, always sensitive, never extractable, local/);
        expect(o).not.toMatch(/Usage:.*(decrypt|unwrap)/);
      }
    },
  );

  it('destroys both halves of a pair, after which the label is free again', async () => {
    const hsm = hsms[0] as Hsm;
    const before = (await hsm.listKeys()).map((k) => k.label);
    await hsm.generateKey({ label: 'short-lived', algorithm: 'ed25519' });
    await hsm.destroyKey('short-lived');
    expect(await hsm.findKey('short-lived')).toBeUndefined();
    expect((await hsm.listKeys()).map((k) => k.label)).toEqual(before);
    await expect(hsm.destroyKey('short-lived')).rejects.toMatchObject({ code: 'HSM_KEY_NOT_FOUND' });
    const again = await hsm.generateKey({ label: 'short-lived', algorithm: 'p256' });
    expect(again.algorithm).toBe('p256');
    await hsm.destroyKey('short-lived');
  });
});
