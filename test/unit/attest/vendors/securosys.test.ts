/**
 * Securosys Primus: the real sample (serial 18386101) verifies with the manifest facts; the statement
 * wrapper, the XML reader and the policy refuse what docs/attestation-vendors.md says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeCbor, hexEncode, pemDecodeAll } from '../../../../ceremony/codec/index.js';
import type { AttestationResult, KeyAttestation } from '../../../../ceremony/attest/types.js';
import { securosysEvidence, securosysFormat } from '../../../../ceremony/attest/vendors/securosys/index.js';
import { readFacts } from '../../../../ceremony/attest/vendors/securosys/facts.js';
import { parseXml } from '../../../../ceremony/attest/vendors/securosys/xml.js';
import { decodeDer, derSequence } from '../../../../ceremony/attest/x509/der.js';
import { sha256 } from '../../../../ceremony/crypto/index.js';
import { CHECKED_ON, VECTORS, flippedBitsAccepted, pemCert, samplesOf } from '../support/vectors.js';

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);
const [sample] = samplesOf('securosys-primus');
const file = (p: string) => new Uint8Array(readFileSync(VECTORS + p));
const XML = file('securosys-primus/attestation.xml');
const SIG = file('securosys-primus/attestation.sig');
const CHAIN = (sample!.files.chain as string[]).map(pemCert);
const ROOT = pemCert('securosys-primus/securosys-primus-hsm-rootkey.pem');
const EVIDENCE = securosysEvidence(XML, SIG, CHAIN);
const options = { trustedRoots: [ROOT], now: CHECKED_ON };
const utf8 = (s: string) => new TextEncoder().encode(s);
const xmlText = new TextDecoder().decode(XML);

describe('securosys: the real sample (manifest.json)', () => {
  it('verifies with the manifest facts', async () => {
    const e = sample!.expect;
    const r = await securosysFormat.verify(EVIDENCE, options);
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({
      ok: true,
      format: 'securosys-primus',
      level: 'hardware-vendor',
      vendor: 'Securosys',
      model: 'Primus',
      serial: e.hsm_serial,
      origin: e.creation,
      exportable: e.extractable,
      sensitive: e.sensitive,
      usages: ['sign', 'decrypt'],
      verificationTime: CHECKED_ON,
      attributes: {
        label: e.label,
        algorithm: e.algorithm,
        createTime: (e.create_time as string).replace('Z', '.000Z'),
        attestTime: (e.attest_time as string).replace('Z', '.000Z'),
      },
    });
    expect(hexEncode(r.publicKey!.sha256)).toBe(e.spki_sha256);
    expect(r.chain).toEqual([
      'CN=attestation-key, C=CH, L=Zurich, O=Securosys, ST=ZH',
      'CN=PRIMUS HSM KEY (SN: 18386101), C=CH, L=Zurich, O=Securosys, ST=ZH',
      'CN=PRIMUS_HSM_ROOTKEY, C=CH, L=Zurich, O=Securosys, ST=ZH',
    ]);
  });

  it("attests the CSR's key", () => {
    const [csr] = pemDecodeAll(readFileSync(VECTORS + 'securosys-primus/key.csr', 'utf8'), undefined, {
      lax: true,
    });
    const [info] = derSequence(decodeDer(csr!.der, 'csr'), 'csr', 3, 3);
    const spki = derSequence(info!, 'csr.info', 3, 4)[2]!.bytes;
    expect(hexEncode(sha256(spki))).toBe(sample!.expect.spki_sha256);
    expect(readFacts(XML).spki).toEqual(spki);
  });

  it('validates at attest_time when asked, and says so', async () => {
    const r = await securosysFormat.verify(EVIDENCE, { ...options, validateAtAttestationTime: true });
    expect(r.failures).toEqual([]);
    expect(r.verificationTime.toISOString()).toBe('2025-10-18T20:19:33.000Z');
  });

  it('refuses after the chain expires (2054-08-14) and before it is valid', async () => {
    const late = await securosysFormat.verify(EVIDENCE, {
      ...options,
      now: new Date('2055-01-01T00:00:00Z'),
    });
    expect(new Set(codes(late))).toEqual(new Set(['ATTEST_EXPIRED']));
    const early = await securosysFormat.verify(EVIDENCE, {
      ...options,
      now: new Date('2024-01-01T00:00:00Z'),
    });
    expect(new Set(codes(early))).toEqual(new Set(['ATTEST_NOT_YET_VALID']));
  });

  it('refuses without the pinned root, or with the chain out of order', async () => {
    expect(codes(await securosysFormat.verify(EVIDENCE, { ...options, trustedRoots: [] }))).toEqual([
      'ATTEST_CHAIN_UNTRUSTED',
    ]);
    const swapped = securosysEvidence(XML, SIG, [CHAIN[1]!, CHAIN[0]!]);
    expect((await securosysFormat.verify(swapped, options)).ok).toBe(false);
  });
});

describe('securosys: policy', () => {
  /** The sample's XML with one edit: the signature no longer verifies, and the policy still speaks. */
  async function edited(from: string, to: string): Promise<AttestationResult> {
    expect(xmlText).toContain(from);
    return securosysFormat.verify(securosysEvidence(utf8(xmlText.replace(from, to)), SIG, CHAIN), options);
  }

  it('refuses an imported key as imported', async () => {
    const r = await edited('creation="generated"', 'creation="imported"');
    expect(codes(r)).toEqual(['ATTEST_SIGNATURE_INVALID', 'ATTEST_KEY_IMPORTED']);
    expect(r.origin).toBe('imported');
  });

  it('refuses an extractable key, and one that was extractable', async () => {
    expect(codes(await edited('<extractable>false', '<extractable>true'))).toEqual([
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_KEY_EXPORTABLE',
    ]);
    expect(codes(await edited('<never_extractable>true', '<never_extractable>false'))).toEqual([
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_KEY_EXPORTABLE',
    ]);
  });

  it('refuses an unknown origin and a key that was not always sensitive', async () => {
    expect(codes(await edited('creation="generated"', 'creation="derived"'))).toEqual([
      'ATTEST_SIGNATURE_INVALID',
      'ATTEST_ORIGIN_UNKNOWN',
    ]);
    const was = await edited('<always_sensitive>true', '<always_sensitive>false');
    expect(codes(was)).toEqual(['ATTEST_SIGNATURE_INVALID', 'ATTEST_KEY_WAS_NOT_SENSITIVE']);
    // `sensitive` is <sensitive> alone, as in every format; always_sensitive is its own failure.
    expect(was.sensitive).toBe(true);
    const not = await edited('<sensitive>true', '<sensitive>false');
    expect(codes(not)).toEqual(['ATTEST_SIGNATURE_INVALID', 'ATTEST_KEY_NOT_SENSITIVE']);
    expect(not.sensitive).toBe(false);
  });

  it('refuses an expected challenge: the XML carries none', async () => {
    const r = await securosysFormat.verify(EVIDENCE, { ...options, expectedChallenge: new Uint8Array(16) });
    expect(codes(r)).toEqual(['ATTEST_CHALLENGE_UNSUPPORTED']);
  });
});

describe('securosys: statement wrapper and XML reader', () => {
  it('refuses evidence whose statement is not bytes or whose chain is not a list', async () => {
    for (const bad of [
      { ...EVIDENCE, statement: 'x' as never },
      { ...EVIDENCE, chain: undefined as never },
    ]) {
      expect(codes(await securosysFormat.verify(bad, options))).toEqual(['ATTEST_MALFORMED']);
    }
  });

  it('refuses a wrapper in another encoding, version or shape', async () => {
    const wrap = (m: Map<string, unknown>): KeyAttestation => ({
      ...EVIDENCE,
      statement: encodeCbor(m as never),
    });
    const base = new Map<string, unknown>([
      ['version', 1],
      ['xml', XML],
      ['signature', SIG],
    ]);
    for (const bad of [
      new Map([...base, ['version', 2]]),
      new Map([...base, ['extra', 1]]),
      new Map([...base].filter(([k]) => k !== 'signature')),
    ]) {
      expect(codes(await securosysFormat.verify(wrap(bad), options))).toEqual(['ATTEST_MALFORMED']);
    }
    const indefinite = Uint8Array.from([0xbf, ...EVIDENCE.statement.subarray(1), 0xff]);
    expect(codes(await securosysFormat.verify({ ...EVIDENCE, statement: indefinite }, options))).toEqual([
      'ATTEST_MALFORMED',
    ]);
  });

  it('reads elements, attributes and text, and refuses what it does not accept', () => {
    const root = parseXml(utf8('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1"><b>t</b><c/></a>\n'));
    expect(root.name).toBe('a');
    expect(root.attributes.get('x')).toBe('1');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['b', 't'],
      ['c', ''],
    ]);
    for (const bad of [
      '<a>&amp;</a>',
      '<a><!-- c --></a>',
      '<!DOCTYPE a><a/>',
      '<a><![CDATA[x]]></a>',
      '<a x="1" x="2"/>',
      '<a></b>',
      '<a/><b/>',
      "<a x='1'/>",
      '<?xml version="1.1"?><a/>',
      '<a>',
    ]) {
      expect(() => parseXml(utf8(bad)), bad).toThrow(/attestation XML/);
    }
  });

  it('refuses an unknown or repeated element in the attestation', () => {
    expect(() => readFacts(utf8(xmlText.replace('<label>', '<owner>x</owner><label>')))).toThrow(
      /unknown element/,
    );
    expect(() =>
      readFacts(utf8(xmlText.replace('<sign>true</sign>', '<sign>true</sign><sign>true</sign>'))),
    ).toThrow(/appears 2 times/);
    expect(() => readFacts(utf8(xmlText.replace('2025-10-18T20:19:33Z', '2025-10-18 20:19:33')))).toThrow(
      /RFC 3339/,
    );
  });
});

describe('securosys: one flipped bit anywhere is refused', () => {
  const stride = process.env.FLEET_LONG_TESTS === '1' ? 1 : 19;

  it(`${stride === 1 ? 'every bit' : `1 bit in ${stride}`} of the statement and of each certificate`, async () => {
    const { accepted, tried, bits } = await flippedBitsAccepted(
      EVIDENCE,
      (e) => securosysFormat.verify(e, options),
      stride,
    );
    expect(accepted).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(Math.floor(bits / stride) - 1 - EVIDENCE.chain.length);
  }, 600_000);
});
