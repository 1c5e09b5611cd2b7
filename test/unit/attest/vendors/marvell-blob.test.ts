/**
 * The pieces under the Marvell format: the DEFLATE decoder against zlib (the reference), the strict
 * gzip reader, the blob layout, and the attribute readers.
 */
import { deflateRawSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inflateRaw } from '../../../../ceremony/attest/vendors/marvell/inflate.js';
import { crc32, gunzip } from '../../../../ceremony/attest/vendors/marvell/gzip.js';
import { parseMarvellBlob } from '../../../../ceremony/attest/vendors/marvell/blob.js';
import { ATTR, boolAttr, textAttr, u32Attr } from '../../../../ceremony/attest/vendors/marvell/attributes.js';
import { VECTORS } from '../support/vectors.js';

const ECC_GZ = new Uint8Array(readFileSync(VECTORS + 'marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz'));
const RSA_GZ = new Uint8Array(readFileSync(VECTORS + 'marvell-gcp-cloudhsm/rsa-key.attestation.dat.gz'));

describe('inflateRaw', () => {
  it('decodes what zlib encodes, at every level and strategy (stored, fixed and dynamic blocks)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(0, 1, 2, 3, 4),
        (data, level, strategy) => {
          const packed = deflateRawSync(data, { level, strategy });
          const { output, consumed } = inflateRaw(packed, 4096);
          expect(output).toEqual(data);
          expect(consumed).toBe(packed.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('decodes repetitive data (long back-references) like zlib', () => {
    const data = new TextEncoder().encode('attestation '.repeat(500));
    expect(inflateRaw(deflateRawSync(data, { level: 9 }), 8192).output).toEqual(data);
  });

  it('refuses output beyond the bound, truncation, block type 3 and non-zero padding', () => {
    const packed = deflateRawSync(new Uint8Array(100).fill(7));
    expect(() => inflateRaw(packed, 99)).toThrow(/exceeds 99 bytes/);
    expect(() => inflateRaw(packed.subarray(0, packed.length - 1), 200)).toThrow(/DEFLATE|truncated|invalid/);
    expect(() => inflateRaw(Uint8Array.of(0x07), 10)).toThrow(/block type 3/);
    // An empty fixed block is 10 bits: 0x03 0x00; any of the 6 padding bits set is refused.
    expect(inflateRaw(Uint8Array.of(0x03, 0x00), 10).output).toEqual(new Uint8Array(0));
    expect(() => inflateRaw(Uint8Array.of(0x03, 0x04), 10)).toThrow(/padding/);
  });
});

describe('gunzip', () => {
  it('inflates the published blobs to the lengths the manifest gives', () => {
    expect(gunzip(ECC_GZ, 65536).length).toBe(2112);
    expect(gunzip(RSA_GZ, 65536).length).toBe(1666);
  });

  it('agrees with zlib on a gzip file it wrote', () => {
    const data = new TextEncoder().encode('LiquidSecurity');
    const file = gzipSync(data);
    file[9] = 0; // zlib writes OS 3; any OS byte is accepted
    expect(gunzip(file, 100)).toEqual(data);
    expect(crc32(data)).toBe(new DataView(file.buffer, file.byteOffset).getUint32(file.length - 8, true));
  });

  it('refuses a bad magic, method, flags, CRC, length, trailing bytes and a second member', () => {
    const bad = (mutate: (b: Uint8Array) => Uint8Array) => () => gunzip(mutate(ECC_GZ.slice()), 65536);
    const flip = (b: Uint8Array, i: number) => ((b[i] = b[i]! ^ 1), b);
    expect(bad((b) => ((b[0] = 0x1e), b))).toThrow(/magic/);
    expect(bad((b) => ((b[2] = 7), b))).toThrow(/method/);
    expect(bad((b) => ((b[3] = 0x08), b))).toThrow(/flags/);
    expect(bad((b) => flip(b, b.length - 6))).toThrow(/CRC-32/);
    expect(bad((b) => flip(b, b.length - 1))).toThrow(/ISIZE/);
    expect(bad((b) => Uint8Array.from([...b, 0]))).toThrow(/after the deflate stream/);
    expect(bad((b) => Uint8Array.from([...b, ...b]))).toThrow(/after the deflate stream/);
  });
});

describe('parseMarvellBlob', () => {
  const ecc = gunzip(ECC_GZ, 65536);
  const rsa = gunzip(RSA_GZ, 65536);

  it('reads the objects of both samples (README layout)', () => {
    const b = parseMarvellBlob(ecc);
    expect(b.objects.map((o) => o.handle)).toEqual([2022, 8870]);
    expect(b.signedData.length).toBe(2112 - 256);
    expect(b.signature.length).toBe(256);
    const [pub, priv] = b.objects.map((o) => o.attributes);
    expect(textAttr(priv!, ATTR.LABEL, 'x')).toBe('app_key');
    expect([boolAttr(pub!, ATTR.EXTRACTABLE, 'x'), boolAttr(priv!, ATTR.EXTRACTABLE, 'x')]).toEqual([
      true,
      false,
    ]);
    expect([boolAttr(priv!, ATTR.LOCAL, 'x'), boolAttr(priv!, ATTR.NEVER_EXTRACTABLE, 'x')]).toEqual([
      true,
      true,
    ]);
    const r = parseMarvellBlob(rsa);
    expect(r.objects.map((o) => o.handle)).toEqual([7946]);
    expect(u32Attr(r.objects[0]!.attributes, ATTR.MODULUS_BITS, 'x')).toBe(4096);
    expect(boolAttr(r.objects[0]!.attributes, ATTR.LOCAL, 'x')).toBe(false);
  });

  const set32 = (b: Uint8Array, o: number, v: number) => {
    const c = b.slice();
    new DataView(c.buffer).setUint32(o, v);
    return c;
  };

  it('refuses every inconsistent header field, naming it', () => {
    expect(() => parseMarvellBlob(set32(ecc, 0, 1))).toThrow(/response code 1/);
    expect(() => parseMarvellBlob(set32(ecc, 4, 7))).toThrow(/request flags 7/);
    expect(() => parseMarvellBlob(set32(ecc, 8, 2111))).toThrow(/totalSize/);
    expect(() => parseMarvellBlob(set32(ecc, 12, 1823))).toThrow(/bufferSize|offset|object|size/);
    expect(() => parseMarvellBlob(set32(ecc, 16 + 4, 2023))).toThrow(/handle 2022 differs/);
  });

  it('refuses a repeated attribute and a non-boolean boolean', () => {
    // objects[0] starts at info (32) + 8; its first attribute (CLASS) at +12; the second (KEY_TYPE) after 9 bytes.
    const repeated = set32(ecc, 32 + 8 + 12 + 9, ATTR.CLASS);
    expect(() => parseMarvellBlob(repeated)).toThrow(/repeated/);
    const b = parseMarvellBlob(ecc);
    const attrs = new Map(b.objects[1]!.attributes);
    attrs.set(ATTR.LOCAL, Uint8Array.of(2));
    expect(() => boolAttr(attrs, ATTR.LOCAL, 'objects[1]')).toThrow(/not a 0\/1 byte/);
  });
});
