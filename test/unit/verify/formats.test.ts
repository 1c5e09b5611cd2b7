/**
 * The small formats of a package: SHA256SUMS (strict, what sha256sum prints), safe paths and
 * attestation paths, DER ECDSA signatures (one encoding), the package signature (Ed25519 raw,
 * P-256 DER low-S; high S and other encodings refused).
 */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../ceremony/codec/index.js';
import { ed25519, p256, sha256 } from '../../../ceremony/crypto/index.js';
import { P256_N } from '../../../ceremony/crypto/p256-rules.js';
import {
  attestationPaths,
  deviceChainPath,
  ecdsaDerToRaw,
  ecdsaRawToDer,
  encodeEvidenceSignature,
  evidenceSignatureMessage,
  isSafeEvidencePath,
  maxFileBytes,
  parseSums,
  renderSums,
  verifyEvidenceSignatureWith,
} from '../../../ceremony/verify/index.js';

const d = (s: string) => sha256(utf8Encode(s));

describe('SHA256SUMS', () => {
  it('renders sorted sha256sum lines and parses them back', () => {
    const text = renderSums([
      { path: 'b/x', sha256: d('b') },
      { path: 'a', sha256: d('a') },
      { path: 'a-b', sha256: d('c') },
    ]);
    expect(text).toBe(
      `${createHash('sha256').update('a').digest('hex')}  a\n${createHash('sha256').update('c').digest('hex')}  a-b\n${createHash('sha256').update('b').digest('hex')}  b/x\n`,
    );
    expect(parseSums(utf8Encode(text)).map((e) => e.path)).toEqual(['a', 'a-b', 'b/x']);
  });

  it.each([
    ['no final newline', (t: string) => t.slice(0, -1)],
    ['CRLF', (t: string) => t.replace('\n', '\r\n')],
    ['one space', (t: string) => t.replace('  ', ' ')],
    ['binary-mode star', (t: string) => t.replace('  ', ' *')],
    ['uppercase hex', (t: string) => t.replace(/^[0-9a-f]/, (c) => (c === 'a' ? 'A' : 'F'))],
    ['unsorted', (t: string) => t.split('\n').slice(0, 2).reverse().join('\n') + '\n'],
    ['duplicate', (t: string) => t + t.split('\n')[0] + '\n'],
    ['blank line', (t: string) => t + '\n'],
    ['unsafe path', (t: string) => t.replace('  a\n', '  ../a\n')],
    ['non-ASCII', (t: string) => t.replace('  a\n', '  ä\n')],
    ['empty', () => ''],
  ])('refuses %s', (_name, mutate) => {
    const text = renderSums([
      { path: 'a', sha256: d('a') },
      { path: 'b', sha256: d('b') },
    ]);
    expect(() => parseSums(utf8Encode(mutate(text)))).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_SUMS_MALFORMED' }),
    );
  });
});

describe('paths', () => {
  it('accepts package paths and refuses anything that could escape or hide', () => {
    for (const ok of ['manifest.json', 'attestations/hsm-1/keys/k.statement', 'a~b/c_d'])
      expect(isSafeEvidencePath(ok), ok).toBe(true);
    for (const bad of [
      '',
      '/a',
      'a/',
      'a//b',
      '.',
      '..',
      'a/../b',
      'a/./b',
      '.hidden',
      'a/.b',
      'a\\b',
      'a b',
      'é',
      'x'.repeat(256),
      '-dash',
    ])
      expect(isSafeEvidencePath(bad), bad).toBe(false);
  });

  it('places attestations by HSM and key id, with ":" mapped to "~"', () => {
    expect(attestationPaths('hsm:1', 'key.1:a')).toEqual({
      statement: 'attestations/hsm~1/keys/key.1~a.statement',
      chain: 'attestations/hsm~1/keys/key.1~a.chain.pem',
    });
    expect(deviceChainPath('hsm-2')).toBe('attestations/hsm-2/device-chain.pem');
    expect(maxFileBytes('attestations/x/keys/y.statement')).toBe(256 * 1024);
    expect(maxFileBytes('notes.txt')).toBe(0);
  });
});

describe('ECDSA DER signatures', () => {
  it('round-trips with what node:crypto writes, and refuses every other encoding', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 50; i++) {
      const der = new Uint8Array(
        nodeSign('sha256', Buffer.from([i]), { key: privateKey, dsaEncoding: 'der' }),
      );
      const raw = ecdsaDerToRaw(der);
      expect(ecdsaRawToDer(raw)).toEqual(der);
      expect(
        nodeSign('sha256', Buffer.from([i]), { key: privateKey, dsaEncoding: 'ieee-p1363' }).length,
      ).toBe(64);
    }
    void publicKey;
    const good = ecdsaRawToDer(new Uint8Array(64).fill(1));
    const cases: Uint8Array[] = [
      Uint8Array.from([...good, 0]),
      Uint8Array.from([0x30, good[1]! + 1, 0x02, 2, 0, 1, ...good.slice(2 + 2 + 32)]),
      Uint8Array.from([0x31, ...good.slice(1)]),
      good.slice(0, -1),
    ];
    for (const bad of cases)
      expect(() => ecdsaDerToRaw(bad)).toThrow(
        expect.objectContaining({ code: 'ECDSA_SIGNATURE_MALFORMED' }),
      );
  });
});

describe('the package signature', () => {
  const sums = utf8Encode('x  a\n');
  const message = evidenceSignatureMessage(sums);

  it('is over the context, a zero byte and SHA-256(SHA256SUMS)', () => {
    expect(message).toEqual(
      new Uint8Array([...utf8Encode('fleet-ceremony evidence v1'), 0, ...sha256(sums)]),
    );
  });

  it('Ed25519: 64 raw bytes', () => {
    const sk = d('k');
    const key = { algorithm: 'ed25519' as const, publicKey: ed25519.getPublicKey(sk) };
    const file = encodeEvidenceSignature('ed25519', ed25519.sign(sk, message));
    expect(file.length).toBe(64);
    expect(verifyEvidenceSignatureWith(key, message, file)).toBe(true);
    expect(verifyEvidenceSignatureWith(key, message, Uint8Array.from([...file, 0]))).toBe(false);
    expect(verifyEvidenceSignatureWith(key, evidenceSignatureMessage(utf8Encode('y')), file)).toBe(false);
  });

  it('P-256: DER with low S; the high-S twin of a valid signature is refused', () => {
    const kp = p256.generateKeyPair();
    const key = { algorithm: 'p256' as const, publicKey: kp.publicKey };
    for (let i = 0; i < 8; i++) {
      const raw = p256.sign(kp.secretKey, message);
      const file = encodeEvidenceSignature('p256', raw);
      expect(verifyEvidenceSignatureWith(key, message, file)).toBe(true);
      const r = ecdsaDerToRaw(file);
      const s = BigInt('0x' + Buffer.from(r.subarray(32)).toString('hex'));
      expect(s <= P256_N >> 1n).toBe(true);
      const high = new Uint8Array(r);
      high.set(Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
      expect(p256.verify(kp.publicKey, message, high)).toBe(true);
      expect(verifyEvidenceSignatureWith(key, message, ecdsaRawToDer(high))).toBe(false);
      expect(verifyEvidenceSignatureWith(key, message, raw)).toBe(false);
    }
  });
});
