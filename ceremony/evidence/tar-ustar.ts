/**
 * The ustar header (POSIX.1-1988, IEEE Std 1003.1 "pax" §ustar Interchange Format), as the evidence
 * packer writes and the reader accepts it: 512-byte blocks; octal numbers zero-padded and NUL
 * terminated; the checksum the sum of the header bytes with the checksum field taken as spaces;
 * names over 100 bytes split at a `/` into `prefix` (155) and `name` (100).
 */

/** Size of a tar block. */
export const BLOCK = 512;

/** One archive member as written. */
export interface UstarEntry {
  /** Path; a directory's ends with `/`. */
  name: string;
  type: 'file' | 'dir';
  size: number;
  mode: number;
  mtime: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function putText(h: Uint8Array, at: number, width: number, text: string): void {
  for (let i = 0; i < text.length && i < width; i++) h[at + i] = text.charCodeAt(i);
}

/** Splits a path into ustar `prefix` and `name`, or undefined when it cannot fit. */
export function splitName(path: string): { prefix: string; name: string } | undefined {
  if (path.length <= 100) return { prefix: '', name: path };
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/') continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (prefix.length <= 155 && name.length <= 100 && name.length > 0) return { prefix, name };
    if (name.length > 100) return undefined;
  }
  return undefined;
}

/** The checksum of a header block (checksum field counted as 8 spaces). */
export function headerChecksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

/**
 * The 512-byte header of `e`: uid, gid 0, empty user and group names, device numbers 0.
 *
 * @throws Error when the name cannot be split to fit (the caller checks paths first).
 */
export function ustarHeader(e: UstarEntry): Uint8Array {
  const split = splitName(e.name);
  if (split === undefined) throw new Error(`tar: path too long for ustar: ${e.name}`);
  const h = new Uint8Array(BLOCK);
  putText(h, 0, 100, split.name);
  putText(h, 100, 8, octal(e.mode, 8));
  putText(h, 108, 8, octal(0, 8));
  putText(h, 116, 8, octal(0, 8));
  putText(h, 124, 12, octal(e.size, 12));
  putText(h, 136, 12, octal(e.mtime, 12));
  h[156] = e.type === 'dir' ? 0x35 : 0x30;
  putText(h, 257, 6, 'ustar\0');
  putText(h, 263, 2, '00');
  putText(h, 329, 8, octal(0, 8));
  putText(h, 337, 8, octal(0, 8));
  putText(h, 345, 155, split.prefix);
  putText(h, 148, 8, headerChecksum(h).toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** A NUL-terminated text field of a header (ASCII), or undefined if it holds a non-ASCII byte. */
export function readText(h: Uint8Array, at: number, width: number): string | undefined {
  let s = '';
  for (let i = 0; i < width; i++) {
    const c = h[at + i]!;
    if (c === 0) break;
    if (c > 0x7e || c < 0x20) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

/** A numeric field: octal digits, then NUL or space padding; undefined when malformed. */
export function readOctal(h: Uint8Array, at: number, width: number): number | undefined {
  const raw = readText(h, at, width);
  if (raw === undefined) return undefined;
  const m = /^ *([0-7]+)[ \0]*$/.exec(raw);
  if (m === null) return raw.trim() === '' ? 0 : undefined;
  const v = parseInt(m[1]!, 8);
  return Number.isSafeInteger(v) ? v : undefined;
}
