/**
 * The published example (vectors/ed25519-sign.json, docs/attestation-pkcs11-attributes.md §5):
 * rebuilt from its inputs byte for byte, verified, and shown unchanged in the documentation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import {
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesFormat,
  pkcs11AttributesPopMessage,
} from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import type { Pkcs11AttributesBody } from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import { hexDecode, hexEncode } from '../../../../ceremony/codec/index.js';
import { ed25519 } from '../../../../ceremony/crypto/index.js';

interface Vector {
  seed: string;
  body: Omit<Pkcs11AttributesBody, 'challenge' | 'key'> & {
    challenge: string;
    key: Omit<Pkcs11AttributesBody['key'], 'id' | 'publicKey'> & { id: string; publicKey: string };
  };
  bodyBytes: string;
  popMessage: string;
  signature: string;
  statement: string;
}

const root = resolve(import.meta.dirname, '../../../..');
const v = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'vectors/ed25519-sign.json'), 'utf8'),
) as Vector;

it('rebuilds the vector byte for byte and verifies it', async () => {
  const body: Pkcs11AttributesBody = {
    ...v.body,
    challenge: hexDecode(v.body.challenge),
    key: { ...v.body.key, id: hexDecode(v.body.key.id), publicKey: hexDecode(v.body.key.publicKey) },
  };
  expect(hexEncode(ed25519.getPublicKey(hexDecode(v.seed)))).toBe(v.body.key.publicKey);
  const bodyBytes = encodePkcs11AttributesBody(body);
  expect(hexEncode(bodyBytes)).toBe(v.bodyBytes);
  const message = pkcs11AttributesPopMessage(bodyBytes, body.challenge);
  expect(hexEncode(message)).toBe(v.popMessage);
  expect(message.length).toBe(120);
  expect(hexEncode(ed25519.sign(hexDecode(v.seed), message))).toBe(v.signature);
  expect(hexEncode(encodePkcs11AttributesStatement(bodyBytes, hexDecode(v.signature)))).toBe(v.statement);
  const r = await pkcs11AttributesFormat.verify(
    { format: 'pkcs11-attributes/v1', statement: hexDecode(v.statement), chain: [] },
    { trustedRoots: [], now: new Date(), expectedChallenge: body.challenge },
  );
  expect(r.failures).toEqual([]);
});

it('is shown unchanged in docs/attestation-pkcs11-attributes.md', () => {
  const doc = readFileSync(resolve(root, 'docs/attestation-pkcs11-attributes.md'), 'utf8');
  const block = /```\n(a264626f[0-9a-f\n]*?)\n```/.exec(doc)?.[1] ?? '';
  expect(block.replace(/\s/g, '')).toBe(v.statement);
  expect(doc).toContain(`${v.statement.length / 2} statement bytes`);
});
