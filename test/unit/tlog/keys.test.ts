/**
 * Verifier keys, signer keys and key IDs (c2sp.org/signed-note, "Verifier keys"): round trips of
 * fresh keys of both types, and each negative case changing one thing in a good key.
 */
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../../ceremony/codec/index.js';
import { sha256 } from '../../../ceremony/crypto/index.js';
import {
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  formatKeyId,
  formatVerifierKey,
  generateSignerKey,
  isValidKeyName,
  keyIdFor,
  parseSignerKey,
  parseVerifierKey,
} from '../../../ceremony/tlog/index.js';
import { malformed, misuse, seededKey } from './helpers.js';

const { secretKey, publicKey } = seededKey(7);
const NAME = 'example.com/log';

/** A verifier key with any type byte and key bytes, and a correct key ID. */
function vkeyOf(name: string, type: number, key: Uint8Array): string {
  const raw = new Uint8Array([type, ...key]);
  return `${name}+${formatKeyId(keyIdFor(name, type, key))}+${base64Encode(raw)}`;
}

describe('key IDs', () => {
  it('are the first four bytes of SHA-256(name || 0x0A || type || key)', () => {
    const d = sha256(new Uint8Array([...new TextEncoder().encode(NAME), 0x0a, 0x01, ...publicKey]));
    const want = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
    expect(keyIdFor(NAME, 1, publicKey)).toBe(want);
    expect(keyIdFor(NAME, 4, publicKey)).not.toBe(want);
  });

  it('print as 8 lowercase hex digits', () => {
    expect(formatKeyId(0)).toBe('00000000');
    expect(formatKeyId(0xabcdef01)).toBe('abcdef01');
  });

  it('accept names per the spec and refuse spaces, plus and control characters', () => {
    for (const ok of ['a', 'example.com/foo', 'oid/1.2.3', 'ünïcode', '\u2014dash'])
      expect(isValidKeyName(ok)).toBe(true);
    for (const bad of [
      '',
      'a b',
      'a+b',
      'a\tb',
      'a\nb',
      'a\u00a0b',
      'a\u2003b',
      'a\u3000b',
      'a\u0085b',
      'a\u0001b',
      'a\ud800',
    ]) {
      expect(isValidKeyName(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('verifier keys', () => {
  it('round trip for Ed25519 (0x01) and cosignature/v1 (0x04)', () => {
    for (const v of [ed25519Verifier(NAME, publicKey), cosignatureVerifier(NAME, publicKey)]) {
      const text = formatVerifierKey(v);
      const back = parseVerifierKey(text);
      expect([back.name, back.keyId, back.type, [...back.publicKey]]).toEqual([
        v.name,
        v.keyId,
        v.type,
        [...publicKey],
      ]);
      expect(formatVerifierKey(back)).toBe(text);
    }
  });

  const good = vkeyOf(NAME, 1, publicKey);
  const [name, id, key] = [NAME, good.split('+')[1]!, good.slice(NAME.length + 10)];

  it('the good fixture parses', () => {
    expect(parseVerifierKey(`${name}+${id}+${key}`).keyId).toBe(Number.parseInt(id, 16));
  });

  const cases: [string, string, string][] = [
    ['missing key part', `${name}+${id}`, 'VKEY_MALFORMED'],
    ['no plus at all', name, 'VKEY_MALFORMED'],
    ['empty name', `+${id}+${key}`, 'VKEY_NAME_INVALID'],
    ['space in name', vkeyOf('a b', 1, publicKey), 'VKEY_NAME_INVALID'],
    ['uppercase key ID', `${name}+${id.toUpperCase()}+${key}`, 'VKEY_KEY_ID_INVALID'],
    ['7-digit key ID', `${name}+${id.slice(1)}+${key}`, 'VKEY_KEY_ID_INVALID'],
    ['9-digit key ID', `${name}+0${id}+${key}`, 'VKEY_KEY_ID_INVALID'],
    ['wrong key ID', `${name}+${id === '00000000' ? '00000001' : '00000000'}+${key}`, 'VKEY_KEY_ID_MISMATCH'],
    ['base64 cut short', `${name}+${id}+${key.slice(0, -1)}`, 'VKEY_KEY_INVALID'],
    ['URL-safe base64 character', `${name}+${id}+${key.slice(0, -1)}-`, 'VKEY_KEY_INVALID'],
    ['base64 with a space', `${name}+${id}+ ${key}`, 'VKEY_KEY_INVALID'],
    ['type byte only', vkeyOf(NAME, 1, new Uint8Array(0)), 'VKEY_KEY_INVALID'],
    ['31-byte key', vkeyOf(NAME, 1, publicKey.subarray(1)), 'VKEY_KEY_LENGTH_INVALID'],
    ['33-byte key', vkeyOf(NAME, 1, new Uint8Array([...publicKey, 0])), 'VKEY_KEY_LENGTH_INVALID'],
    ['type 0x02 (ECDSA)', vkeyOf(NAME, 2, publicKey), 'VKEY_TYPE_UNSUPPORTED'],
    ['type 0x06 (ML-DSA-44)', vkeyOf(NAME, 6, publicKey), 'VKEY_TYPE_UNSUPPORTED'],
    ['too long', `${name}+${id}+${'A'.repeat(5000)}`, 'VKEY_MALFORMED'],
  ];
  for (const [what, text, code] of cases) {
    it(`refuses ${what} (${code})`, () => {
      malformed(() => parseVerifierKey(text), code);
    });
  }

  it('refuses to format a key whose keyId was altered', () => {
    const v = ed25519Verifier(NAME, publicKey);
    misuse(() => formatVerifierKey({ ...v, keyId: v.keyId ^ 1 }), 'VKEY_KEY_ID_MISMATCH');
  });

  it('refuses to build verifiers with bad names or keys', () => {
    misuse(() => ed25519Verifier('a+b', publicKey), 'KEY_NAME_INVALID');
    misuse(() => ed25519Verifier(NAME, publicKey.subarray(1)), 'KEY_LENGTH_INVALID');
    misuse(() => cosignatureVerifier(NAME, publicKey.subarray(1)), 'KEY_LENGTH_INVALID');
  });
});

describe('signer keys', () => {
  it('generate in both types, parse back, and match the verifier key', () => {
    for (const type of [1, 4]) {
      const { signerKey, verifierKey } = generateSignerKey(NAME, type);
      expect(signerKey.startsWith(`PRIVATE+KEY+${NAME}+`)).toBe(true);
      const s = parseSignerKey(signerKey);
      const v = parseVerifierKey(verifierKey);
      expect([s.name, s.keyId, s.type]).toEqual([v.name, v.keyId, type]);
    }
  });

  it('generate fresh keys each time', () => {
    expect(generateSignerKey(NAME).verifierKey).not.toBe(generateSignerKey(NAME).verifierKey);
  });

  it('refuse an unsupported type and a bad name at generation', () => {
    misuse(() => generateSignerKey(NAME, 2), 'SKEY_TYPE_UNSUPPORTED');
    misuse(() => generateSignerKey('bad name'), 'KEY_NAME_INVALID');
  });

  const seedB64 = base64Encode(new Uint8Array([1, ...secretKey]));
  const id = formatKeyId(ed25519Signer(NAME, secretKey).keyId);
  const good = `PRIVATE+KEY+${NAME}+${id}+${seedB64}`;

  it('the good fixture parses', () => {
    expect(parseSignerKey(good).keyId).toBe(keyIdFor(NAME, 1, publicKey));
  });

  const cases: [string, string, string][] = [
    ['missing PRIVATE+KEY prefix', good.slice('PRIVATE+KEY+'.length), 'SKEY_MALFORMED'],
    ['lowercase prefix', good.replace('PRIVATE+KEY', 'private+key'), 'SKEY_MALFORMED'],
    ['wrong key ID', good.replace(id, id === 'ffffffff' ? '00000000' : 'ffffffff'), 'SKEY_KEY_ID_MISMATCH'],
    [
      '31-byte seed',
      `PRIVATE+KEY+${NAME}+${id}+${base64Encode(new Uint8Array([1, ...secretKey.subarray(1)]))}`,
      'SKEY_KEY_LENGTH_INVALID',
    ],
    [
      'type 0x02',
      `PRIVATE+KEY+${NAME}+${id}+${base64Encode(new Uint8Array([2, ...secretKey]))}`,
      'SKEY_TYPE_UNSUPPORTED',
    ],
    ['bad name', good.replace(NAME, 'a b'), 'SKEY_NAME_INVALID'],
  ];
  for (const [what, text, code] of cases) {
    it(`refuses ${what} (${code}) without echoing the key`, () => {
      const e = malformed(() => parseSignerKey(text), code);
      expect(e.message).not.toContain(seedB64.slice(4, 40));
    });
  }
});
