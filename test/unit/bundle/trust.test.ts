/**
 * The trust file: a good file parses; every member changed in turn is refused with its code, the
 * file name and the JSON path; ISO 8601 times are strict.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { verifyAttestation } from '../../../ceremony/attest/index.js';
import type { KeyAttestation } from '../../../ceremony/attest/index.js';
import { operatorKeyId, parseTrustFile } from '../../../ceremony/bundle/index.js';
import { attestationRoots } from '../../../ceremony/bundle/trust.js';
import { hexEncode, pemEncode } from '../../../ceremony/codec/index.js';
import { VECTORS, pemCert, pemPublicKey } from '../attest/support/vectors.js';
import { ed25519, p256 } from '../../../ceremony/crypto/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { seed, softwareHsm, world } from './fixture.js';
import { errorOf } from './helpers.js';

/** nShield's warrant root KWARN-1, a P-521 SubjectPublicKeyInfo; a certificate to pin beside it. */
const KWARN = pemPublicKey('entrust-nshield/kwarn-1.spki.pem');
const C4A_ROOT = pemCert('crypto4a-qasm/c4a-rca-root.pem');
/** KWARN-1 with the last byte of its point changed: a P-521 SPKI whose point is not on the curve. */
const offCurve = () => {
  const k = KWARN.slice();
  k[k.length - 1] = k[k.length - 1]! ^ 1;
  return k;
};

const w = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519', cosigners: 2, quorum: 1 });
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const clone = (): J => JSON.parse(w.trustText) as J;
const parse = (f: (j: J) => void) => {
  const j = clone();
  f(j);
  return parseTrustFile(JSON.stringify(j), 'trust.json');
};

describe('hsm_vendor_roots: bare public keys (nShield KWARN-1)', () => {
  const bundleOf = (name: string): KeyAttestation => ({
    format: 'entrust-nshield',
    statement: new Uint8Array(readFileSync(VECTORS + `entrust-nshield/${name}`)),
    chain: [],
  });
  const trustWith = (pem: string) => parse((j) => (j.hsm_vendor_roots = [{ name: 'Entrust nShield', pem }]));
  const kwarnPem = readFileSync(VECTORS + 'entrust-nshield/kwarn-1.spki.pem', 'utf8');

  it('reads PUBLIC KEY blocks beside CERTIFICATE blocks, in file order, and lists both as roots', () => {
    const t = trustWith(`KWARN-1\n${kwarnPem}${pemEncode('CERTIFICATE', C4A_ROOT)}`);
    expect(t.vendorRoots).toEqual([
      { name: 'Entrust nShield', certificates: [C4A_ROOT], publicKeys: [KWARN] },
    ]);
    expect(attestationRoots(t)).toEqual([C4A_ROOT, KWARN]);
  });

  it('verifies both nShield samples through the roots of a trust file pinning KWARN-1', async () => {
    const roots = attestationRoots(trustWith(kwarnPem));
    const now = new Date('2026-11-27T00:00:00Z');
    const pkcs11 = await verifyAttestation(bundleOf('key_pkcs11_test2.att'), { trustedRoots: roots, now });
    expect(pkcs11.failures).toEqual([]);
    expect(pkcs11).toMatchObject({ ok: true, serial: '8938-1075-88BB', verificationTimeSource: 'now' });
    expect(pkcs11.chain[pkcs11.chain.length - 1]).toBe('KWARN-1');
    // The other sample's warrant verifies too; it is refused for its ACL only.
    const simple = await verifyAttestation(bundleOf('key_simple_test1.att'), { trustedRoots: roots, now });
    expect(simple.failures.map((f) => f.code)).toEqual([
      'ATTEST_NSHIELD_ACL_REFUSED',
      'ATTEST_KEY_EXPORTABLE',
    ]);
    // Without the key (a certificate only), the warrant has no pinned root.
    const none = await verifyAttestation(bundleOf('key_pkcs11_test2.att'), {
      trustedRoots: attestationRoots(trustWith(pemEncode('CERTIFICATE', C4A_ROOT))),
      now,
    });
    expect(none.failures.map((f) => f.code)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
  });
});

describe('parseTrustFile', () => {
  it('parses the pinned anchors', () => {
    const t = parseTrustFile(w.trustText, 'trust.json');
    expect(t.profile).toBe('rehearsal');
    expect(t.log.origin).toBe('witness.example.com/log');
    expect(t.witnessKeys.map((k) => [k.keyId, k.notBefore, k.notAfter])).toEqual([
      [w.wk.old.publicKey[31], Date.parse('2024-01-01T00:00:00Z'), Date.parse('2025-06-01T00:00:00Z')],
      [w.wk.current.publicKey[31], Date.parse('2025-06-01T00:00:00Z'), undefined],
    ]);
    expect(t.cosigners.quorum).toBe(1);
    expect(t.cosigners.verifiers.map((v) => v.name)).toEqual([
      'cosigner-0.example.org',
      'cosigner-1.example.org',
    ]);
    expect(t.operatorKeys[0]!.keyId).toBe(operatorKeyId('ed25519', t.operatorKeys[0]!.publicKey));
    expect(t.attestation.validateAtAttestationTime).toBe(false);
    expect(t.vendorRoots).toEqual([]);
  });

  it('reads vendor roots (lax PEM), a P-256 operator key and attestation options', () => {
    const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
    const pem = `Vendor root\r\n-----BEGIN CERTIFICATE-----\r\nMAMCAQE=\r\n-----END CERTIFICATE-----\r\n`;
    const t = parse((j) => {
      j.hsm_vendor_roots = [{ name: 'Yubico', pem }];
      j.operator_keys.push({
        algorithm: 'p256',
        public_key: hexEncode(p256.getPublicKey(seed('p'))),
        not_after: '2030-01-01T00:00:00.5Z',
      });
      j.attestation = { validate_at_attestation_time: true };
    });
    expect(t.vendorRoots).toEqual([{ name: 'Yubico', certificates: [der], publicKeys: [] }]);
    expect(t.operatorKeys[1]).toMatchObject({
      algorithm: 'p256',
      notAfter: Date.parse('2030-01-01T00:00:00.500Z'),
    });
    expect(t.attestation.validateAtAttestationTime).toBe(true);
  });

  const cases: [string, (j: J) => void, string, string][] = [
    ['not JSON', () => undefined, 'TRUST_JSON_INVALID', '$'],
    ['a duplicate key', () => undefined, 'TRUST_DUPLICATE_KEY', '$'],
    ['version 2', (j) => (j.version = 2), 'TRUST_VERSION_UNSUPPORTED', '$.version'],
    ['version as text', (j) => (j.version = '1'), 'TRUST_FIELD_TYPE', '$.version'],
    ['an unknown member', (j) => (j.extra = 1), 'TRUST_FIELD_UNKNOWN', '$.extra'],
    [
      'an unknown nested member',
      (j) => (j.witness.statement_keys[0].kid = 1),
      'TRUST_FIELD_UNKNOWN',
      '$.witness.statement_keys[0].kid',
    ],
    ['no profile', (j) => delete j.profile, 'TRUST_FIELD_MISSING', '$.profile'],
    ['profile test', (j) => (j.profile = 'test'), 'TRUST_PROFILE_INVALID', '$.profile'],
    ['no namespaces', (j) => (j.namespaces = []), 'TRUST_FIELD_LENGTH', '$.namespaces'],
    ['a bad namespace', (j) => (j.namespaces = ['a b']), 'TRUST_NAMESPACE_INVALID', '$.namespaces[0]'],
    ['a namespace twice', (j) => (j.namespaces = ['a', 'a']), 'TRUST_NAMESPACE_INVALID', '$.namespaces'],
    [
      'no witness keys',
      (j) => (j.witness.statement_keys = []),
      'TRUST_FIELD_LENGTH',
      '$.witness.statement_keys',
    ],
    [
      'witness key in uppercase hex',
      (j) => (j.witness.statement_keys[0].public_key = j.witness.statement_keys[0].public_key.toUpperCase()),
      'TRUST_KEY_INVALID',
      '$.witness.statement_keys[0].public_key',
    ],
    [
      'witness key of 31 bytes',
      (j) => (j.witness.statement_keys[0].public_key = '00'.repeat(31)),
      'TRUST_KEY_INVALID',
      '$.witness.statement_keys[0].public_key',
    ],
    [
      'small-order witness key',
      (j) => (j.witness.statement_keys[0].public_key = '01' + '00'.repeat(31)),
      'TRUST_KEY_INVALID',
      '$.witness.statement_keys[0].public_key',
    ],
    [
      'a witness key twice',
      (j) => j.witness.statement_keys.push(j.witness.statement_keys[0]),
      'TRUST_KEY_DUPLICATE',
      '$.witness.statement_keys[2].public_key',
    ],
    [
      'no not_before',
      (j) => delete j.witness.statement_keys[1].not_before,
      'TRUST_FIELD_MISSING',
      '$.witness.statement_keys[1].not_before',
    ],
    [
      'a local time',
      (j) => (j.witness.statement_keys[1].not_before = '2025-06-01T00:00:00+02:00'),
      'TRUST_TIME_INVALID',
      '$.witness.statement_keys[1].not_before',
    ],
    [
      'February 30',
      (j) => (j.witness.statement_keys[1].not_before = '2025-02-30T00:00:00Z'),
      'TRUST_TIME_INVALID',
      '$.witness.statement_keys[1].not_before',
    ],
    [
      'not_after before not_before',
      (j) => (j.witness.statement_keys[0].not_after = '2023-01-01T00:00:00Z'),
      'TRUST_VALIDITY_INVALID',
      '$.witness.statement_keys[0].not_after',
    ],
    [
      'a bad log key',
      (j) => (j.witness.log_key = 'x+00000000+AA=='),
      'TRUST_VKEY_INVALID',
      '$.witness.log_key',
    ],
    [
      'a cosignature key as log key',
      (j) => (j.witness.log_key = j.witness.cosigners.keys[0]),
      'TRUST_VKEY_INVALID',
      '$.witness.log_key',
    ],
    [
      'a cosigner named as the log',
      (j) => (j.witness.cosigners.keys[1] = j.witness.log_key),
      'TRUST_COSIGNER_NAME_INVALID',
      '$.witness.cosigners.keys[1]',
    ],
    [
      'quorum 3 of 2',
      (j) => (j.witness.cosigners.quorum = 3),
      'TRUST_FIELD_RANGE',
      '$.witness.cosigners.quorum',
    ],
    ['quorum 0', (j) => (j.witness.cosigners.quorum = 0), 'TRUST_FIELD_RANGE', '$.witness.cosigners.quorum'],
    ['no operator keys', (j) => (j.operator_keys = []), 'TRUST_FIELD_LENGTH', '$.operator_keys'],
    [
      'operator algorithm x25519',
      (j) => (j.operator_keys[0].algorithm = 'x25519'),
      'TRUST_ALGORITHM_INVALID',
      '$.operator_keys[0].algorithm',
    ],
    [
      'p256 operator key off the curve',
      (j) => Object.assign(j.operator_keys[0], { algorithm: 'p256', public_key: '04' + '01'.repeat(64) }),
      'TRUST_KEY_INVALID',
      '$.operator_keys[0].public_key',
    ],
    [
      'an operator key twice',
      (j) => j.operator_keys.push(j.operator_keys[0]),
      'TRUST_KEY_DUPLICATE',
      '$.operator_keys[1].public_key',
    ],
    [
      'a vendor root without PEM',
      (j) => (j.hsm_vendor_roots = [{ name: 'x', pem: 'nope' }]),
      'TRUST_PEM_INVALID',
      '$.hsm_vendor_roots[0].pem',
    ],
    [
      'a vendor root block of another label',
      (j) => (j.hsm_vendor_roots = [{ name: 'x', pem: pemEncode('PRIVATE KEY', KWARN) }]),
      'TRUST_PEM_INVALID',
      '$.hsm_vendor_roots[0].pem',
    ],
    [
      'a vendor public key that is not a SubjectPublicKeyInfo',
      (j) => (j.hsm_vendor_roots = [{ name: 'x', pem: pemEncode('PUBLIC KEY', C4A_ROOT) }]),
      'TRUST_PEM_INVALID',
      '$.hsm_vendor_roots[0].pem',
    ],
    [
      'a vendor public key with trailing bytes',
      (j) =>
        (j.hsm_vendor_roots = [{ name: 'x', pem: pemEncode('PUBLIC KEY', Uint8Array.from([...KWARN, 0])) }]),
      'TRUST_PEM_INVALID',
      '$.hsm_vendor_roots[0].pem',
    ],
    [
      'a vendor public key off its curve',
      (j) => (j.hsm_vendor_roots = [{ name: 'x', pem: pemEncode('PUBLIC KEY', offCurve()) }]),
      'TRUST_PEM_INVALID',
      '$.hsm_vendor_roots[0].pem',
    ],
    [
      'attestation option as text',
      (j) => (j.attestation = { validate_at_attestation_time: 'yes' }),
      'TRUST_FIELD_TYPE',
      '$.attestation.validate_at_attestation_time',
    ],
  ];
  for (const [name, change, code, field] of cases) {
    it(`${name} → ${code} at ${field}`, () => {
      const text =
        name === 'not JSON'
          ? '{"version": 1,'
          : name === 'a duplicate key'
            ? w.trustText.replace('"version": 1,', '"version": 1, "version": 1,')
            : JSON.stringify(
                (() => {
                  const j = clone();
                  change(j);
                  return j;
                })(),
              );
      const e = errorOf(() => parseTrustFile(text, 'trust.json'));
      expect(e).toBeInstanceOf(MalformedError);
      expect([e.code, e.field, e.file]).toEqual([code, field, 'trust.json']);
      expect(e.message).toContain('trust.json');
    });
  }

  it('bounds the file size', () => {
    expect(errorOf(() => parseTrustFile(' '.repeat((1 << 20) + 1))).code).toBe('TRUST_TOO_LARGE');
  });

  it('does not take a key inside a string for a duplicate member', () => {
    expect(parse((j) => (j.namespaces = ['version', 'profile'])).namespaces).toEqual(['version', 'profile']);
    expect(ed25519.getPublicKey(seed('x')).length).toBe(32);
  });
});

describe('hsm_vendor_roots: the total of pinned roots', () => {
  it('refuses more than the attestation verifiers take (64 certificates and keys in all)', () => {
    const withKeys = (n: number) => {
      const j = clone();
      j['hsm_vendor_roots'] = [{ name: 'many', pem: pemEncode('PUBLIC KEY', KWARN).repeat(n) }];
      return JSON.stringify(j);
    };
    expect(parseTrustFile(withKeys(64)).vendorRoots[0]!.publicKeys).toHaveLength(64);
    expect(() => parseTrustFile(withKeys(65))).toThrow(
      expect.objectContaining({ code: 'TRUST_FIELD_LENGTH', field: '$.hsm_vendor_roots' }),
    );
  });
});
