/**
 * The gzip container (RFC 1952) in which Google Cloud HSM serves a LiquidSecurity attestation.
 *
 * Used once, when evidence is taken in (./evidence.ts): the stored evidence is the inflated blob,
 * because gzip is not covered by the blob's signature and is not canonical (two different gzip
 * files, even one bit apart, can inflate to the same bytes). Read strictly all the same: one member
 * with no optional header fields (FLG 0), a matching CRC-32 and length, nothing after the trailer.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';
import { inflateRaw } from './inflate.js';

/** Header size with FLG 0: ID1 ID2 CM FLG MTIME(4) XFL OS. */
const HEADER_SIZE = 10;

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, reflected, polynomial 0xEDB88320) as gzip uses it. */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function fail(reason: string): never {
  throw new MalformedError('GZIP_INVALID', `gzip: ${reason}`, { field: 'statement' });
}

function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/**
 * Inflates a single-member gzip file without optional header fields.
 *
 * @param maxOutput - bound on the inflated size.
 * @throws MalformedError `GZIP_INVALID` for a bad magic, method or flags, a CRC or length mismatch,
 *   trailing bytes; `DEFLATE_INVALID` for a bad deflate stream.
 * @example gunzip(gzipBytes, 65536) // the inflated bytes
 */
export function gunzip(data: Uint8Array, maxOutput: number): Uint8Array {
  if (data.length < HEADER_SIZE + 8) fail(`${data.length} bytes is too short`);
  if (data[0] !== 0x1f || data[1] !== 0x8b) fail('not gzip (bad magic)');
  if (data[2] !== 8) fail(`compression method ${data[2]}, want 8 (deflate)`);
  if (data[3] !== 0) fail(`header flags 0x${data[3]!.toString(16)}: optional header fields are not accepted`);
  const body = data.subarray(HEADER_SIZE);
  const { output, consumed } = inflateRaw(body.subarray(0, body.length - 8), maxOutput);
  const trailer = HEADER_SIZE + consumed;
  if (trailer + 8 !== data.length) fail(`${data.length - trailer - 8} bytes after the deflate stream`);
  if (u32le(data, trailer) !== crc32(output)) fail('CRC-32 mismatch');
  if (u32le(data, trailer + 4) !== output.length) fail('ISIZE mismatch');
  return output;
}
