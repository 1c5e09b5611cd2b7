/**
 * Identity keys: PEM PKCS#8 files that stock openssl makes and reads, refused when group or world
 * can read them, and Ed25519 keys on a token (an emulated device standing in for a smart card).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexDecode, hexEncode, utf8Encode } from '../../../ceremony/codec/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import { openEmulatedHsm } from '../../../ceremony/hsm/index.js';
import {
  encodeIdentityKey,
  generateIdentityKeyFile,
  identityPublicKey,
  signWithKeyFile,
  signWithToken,
} from '../../../ceremony/runner/identity-key.js';
import { emulatedCard, tempDir } from './fixture.js';

const message = utf8Encode('fleet-ceremony signoff v1\0test');

describe('identity key files', () => {
  it('generates a 0600 PEM PKCS#8 key that signs and whose public key openssl agrees with', () => {
    const path = join(tempDir(), 'me.key');
    const pub = generateIdentityKeyFile(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=]{64}\n-----END PRIVATE KEY-----\n$/);
    const der = execFileSync('openssl', ['pkey', '-in', path, '-pubout', '-outform', 'DER']);
    expect(hexEncode(new Uint8Array(der.subarray(-32)))).toBe(hexEncode(pub));
    const s = signWithKeyFile(path, message);
    expect(s.publicKey).toEqual(pub);
    expect(ed25519.verify(pub, message, s.signature)).toBe(true);
  });

  it('reads a key made by openssl genpkey', () => {
    const path = join(tempDir(), 'openssl.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', path]);
    chmodSync(path, 0o600);
    const der = execFileSync('openssl', ['pkey', '-in', path, '-pubout', '-outform', 'DER']);
    expect(hexEncode(identityPublicKey(path))).toBe(hexEncode(new Uint8Array(der.subarray(-32))));
  });

  it('refuses an existing file, and never overwrites it', () => {
    const path = join(tempDir(), 'me.key');
    const pub = generateIdentityKeyFile(path);
    expect(() => generateIdentityKeyFile(path)).toThrow(
      expect.objectContaining({ code: 'IDENTITY_KEY_EXISTS' }),
    );
    expect(identityPublicKey(path)).toEqual(pub);
  });

  it.each([0o640, 0o604, 0o644])(
    'refuses a key file with mode %s, naming the fix and not the key',
    (mode) => {
      const path = join(tempDir(), 'me.key');
      generateIdentityKeyFile(path);
      chmodSync(path, mode);
      let message = '';
      try {
        signWithKeyFile(path, utf8Encode('x'));
      } catch (e) {
        expect(e).toMatchObject({ code: 'IDENTITY_KEY_PERMISSIONS', file: path });
        message = (e as Error).message;
      }
      expect(message).toContain('chmod 600');
      expect(message).not.toContain(readFileSync(path, 'utf8').split('\n')[1]!);
    },
  );

  it('refuses a file that is not an Ed25519 PKCS#8 key, without quoting it', () => {
    const dir = tempDir();
    const p256 = join(dir, 'p256.key');
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      p256,
    ]);
    chmodSync(p256, 0o600);
    expect(() => identityPublicKey(p256)).toThrow(
      expect.objectContaining({ code: 'IDENTITY_KEY_MALFORMED' }),
    );
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, 'not a key', { mode: 0o600 });
    expect(() => identityPublicKey(junk)).toThrow(
      expect.objectContaining({ code: 'IDENTITY_KEY_MALFORMED' }),
    );
    expect(() => identityPublicKey(join(dir, 'missing.key'))).toThrow(
      expect.objectContaining({ code: 'IDENTITY_KEY_NOT_FOUND' }),
    );
  });

  it('encodes the RFC 8410 structure around the seed', () => {
    const pem = encodeIdentityKey(new Uint8Array(32).fill(7));
    const b64 = pem.split('\n')[1]!;
    expect(Buffer.from(b64, 'base64').toString('hex')).toBe(
      '302e020100300506032b657004220420' + '07'.repeat(32),
    );
  });
});

describe('identity keys on a token', () => {
  it('signs with the key by label, after checking it is the pinned one', async () => {
    const card = await emulatedCard(tempDir());
    const hsm = await openEmulatedHsm({ dir: card.dir, pin: card.pin });
    try {
      const s = await signWithToken(hsm, 'identity', message, hexDecode(card.publicKey));
      expect(ed25519.verify(hexDecode(card.publicKey), message, s.signature)).toBe(true);
      await expect(signWithToken(hsm, 'identity', message, new Uint8Array(32).fill(1))).rejects.toMatchObject(
        {
          code: 'IDENTITY_TOKEN_KEY_MISMATCH',
        },
      );
      await expect(signWithToken(hsm, 'nope', message)).rejects.toMatchObject({
        code: 'IDENTITY_TOKEN_KEY_NOT_FOUND',
      });
      await hsm.generateKey({ label: 'session', algorithm: 'x25519' });
      await expect(signWithToken(hsm, 'session', message)).rejects.toMatchObject({
        code: 'IDENTITY_TOKEN_KEY_NOT_ED25519',
      });
    } finally {
      await hsm.close();
    }
  });
});
