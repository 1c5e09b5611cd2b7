/**
 * Witness statement encodings (docs/statement.md): round trips at the edges of every field, and
 * strict decoding, each negative case changing one thing in a good encoding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSignatureMessage,
  encodeSignatureMessage,
  MAX_NAMESPACE_BYTES,
  MAX_U64,
} from '../../../ceremony/statement/index.js';
import type { SignatureMessageInput } from '../../../ceremony/statement/index.js';
import { h, hex, malformed, misuse, runs } from '../tlog/helpers.js';

const D = new Uint8Array(32).fill(0x11);
const base = { namespace: 'log1.example.com', timestamp: 1717084639921, epoch: 1, digest: D };
const PB = hex(encodeSignatureMessage({ ...base, ciphersuite: 1 }));
const BC = hex(encodeSignatureMessage({ ...base, ciphersuite: 2 }));

/** Reference protobuf varint in hex (test oracle, written independently: by decimal arithmetic). */
function varintHex(n: bigint): string {
  let out = '';
  do {
    let byte = Number(n % 128n);
    n = n / 128n;
    if (n > 0n) byte += 128;
    out += byte.toString(16).padStart(2, '0');
  } while (n > 0n);
  return out;
}

describe('encodeSignatureMessage', () => {
  it('round trips at the edges of every number, both ciphersuites', () => {
    for (const ciphersuite of [1, 2]) {
      for (const n of [0n, 1n, 127n, 128n, 16383n, 16384n, (1n << 63n) - 1n, 1n << 63n, MAX_U64]) {
        const m = { ciphersuite, namespace: 'n', timestamp: n, epoch: MAX_U64 - n, digest: D };
        const d = decodeSignatureMessage(encodeSignatureMessage(m));
        expect([d.timestamp, d.epoch]).toEqual([n, MAX_U64 - n]);
      }
    }
  });

  it('encodes varints as the reference does (protobuf) and u64le (bincode)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_U64 }), fc.bigInt({ min: 0n, max: MAX_U64 }), (t, e) => {
        const pb = hex(encodeSignatureMessage({ ...base, ciphersuite: 1, timestamp: t, epoch: e }));
        const epochHex = '08' + varintHex(e);
        const want =
          '0801' +
          '12' +
          '10' +
          Buffer.from(base.namespace).toString('hex') +
          '18' +
          varintHex(t) +
          '22' +
          varintHex(BigInt(epochHex.length / 2)) +
          epochHex +
          '2a20' +
          '11'.repeat(32);
        expect(pb).toBe(want);
        const bc = Buffer.from(encodeSignatureMessage({ ...base, ciphersuite: 2, timestamp: t, epoch: e }));
        expect(bc.readBigUInt64LE(4 + 8 + 16)).toBe(t);
        expect(bc.readBigUInt64LE(4 + 8 + 16 + 8)).toBe(e);
      }),
      { numRuns: runs(200) },
    );
  });

  it('round trips random statements', () => {
    const arb = fc.record({
      ciphersuite: fc.constantFrom(1, 2),
      namespace: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
      timestamp: fc.oneof(fc.bigInt({ min: 0n, max: MAX_U64 }), fc.nat()),
      epoch: fc.oneof(fc.bigInt({ min: 0n, max: MAX_U64 }), fc.nat()),
      digest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    });
    fc.assert(
      fc.property(arb, (m) => {
        const bytes = encodeSignatureMessage(m);
        const d = decodeSignatureMessage(bytes);
        expect(d).toEqual({ ...m, timestamp: BigInt(m.timestamp), epoch: BigInt(m.epoch) });
        expect(encodeSignatureMessage(d)).toEqual(bytes);
      }),
      { numRuns: runs(200) },
    );
  });

  it('accepts a namespace of exactly the limit, in multi-byte characters', () => {
    const ns = '\u00e9'.repeat(MAX_NAMESPACE_BYTES / 2);
    for (const ciphersuite of [1, 2]) {
      expect(
        decodeSignatureMessage(encodeSignatureMessage({ ...base, ciphersuite, namespace: ns })).namespace,
      ).toBe(ns);
    }
  });

  const good: SignatureMessageInput = { ...base, ciphersuite: 1 };
  it.each([
    ['ciphersuite 0', { ...good, ciphersuite: 0 }, 'STATEMENT_CIPHERSUITE_UNSUPPORTED'],
    ['ciphersuite 3', { ...good, ciphersuite: 3 }, 'STATEMENT_CIPHERSUITE_UNSUPPORTED'],
    ['empty namespace', { ...good, namespace: '' }, 'STATEMENT_NAMESPACE_INVALID'],
    [
      'namespace over the limit',
      { ...good, namespace: 'x'.repeat(MAX_NAMESPACE_BYTES + 1) },
      'STATEMENT_NAMESPACE_INVALID',
    ],
    ['lone surrogate in namespace', { ...good, namespace: 'a\ud800' }, 'STATEMENT_NAMESPACE_INVALID'],
    ['negative timestamp', { ...good, timestamp: -1 }, 'STATEMENT_TIMESTAMP_INVALID'],
    ['unsafe number timestamp', { ...good, timestamp: 2 ** 60 }, 'STATEMENT_TIMESTAMP_INVALID'],
    ['timestamp 2^64', { ...good, timestamp: 1n << 64n }, 'STATEMENT_TIMESTAMP_INVALID'],
    ['fractional epoch', { ...good, epoch: 1.5 }, 'STATEMENT_EPOCH_INVALID'],
    ['epoch 2^64', { ...good, epoch: 1n << 64n }, 'STATEMENT_EPOCH_INVALID'],
    ['31-byte digest', { ...good, digest: new Uint8Array(31) }, 'STATEMENT_DIGEST_INVALID'],
    ['33-byte digest', { ...good, digest: new Uint8Array(33) }, 'STATEMENT_DIGEST_INVALID'],
  ])('refuses %s', (_what, input, code) => {
    misuse(() => encodeSignatureMessage(input), code);
  });
});

describe('decodeSignatureMessage is strict', () => {
  const nsHex = Buffer.from(base.namespace).toString('hex');
  it('the good fixtures decode', () => {
    expect(decodeSignatureMessage(h(PB)).ciphersuite).toBe(1);
    expect(decodeSignatureMessage(h(BC)).ciphersuite).toBe(2);
  });

  const cases: [string, string, string][] = [
    ['empty input', '', 'STATEMENT_CIPHERSUITE_UNSUPPORTED'],
    ['unknown first byte', '09' + PB.slice(2), 'STATEMENT_CIPHERSUITE_UNSUPPORTED'],
    ['protobuf with ciphersuite 2', PB.replace(/^0801/, '0802'), 'STATEMENT_CIPHERSUITE_MISMATCH'],
    [
      'protobuf ciphersuite as a 2-byte varint',
      PB.replace(/^0801/, '088100'),
      'STATEMENT_VARINT_NONCANONICAL',
    ],
    ['protobuf ciphersuite over u32', PB.replace(/^0801/, '08ffffffff1f'), 'STATEMENT_VARINT_OUT_OF_RANGE'],
    [
      'protobuf fields out of order',
      PB.replace('12' + '10' + nsHex + '18', '18'),
      'STATEMENT_FIELD_UNEXPECTED',
    ],
    ['protobuf unknown field', PB + '3000', 'STATEMENT_TRAILING_BYTES'],
    ['protobuf unknown field before digest', PB.replace('2a20', '30002a20'), 'STATEMENT_FIELD_UNEXPECTED'],
    ['protobuf repeated field', PB.replace('18b1a5', '0801' + '18b1a5'), 'STATEMENT_FIELD_UNEXPECTED'],
    ['protobuf empty namespace', PB.replace('12' + '10' + nsHex, '1200'), 'STATEMENT_NAMESPACE_INVALID'],
    ['protobuf namespace longer than the input', PB.replace('1210', '127f'), 'STATEMENT_TRUNCATED'],
    ['protobuf namespace over the limit', PB.replace('1210', '12818010'), 'STATEMENT_NAMESPACE_INVALID'],
    [
      'protobuf namespace not UTF-8',
      PB.replace('1210' + nsHex, '1210ff' + nsHex.slice(2)),
      'STATEMENT_NAMESPACE_INVALID',
    ],
    [
      'protobuf timestamp varint of 11 bytes',
      PB.replace('18b1a5e1d1fc31', '18' + 'ff'.repeat(10) + '01'),
      'STATEMENT_VARINT_OUT_OF_RANGE',
    ],
    [
      'protobuf timestamp 2^64',
      PB.replace('18b1a5e1d1fc31', '18' + 'ff'.repeat(9) + '02'),
      'STATEMENT_VARINT_OUT_OF_RANGE',
    ],
    [
      'protobuf timestamp padded varint',
      PB.replace('18b1a5e1d1fc31', '18b1a5e1d1fcb100'),
      'STATEMENT_VARINT_NONCANONICAL',
    ],
    ['protobuf empty epoch message', PB.replace('22020801', '2200'), 'STATEMENT_EPOCH_INVALID'],
    [
      'protobuf epoch message with an extra field',
      PB.replace('22020801', '220408011000'),
      'STATEMENT_EPOCH_INVALID',
    ],
    [
      'protobuf epoch message with a wrong tag',
      PB.replace('22020801', '22021001'),
      'STATEMENT_FIELD_UNEXPECTED',
    ],
    [
      'protobuf epoch length past its content',
      PB.replace('22020801', '2203080100'),
      'STATEMENT_EPOCH_INVALID',
    ],
    ['protobuf 31-byte digest', PB.replace('2a20', '2a1f').slice(0, -2), 'STATEMENT_DIGEST_INVALID'],
    ['protobuf 33-byte digest', PB.replace('2a20', '2a21') + '11', 'STATEMENT_DIGEST_INVALID'],
    ['protobuf digest cut short', PB.slice(0, -2), 'STATEMENT_TRUNCATED'],
    ['protobuf missing digest', PB.slice(0, PB.indexOf('2a20')), 'STATEMENT_TRUNCATED'],
    ['protobuf trailing byte', PB + '00', 'STATEMENT_TRAILING_BYTES'],
    ['bincode ciphersuite 1', '01000000' + BC.slice(8), 'STATEMENT_CIPHERSUITE_UNSUPPORTED'],
    ['bincode cut in the ciphersuite', '020000', 'STATEMENT_CIPHERSUITE_UNSUPPORTED'],
    [
      'bincode empty namespace',
      BC.replace('1000000000000000' + nsHex, '0000000000000000'),
      'STATEMENT_NAMESPACE_INVALID',
    ],
    [
      'bincode namespace length 2^63',
      BC.replace('1000000000000000', '0000000000000080'),
      'STATEMENT_NAMESPACE_INVALID',
    ],
    [
      'bincode namespace past the end',
      BC.replace('1000000000000000', 'ff00000000000000'),
      'STATEMENT_TRUNCATED',
    ],
    ['bincode namespace not UTF-8', BC.replace(nsHex, 'c0' + nsHex.slice(2)), 'STATEMENT_NAMESPACE_INVALID'],
    [
      'bincode digest length 31',
      BC.replace('2000000000000000' + '11', '1f00000000000000' + '11').slice(0, -2),
      'STATEMENT_DIGEST_INVALID',
    ],
    [
      'bincode digest length with high bits',
      BC.replace('2000000000000000' + '11', '2000000000000001' + '11'),
      'STATEMENT_DIGEST_INVALID',
    ],
    ['bincode cut short', BC.slice(0, -2), 'STATEMENT_TRUNCATED'],
    ['bincode trailing byte', BC + '00', 'STATEMENT_TRAILING_BYTES'],
    ['over the size limit', '08' + '00'.repeat(2000), 'STATEMENT_TOO_LARGE'],
  ];
  for (const [what, hexText, code] of cases) {
    it(`refuses ${what} (${code})`, () => {
      malformed(() => decodeSignatureMessage(h(hexText)), code);
    });
  }

  it('refuses a ciphersuite other than the expected one', () => {
    malformed(() => decodeSignatureMessage(h(PB), 2), 'STATEMENT_CIPHERSUITE_MISMATCH');
    malformed(() => decodeSignatureMessage(h(BC), 1), 'STATEMENT_CIPHERSUITE_MISMATCH');
  });
});
