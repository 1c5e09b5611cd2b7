import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { pemDecode, pemDecodeAll, pemEncode } from '../../../ceremony/codec/index.js';
import { MalformedError, UsageError } from '../../../ceremony/errors.js';
import { attempt, malformed, runs } from './helpers.js';

const vector = (p: string): string =>
  readFileSync(new URL(`../../vectors/attestation/${p}`, import.meta.url), 'utf8');

const der = Uint8Array.from({ length: 59 }, (_, i) => (i * 31) & 0xff); // 80 base64 characters, one '='
const good = pemEncode('CERTIFICATE', der);

describe('pemEncode', () => {
  it('writes 64-character lines and LF line ends', () => {
    const lines = good.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[1]!.length).toBe(64);
    expect(lines[2]).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(lines[3]).toBe('-----END CERTIFICATE-----');
    expect(lines[4]).toBe('');
    expect(pemEncode('X', new Uint8Array(48)).split('\n')[1]!.length).toBe(64); // exactly one full line
    expect(pemEncode('X', new Uint8Array(48)).split('\n')[2]).toBe('-----END X-----');
  });

  it('refuses bad labels and empty content', () => {
    for (const label of ['', 'A--B', '-A', 'A-', 'A  B', 'É', 'A\nB']) {
      expect(() => pemEncode(label, der)).toThrow(UsageError);
    }
    expect(() => pemEncode('X', new Uint8Array(0))).toThrow(UsageError);
    expect(pemEncode('NEW CERTIFICATE REQUEST', der)).toContain('-----BEGIN NEW CERTIFICATE REQUEST-----');
  });
});

describe('pemDecode, strict', () => {
  it('round-trips', () => {
    expect(pemDecode(good, 'CERTIFICATE')).toEqual(der);
    expect(pemDecodeAll(good + pemEncode('PUBLIC KEY', der.subarray(1)))).toEqual([
      { label: 'CERTIFICATE', der },
      { label: 'PUBLIC KEY', der: der.subarray(1) },
    ]);
  });

  it('refuses, one change from a good block', () => {
    const [begin, l1, l2, end] = good.split('\n') as [string, string, string, string];
    const join = (...ls: string[]): string => ls.join('\n') + '\n';
    const cases: [string, string][] = [
      [good.replace(/\n/g, '\r\n'), 'PEM_LINE_ENDING'],
      [good.slice(0, -1), 'PEM_LINE_ENDING'],
      ['# comment\n' + good, 'PEM_TEXT_OUTSIDE'],
      [good + '\n', 'PEM_TEXT_OUTSIDE'],
      [join(begin, l1 + l2.slice(0, 4), l2.slice(4), end), 'PEM_LINE_LENGTH'],
      [join(begin, l1.slice(0, 60), l1.slice(60) + l2, end), 'PEM_LINE_LENGTH'],
      [join(begin, l1, '', end), 'PEM_LINE_LENGTH'],
      [join(begin, l1 + ' ', l2, end), 'PEM_LINE_LENGTH'],
      [join(begin, l1, l2.slice(0, -1) + ' ', end), 'BASE64_BAD_CHARACTER'],
      [join(begin, l1, l2.slice(0, -2) + 'B=', end), 'BASE64_NON_CANONICAL'],
      [join(begin, l1, l2.slice(0, -1), end), 'BASE64_BAD_LENGTH'],
      [join(begin.replace('CERTIFICATE', 'CERTIFICATF'), l1, l2, end), 'PEM_WRONG_LABEL'],
      [join(begin, l1, l2, end.replace('CERTIFICATE', 'CERTIFICATF')), 'PEM_LABEL_MISMATCH'],
      [join(begin.replace('BEGIN', 'BEGAN'), l1, l2, end), 'PEM_BAD_BOUNDARY'],
      [join(begin + ' ', l1, l2, end), 'PEM_BAD_BOUNDARY'],
      [join(begin, l1, l2), 'PEM_MISSING_END'],
      [join(begin, l1, l2, begin), 'PEM_MISSING_END'],
      [join(end), 'PEM_BAD_BOUNDARY'],
      [join(begin, end), 'PEM_EMPTY'],
      ['', 'PEM_NO_BLOCK'],
      [good + good, 'PEM_MULTIPLE_BLOCKS'],
    ];
    for (const [text, code] of cases) malformed(() => pemDecode(text, 'CERTIFICATE'), code);
  });

  it('bounds the input size', () => {
    malformed(() => pemDecode(good, 'CERTIFICATE', { maxLength: good.length - 1 }), 'PEM_TOO_LARGE');
    expect(pemDecode(good, 'CERTIFICATE', { maxLength: good.length })).toEqual(der);
  });

  it('names the field', () => {
    const e = malformed(() => pemDecode('', 'CERTIFICATE', { field: 'trust.root' }), 'PEM_NO_BLOCK');
    expect(e.field).toBe('trust.root');
  });

  it('a label that differs between blocks', () => {
    malformed(() => pemDecodeAll(good + pemEncode('PUBLIC KEY', der), 'CERTIFICATE'), 'PEM_WRONG_LABEL');
  });
});

describe('pemDecode, lax (RFC 7468 §2, §3 laxtextualmsg)', () => {
  it('reads vendor files: 76-character lines, CRLF, trailing spaces, several blocks', () => {
    const files = [
      'fortanix-dsm/extracted/ca.pem', // 76-character lines
      'thales-luna/luna-ecc-root-certificate.pem', // CRLF
      'thales-luna/luna-rsa-root-certificate.pem', // trailing spaces
    ];
    for (const f of files) {
      const text = vector(f);
      malformed(
        () => pemDecode(text, 'CERTIFICATE'),
        f.includes('fortanix') ? 'PEM_LINE_LENGTH' : /\r/.test(text) ? 'PEM_LINE_ENDING' : 'PEM_BAD_BOUNDARY',
      );
      const got = pemDecode(text, 'CERTIFICATE', { lax: true });
      expect(got).toEqual(new Uint8Array(new X509Certificate(text).raw)); // Node's own PEM reader agrees
    }
    const chain = pemDecodeAll(vector('yubico-pki/yubico-attestation-intermediates.pem'), 'CERTIFICATE');
    expect(chain.length).toBe(15);
  });

  it('ignores explanatory text outside blocks, but not broken boundaries', () => {
    const text = 'subject=CN=x\r\nissuer=CN=y\n' + good.replace(/\n/g, '\r\n') + '\ntrailing words\n';
    expect(pemDecode(text, 'CERTIFICATE', { lax: true })).toEqual(der);
    const wrapped = good
      .split('\n')
      .slice(1, 3)
      .join('')
      .replace(/(.{76})/g, '$1\n');
    expect(
      pemDecode(`-----BEGIN CERTIFICATE-----\n${wrapped}\n-----END CERTIFICATE-----`, 'CERTIFICATE', {
        lax: true,
      }),
    ).toEqual(der);
    malformed(
      () => pemDecode('-----BEGIN CERTIFICATE\n' + good, 'CERTIFICATE', { lax: true }),
      'PEM_BAD_BOUNDARY',
    );
    malformed(
      () => pemDecode(good.replace('-----\n', '-----\n='), 'CERTIFICATE', { lax: true }),
      'BASE64_BAD_PADDING',
    );
  });
});

describe('PEM fuzz', () => {
  it('long runs of spaces are handled in linear time', () => {
    const text = '-----BEGIN X-----\n' + ' '.repeat(500_000) + 'x\n';
    const t0 = Date.now();
    malformed(() => pemDecodeAll(text, undefined, { lax: true }), 'PEM_MISSING_END');
    malformed(() => pemDecodeAll(' '.repeat(500_000) + 'x', undefined, { lax: true }), 'PEM_NO_BLOCK');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('strict: any accepted text is exactly the encoding of its blocks', () => {
    const text = fc
      .tuple(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.nat(),
        fc.constantFrom('\n', '\r', ' ', '=', 'A', '-', 'x'),
      )
      .map(([b, i, c]) => {
        const t = pemEncode('CERTIFICATE', b);
        const at = i % (t.length + 1);
        return i % 3 === 0 ? t.slice(0, at) + c + t.slice(at) : t.slice(0, at) + t.slice(at + 1);
      });
    fc.assert(
      fc.property(text, (t) => {
        const r = attempt(() => pemDecodeAll(t));
        if (!(r instanceof MalformedError)) expect(r.map((x) => pemEncode(x.label, x.der)).join('')).toBe(t);
        attempt(() => pemDecodeAll(t, undefined, { lax: true })); // lax never throws anything else
      }),
      { numRuns: runs(1500) },
    );
  });
});
