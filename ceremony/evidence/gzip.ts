/**
 * gzip (RFC 1952) with a fixed header, so the same bytes always compress to the same file: no
 * name, no comment, MTIME 0, XFL 2 (maximum compression), OS 3 (Unix) whatever the platform.
 * The deflate stream is zlib's at level 9, windowBits 15, memLevel 9, default strategy; the
 * trailer is the CRC-32 and the length, both little-endian. Reading is bounded: output past
 * `maxBytes` is refused before it is produced.
 */
import { deflateRawSync, gunzipSync } from 'node:zlib';
import { MalformedError } from '../errors.js';

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as gzip uses it). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Deterministic gzip of `data`. */
export function gzipDeterministic(data: Uint8Array): Uint8Array {
  const body = deflateRawSync(data, { level: 9, windowBits: 15, memLevel: 9 });
  const out = new Uint8Array(10 + body.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
  out.set(body, 10);
  const view = new DataView(out.buffer);
  view.setUint32(10 + body.length, crc32(data), true);
  view.setUint32(14 + body.length, data.length >>> 0, true);
  return out;
}

/**
 * Decompresses gzip `data` (every member; CRCs and lengths checked by zlib).
 *
 * @throws MalformedError `EVIDENCE_TAR_TOO_LARGE` past `maxBytes`, `EVIDENCE_GZIP_INVALID` for
 *   anything that is not valid gzip.
 */
export function gunzipBounded(data: Uint8Array, maxBytes: number, file?: string): Uint8Array {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b) {
    throw new MalformedError('EVIDENCE_GZIP_INVALID', 'not a gzip file', {
      ...(file === undefined ? {} : { file }),
    });
  }
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (cause) {
    const tooLarge =
      cause instanceof RangeError || (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new MalformedError(
      tooLarge ? 'EVIDENCE_TAR_TOO_LARGE' : 'EVIDENCE_GZIP_INVALID',
      tooLarge
        ? `decompresses to more than ${maxBytes} bytes`
        : `not valid gzip (${(cause as Error).message})`,
      { cause, ...(file === undefined ? {} : { file }) },
    );
  }
}
