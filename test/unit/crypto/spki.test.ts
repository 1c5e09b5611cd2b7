/**
 * DER SubjectPublicKeyInfo: byte-identical to what OpenSSL (node:crypto) exports, round trips,
 * and a strict decoder (every non-canonical or foreign input refused with a precise code).
 */
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSpki, encodeSpki, MAX_SPKI_BYTES, portable } from '../../../ceremony/crypto/index.js';
import type { SpkiAlgorithm } from '../../../ceremony/crypto/index.js';
import { oidToString } from '../../../ceremony/crypto/der.js';
import { ED25519_SMALL_ORDER_POINTS } from '../../../ceremony/crypto/ed25519-rules.js';
import { hex, outcome, plain, runs, throwsCode, toHex } from './helpers.js';

const keys: Record<SpkiAlgorithm, Uint8Array> = {
  ed25519: portable.ed25519.generateKeyPair().publicKey,
  x25519: portable.x25519.generateKeyPair().publicKey,
  p256: portable.p256.generateKeyPair().publicKey,
};
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
/** OpenSSL's DER for the same key, via JWK import. */
function opensslSpki(algorithm: SpkiAlgorithm, raw: Uint8Array): Uint8Array {
  const jwk =
    algorithm === 'p256'
      ? { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) }
      : { kty: 'OKP', crv: algorithm === 'ed25519' ? 'Ed25519' : 'X25519', x: b64u(raw) };
  return plain(createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'der', type: 'spki' }));
}
const derOf = (key: { export(o: { format: 'der'; type: 'spki' }): Buffer }) =>
  plain(key.export({ format: 'der', type: 'spki' }));

describe('encodeSpki / decodeSpki', () => {
  for (const algorithm of ['ed25519', 'x25519', 'p256'] as const) {
    it(`${algorithm}: the same bytes as OpenSSL, and back`, () => {
      const der = encodeSpki(algorithm, keys[algorithm]);
      expect(toHex(der)).toBe(toHex(opensslSpki(algorithm, keys[algorithm])));
      expect(der).toHaveLength(algorithm === 'p256' ? 91 : 44);
      const back = decodeSpki(der);
      expect(back.algorithm).toBe(algorithm);
      expect(toHex(back.publicKey)).toBe(toHex(keys[algorithm]));
    });
  }

  it('encodes only valid keys: compressed P-256, small-order Ed25519, non-canonical X25519 refused', () => {
    const compressed = Uint8Array.of(2 + (keys.p256[64]! & 1), ...keys.p256.subarray(1, 33));
    throwsCode(() => encodeSpki('p256', compressed), 'CRYPTO_BAD_LENGTH');
    throwsCode(() => encodeSpki('ed25519', ED25519_SMALL_ORDER_POINTS[3]!), 'CRYPTO_WEAK_PUBLIC_KEY');
    const top = plain(keys.x25519);
    top[31] = top[31]! | 0x80;
    throwsCode(() => encodeSpki('x25519', top), 'CRYPTO_BAD_PUBLIC_KEY');
    throwsCode(() => encodeSpki('x25519', new Uint8Array(32)), 'CRYPTO_WEAK_PUBLIC_KEY');
    throwsCode(() => encodeSpki('ed25519', new Uint8Array(31)), 'CRYPTO_BAD_LENGTH');
    throwsCode(() => encodeSpki('rsa' as SpkiAlgorithm, keys.ed25519), 'CRYPTO_BAD_ARGUMENT');
  });

  it('names other algorithms by OID: RSA, Ed448, X448, P-384, secp256k1', () => {
    const rsa = derOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
    const cases: [Uint8Array, string][] = [
      [rsa, '1.2.840.113549.1.1.1'],
      [derOf(generateKeyPairSync('ed448').publicKey), '1.3.101.113'],
      [derOf(generateKeyPairSync('x448').publicKey), '1.3.101.111'],
      [derOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey), 'curve 1.3.132.0.34'],
      [derOf(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey), 'curve 1.3.132.0.10'],
    ];
    for (const [der, oid] of cases) {
      const e = throwsCode(() => decodeSpki(der), 'CRYPTO_SPKI_UNKNOWN_ALGORITHM');
      expect(e.message).toContain(oid);
    }
  });

  it('refuses non-DER and non-canonical forms with CRYPTO_SPKI_MALFORMED', () => {
    const ed = encodeSpki('ed25519', keys.ed25519);
    const body = ed.subarray(2);
    const malformed: [string, Uint8Array][] = [
      ['trailing byte', Uint8Array.of(...ed, 0)],
      ['truncated', ed.subarray(0, 43)],
      ['long-form length for 42', Uint8Array.of(0x30, 0x81, 0x2a, ...body)],
      ['indefinite length', Uint8Array.of(0x30, 0x80, ...body, 0, 0)],
      ['NULL parameters on Ed25519', hex(`302c300706032b65700500032100${toHex(keys.ed25519)}`)],
      ['one unused bit', hex(`302a300506032b6570032101${toHex(keys.ed25519)}`)],
      ['SET instead of SEQUENCE', Uint8Array.of(0x31, ...ed.subarray(1))],
      ['OCTET STRING key', hex(`302a300506032b6570042100${toHex(keys.ed25519)}`)],
      ['empty', new Uint8Array(0)],
      ['too large', new Uint8Array(MAX_SPKI_BYTES + 1)],
      [
        'compressed P-256',
        hex(
          `3039301306072a8648ce3d020106082a8648ce3d030107032200${toHex(Uint8Array.of(2 + (keys.p256[64]! & 1), ...keys.p256.subarray(1, 33)))}`,
        ),
      ],
      ['id-ecPublicKey without parameters', hex(`304f300906072a8648ce3d0201034200${toHex(keys.p256)}`)],
    ];
    for (const [name, der] of malformed) {
      expect(
        outcome(() => decodeSpki(der)),
        name,
      ).toMatchObject({ code: 'CRYPTO_SPKI_MALFORMED' });
    }
  });

  it('refuses well-formed SPKI holding an invalid key with the key error', () => {
    throwsCode(
      () => decodeSpki(hex(`302a300506032b6570032100${toHex(ED25519_SMALL_ORDER_POINTS[0]!)}`)),
      'CRYPTO_WEAK_PUBLIC_KEY',
    );
    const offCurve = plain(keys.p256);
    offCurve[64] = offCurve[64]! ^ 1;
    throwsCode(() => decodeSpki(encodeSpkiUnchecked('p256', offCurve)), 'CRYPTO_BAD_PUBLIC_KEY');
  });

  it('never accepts a mutated encoding unless it is the canonical encoding of the key it yields', () => {
    const all = (['ed25519', 'x25519', 'p256'] as const).map((a) => encodeSpki(a, keys[a]));
    const mutated = fc
      .tuple(
        fc.constantFrom(...all),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: -2, max: 2 }),
      )
      .map(([der, i, x, resize]) => {
        const c = plain(der);
        c[i % c.length] = c[i % c.length]! ^ x;
        return resize >= 0
          ? Uint8Array.of(...c, ...new Uint8Array(resize))
          : c.subarray(0, c.length + resize);
      });
    fc.assert(
      fc.property(mutated, (der) => {
        const r = outcome(() => decodeSpki(der));
        if ('ok' in r) expect(toHex(encodeSpki(r.ok.algorithm, r.ok.publicKey))).toBe(toHex(der));
        else expect(r.error).toBe('MalformedError');
      }),
      { numRuns: runs(300) },
    );
  });

  it('renders OIDs as dotted text, and marks invalid ones', () => {
    expect(oidToString(hex('2b6570'))).toBe('1.3.101.112');
    expect(oidToString(hex('2a864886f70d010101'))).toBe('1.2.840.113549.1.1.1');
    expect(oidToString(hex('8837'))).toBe('2.999');
    expect(oidToString(hex(''))).toBe('(invalid OID)');
    expect(oidToString(hex('2b86'))).toBe('(invalid OID)');
    expect(oidToString(hex('2b8001'))).toBe('(invalid OID)');
  });
});

/** DER around a raw key without validating it (to build invalid-key fixtures). */
function encodeSpkiUnchecked(algorithm: 'p256', raw: Uint8Array): Uint8Array {
  return hex(`3059301306072a8648ce3d020106082a8648ce3d030107034200${toHex(raw)}`);
}
