/**
 * Entrust nShield: both published bundles verify every signature from KWARN-1 down (manifest.json);
 * the softcard key passes, the module-protected key is refused as recoverable and for its ACL; the
 * bundle reader, DDDS and DSA code refuse what docs/attestation-vendors.md says.
 */
import { readFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AttestationResult, KeyAttestation } from '../../../../ceremony/attest/types.js';
import { nshieldFormat } from '../../../../ceremony/attest/vendors/nshield/index.js';
import { decodeDdds, DddsMap, Sym } from '../../../../ceremony/attest/vendors/nshield/ddds.js';
import { verifyDsa } from '../../../../ceremony/attest/vendors/nshield/dsa.js';
import { readFlatJson } from '../../../../ceremony/attest/vendors/nshield/json.js';
import { decodeDer, derSequence } from '../../../../ceremony/attest/x509/der.js';
import { derBitStringBytes, derInteger } from '../../../../ceremony/attest/x509/der-values.js';
import { sha256 } from '../../../../ceremony/crypto/index.js';
import { CHECKED_ON, VECTORS, flipBit, pemCert, pemPublicKey, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const samples = samplesOf('entrust-nshield');
const KWARN = pemPublicKey('entrust-nshield/kwarn-1.spki.pem');
const bundle = (path: string): KeyAttestation => ({
  format: 'entrust-nshield',
  statement: new Uint8Array(readFileSync(VECTORS + path)),
  chain: [],
});
const SIMPLE = bundle('entrust-nshield/key_simple_test1.att');
const PKCS11 = bundle('entrust-nshield/key_pkcs11_test2.att');
const options = { trustedRoots: [KWARN], now: CHECKED_ON };
const text = (s: string) => new TextEncoder().encode(s);

describe('nshield: the real bundles (manifest.json)', () => {
  it('lists the two bundles', () => {
    expect(samples.map((s) => s.id)).toEqual(['nshield-key_simple_test1', 'nshield-key_pkcs11_test2']);
  });

  it.each(samples.map((s) => [s.id, s] as const))(
    '%s: every signature verifies, with the manifest facts',
    async (_id, s) => {
      const e = s.expect;
      const r = await nshieldFormat.verify(bundle(s.files.attestation as string), options);
      expect(codes(r)).not.toContain('ATTEST_SIGNATURE_INVALID');
      expect(codes(r)).not.toContain('ATTEST_CHAIN_UNTRUSTED');
      expect(codes(r)).not.toContain('ATTEST_ATTRIBUTE_MISMATCH');
      expect(r).toMatchObject({
        format: 'entrust-nshield',
        level: 'hardware-vendor',
        vendor: 'Entrust',
        model: 'nShield',
        serial: e.esn,
        origin: 'generated',
        verificationTime: CHECKED_ON,
        attributes: {
          algorithm: e.algorithm,
          protection: e.protection,
          recoverable: String(e.recoverable),
          warrantType: e.warrant_type,
          physicalSerial: '36-J31028',
          approvals: 'FIPS140 2 3 MultiChipEmbedded',
        },
      });
      expect(r.chain).toEqual([
        'KML of module 8938-1075-88BB',
        'KLF2 of module 8938-1075-88BB (FieldUpgradeModuleInformation)',
        'Delegation 1',
        'KWARN-1',
      ]);
      expect(r.publicKey!.sha256).toEqual(sha256(r.publicKey!.spki));
    },
  );

  it('the softcard-protected P-256 key passes', async () => {
    const r = await nshieldFormat.verify(PKCS11, options);
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ ok: true, exportable: false });
  });

  it('the module-protected RSA key is refused: recoverable by the Administrator Card Set, and UseAsBlobKey', async () => {
    const r = await nshieldFormat.verify(SIMPLE, options);
    expect(r.ok).toBe(false);
    expect(r.exportable).toBe(true);
    expect(codes(r)).toEqual(['ATTEST_NSHIELD_ACL_REFUSED', 'ATTEST_KEY_EXPORTABLE']);
    expect(r.failures[0]!.reason).toContain('UseAsBlobKey');
    expect(r.failures[1]!.reason).toContain('recoverable');
  });

  it('refuses without the pinned KWARN-1 key, or with another P-521 key pinned', async () => {
    const none = await nshieldFormat.verify(PKCS11, {
      ...options,
      trustedRoots: [pemCert('crypto4a-qasm/c4a-rca-root.pem')],
    });
    expect(codes(none)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const wrong = await nshieldFormat.verify(PKCS11, { ...options, trustedRoots: [new Uint8Array(other)] });
    expect(codes(wrong)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    expect(wrong.failures[0]!.reason).toContain('does not verify');
  });

  it('needs no time (warrants have no validity) and carries no challenge', async () => {
    const r = await nshieldFormat.verify(PKCS11, {
      ...options,
      now: new Date('2100-01-01T00:00:00Z'),
      validateAtAttestationTime: true,
    });
    expect(r.ok).toBe(true);
    expect(r.verificationTime.toISOString()).toBe('2100-01-01T00:00:00.000Z');
    const c = await nshieldFormat.verify(PKCS11, { ...options, expectedChallenge: new Uint8Array(4) });
    expect(codes(c)).toEqual(['ATTEST_CHALLENGE_UNSUPPORTED']);
  });
});

describe('nshield: bundle reader', () => {
  const json = new TextDecoder().decode(PKCS11.statement);
  const verifyText = (t: string) => nshieldFormat.verify({ ...PKCS11, statement: text(t) }, options);

  it('refuses evidence whose statement is not bytes or whose chain is not a list', async () => {
    for (const bad of [
      { ...PKCS11, statement: 'x' as never },
      { ...PKCS11, chain: undefined as never },
    ]) {
      expect(codes(await nshieldFormat.verify(bad, options))).toEqual(['ATTEST_MALFORMED']);
    }
  });

  it('refuses a repeated key, an unknown or missing field, escapes, tabs, and a non-empty chain', async () => {
    const first = json.indexOf('"root"');
    for (const bad of [
      json.replace('{', '{\n  "root": "KWARN-1",'),
      json.replace('"root"', '"rooot"'),
      json.replace(/,\s*"root": "KWARN-1"/, ''),
      json.replace('"KWARN-1"', '"KWARN\\u002d1"'),
      json.slice(0, first) + '\t' + json.slice(first),
    ]) {
      expect(codes(await verifyText(bad))).toEqual(['ATTEST_MALFORMED']);
    }
    expect(codes(await nshieldFormat.verify({ ...PKCS11, chain: [KWARN] }, options))).toEqual([
      'ATTEST_MALFORMED',
    ]);
  });

  it('reads a flat object of strings', () => {
    expect([...readFlatJson(text('{ "a": "1",\n"b": "x-y_z=" }'))]).toEqual([
      ['a', '1'],
      ['b', 'x-y_z='],
    ]);
    for (const bad of ['{"a": 1}', '{"a": "1"} x', '{"a": "é"}', '["a"]', '{"a": "1",}']) {
      expect(() => readFlatJson(text(bad)), bad).toThrow(/attestation bundle JSON/);
    }
  });

  it('refuses base64 (not base64url) and non-canonical padding bits', async () => {
    const field = /"kcsig": "([^"]+)"/.exec(json)![1]!;
    expect(
      codes(await verifyText(json.replace(field, field.replace(/-/g, '+').replace(/_/g, '/') + ''))),
    ).toEqual(field.includes('-') || field.includes('_') ? ['ATTEST_MALFORMED'] : []);
    const last = field[field.length - 3]!; // before '==': 4 significant bits, 4 pad bits
    const padded = field.slice(0, -3) + String.fromCharCode(last.charCodeAt(0) + 1) + '==';
    expect(codes(await verifyText(json.replace(field, padded)))).toEqual(['ATTEST_MALFORMED']);
  });
});

describe('nshield: DDDS and DSA', () => {
  it('decodes DDDS values and refuses bad ones', () => {
    const v = decodeDdds(
      Uint8Array.of(0x93, 0x05, 0x22, 0x68, 0x69, 0xb1, 0x31, 0x61, 0xf4, 0xc5, 0x02, 0x01, 0x00),
      'x',
    );
    expect(Array.isArray(v) && v[0]).toBe(5n);
    expect(Array.isArray(v) && v[1]).toBe('hi');
    const map = (v as unknown[])[2] as DddsMap;
    expect(map).toBeInstanceOf(DddsMap);
    expect(map.get('a')).toBe(256n);
    expect(decodeDdds(Uint8Array.of(0x31, 0x61), 'x')).toEqual(new Sym('a'));
    for (const bad of [
      [0x92, 0x01], // truncated list
      [0x01, 0x02], // trailing byte
      [0xb2, 0x31, 0x61, 0x01, 0x31, 0x61, 0x02], // repeated key
      [0xf4, 0xc5, 0x02, 0x00, 0x01], // integer with a leading zero
      [0xe0], // unknown tag
    ]) {
      expect(() => decodeDdds(Uint8Array.from(bad), 'x')).toThrow(/DDDS/);
    }
  });

  it('verifies DSA signatures made by OpenSSL, and refuses altered ones', () => {
    const { publicKey, privateKey } = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const [alg, key] = derSequence(decodeDer(spki, 'spki'), 'spki', 2, 2);
    const [p, q, g] = derSequence(derSequence(alg!, 'alg', 2, 2)[1]!, 'params', 3, 3).map((e) =>
      derInteger(e, 'param'),
    );
    const y = derInteger(decodeDer(derBitStringBytes(key!, 'key'), 'y'), 'y');
    const dsa = { p: p!, q: q!, g: g!, y };
    for (let i = 0; i < 3; i++) {
      const message = text(`message ${i}`);
      const der = new Uint8Array(sign('sha256', message, privateKey));
      const [r, s] = derSequence(decodeDer(der, 'sig'), 'sig', 2, 2).map((e) => derInteger(e, 'sig'));
      expect(verifyDsa(dsa, sha256(message), r!, s!)).toBe(true);
      expect(verifyDsa(dsa, sha256(text(`message ${i}!`)), r!, s!)).toBe(false);
      expect(verifyDsa(dsa, sha256(message), r!, s! + 1n)).toBe(false);
      expect(verifyDsa(dsa, sha256(message), r!, 0n)).toBe(false);
    }
  });
});

describe('nshield: one flipped bit anywhere is refused (or, in the refused bundle, detected)', () => {
  const long = process.env.FLEET_LONG_TESTS === '1';

  it.each([
    ['key_pkcs11_test2.att', PKCS11, long ? 1 : 331],
    ['key_simple_test1.att', SIMPLE, long ? 1 : 661],
  ] as const)(
    '%s: 1 bit in %i',
    async (_name, ev, stride) => {
      const good = await nshieldFormat.verify(ev, options);
      const undetected: number[] = [];
      let count = 0;
      for (let bit = 0; bit < ev.statement.length * 8; bit += stride) {
        const r = await nshieldFormat.verify({ ...ev, statement: flipBit(ev.statement, bit) }, options);
        count++;
        const same = JSON.stringify(codes(r)) === JSON.stringify(codes(good));
        if (r.ok || same) undetected.push(bit);
      }
      expect(undetected).toEqual([]);
      expect(count).toBe(Math.ceil((ev.statement.length * 8) / stride));
    },
    3_600_000,
  );
});
