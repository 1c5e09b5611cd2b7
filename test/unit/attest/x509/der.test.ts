/**
 * The strict DER reader and value decoders: canonical encodings accepted, every non-canonical
 * variant of them refused with ATTEST_MALFORMED.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeDer,
  derBitStringBits,
  derBoolean,
  derInteger,
  derOid,
  derSequence,
  derTime,
  derUtf8String,
} from '../../../../ceremony/attest/x509/index.js';
import { MalformedError } from '../../../../ceremony/errors.js';
import { hex, oid } from '../support/der-write.js';

const d = (h: string) => decodeDer(hex(h), 'x');
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedError);
    expect((e as MalformedError).code).toBe('ATTEST_MALFORMED');
    return;
  }
  expect.fail('accepted');
};

describe('DER structure', () => {
  it('reads short and long lengths', () => {
    expect(d('0400').content.length).toBe(0);
    expect(decodeDer(Uint8Array.of(0x04, 0x81, 0x80, ...new Uint8Array(128)), 'x').content.length).toBe(128);
  });
  it.each([
    ['indefinite length', '3080 0000'],
    ['non-minimal long length', '048101 00'],
    ['leading zero length octet', '04820001 00'],
    ['truncated', '0403 0102'],
    ['trailing bytes', '0400 00'],
    ['high tag number', '1f01 0100'],
    ['five length octets', '04850000000001 00'],
  ])('refuses %s', (_name, h) => refused(() => d(h)));

  it('checks element counts and tags of sequences', () => {
    expect(derSequence(d('3006 0201 01 0201 02'), 'x', 2, 2)).toHaveLength(2);
    refused(() => derSequence(d('3003 0201 01'), 'x', 2, 2));
    refused(() => derSequence(d('3103 0201 01'), 'x'));
    refused(() => derSequence(d('3004 0201 0100'), 'x'));
  });
});

describe('DER values', () => {
  it('decodes canonical values', () => {
    expect(derBoolean(d('0101ff'), 'x')).toBe(true);
    expect(derBoolean(d('010100'), 'x')).toBe(false);
    expect(derInteger(d('0202 7e57'), 'x')).toBe(0x7e57n);
    expect(derInteger(d('0202 0080'), 'x')).toBe(128n);
    expect(derInteger(d('0201 ff'), 'x')).toBe(-1n);
    expect(derOid(d('0603 2b6570'), 'x')).toBe('1.3.101.112');
    expect(derUtf8String(d('0c02 c3a9'), 'x')).toBe('é');
    expect(derBitStringBits(d('0302 0186'), 'x')).toEqual([true, false, false, false, false, true, true]);
    expect(derTime(d('170d 3137303130313030303030305a'), 'x')).toEqual(new Date('2017-01-01T00:00:00Z'));
    expect(derTime(d('170d 3439313233313233353935395a'), 'x')).toEqual(new Date('2049-12-31T23:59:59Z'));
    expect(derTime(d('170d 3530303130313030303030305a'), 'x')).toEqual(new Date('1950-01-01T00:00:00Z'));
    expect(derTime(d('180f 32303731313030353030303030305a'), 'x')).toEqual(new Date('2071-10-05T00:00:00Z'));
  });

  it('decodes OIDs with arcs beyond 2^53 (the emulated profile UUID arc)', () => {
    const big = '2.25.55669062502454697325095788520321323565.12';
    expect(derOid(decodeDer(oid(big), 'x'), 'x')).toBe(big);
  });

  it.each([
    ['BOOLEAN 01', () => derBoolean(d('010101'), 'x')],
    ['BOOLEAN of two octets', () => derBoolean(d('0102ffff'), 'x')],
    ['INTEGER with a redundant 00', () => derInteger(d('0202 0001'), 'x')],
    ['INTEGER with a redundant ff', () => derInteger(d('0202 ff80'), 'x')],
    ['empty INTEGER', () => derInteger(d('0200'), 'x')],
    ['OID arc with a leading 0x80', () => derOid(d('0603 2b8001'), 'x')],
    ['truncated OID', () => derOid(d('0602 2b86'), 'x')],
    ['invalid UTF-8', () => derUtf8String(d('0c01 ff'), 'x')],
    ['BIT STRING with non-zero unused bits', () => derBitStringBits(d('0302 0181'), 'x')],
    ['BIT STRING with 8 unused bits', () => derBitStringBits(d('0302 0800'), 'x')],
    ['UTCTime without seconds', () => derTime(d('170b 313730313031303030305a'), 'x')],
    ['UTCTime with an offset', () => derTime(d('1711 3137303130313030303030302b30313030'), 'x')],
    ['GeneralizedTime with a fraction', () => derTime(d('1811 32303731313030353030303030302e315a'), 'x')],
    ['February 30', () => derTime(d('170d 3137303233303030303030305a'), 'x')],
    ['a time of the wrong tag', () => derTime(d('0c0d 3137303130313030303030305a'), 'x')],
  ])('refuses %s', (_name, f) => refused(f));

  it('accepts a DER fraction in GeneralizedTime only when asked', () => {
    expect(derTime(d('1811 32303731313030353030303030302e355a'), 'x', true)).toEqual(
      new Date('2071-10-05T00:00:00.500Z'),
    );
    refused(() => derTime(d('1812 32303731313030353030303030302e35305a'), 'x', true));
  });
});
