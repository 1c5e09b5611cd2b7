/**
 * A strict, bounded reader of evidence `.tar.gz` files for the verifier: gzip decompressed with an
 * output cap; then only ustar (or GNU `ustar  `) headers with valid checksums, regular files and
 * directories (no links, devices, FIFOs, pax or GNU long-name records), safe relative paths (no
 * absolute path, no `..`, no hidden or empty segment), no duplicates, no file under a file,
 * zeroed padding, nothing but zeros after the end. One top directory holding everything is
 * stripped. Every refusal is a MalformedError (exit 2) naming the entry.
 */
import { MalformedError } from '../errors.js';
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, isSafeEvidencePath } from '../verify/index.js';
import { gunzipBounded } from './gzip.js';
import { BLOCK, headerChecksum, readOctal, readText } from './tar-ustar.js';

function bad(code: string, reason: string, file: string | undefined): never {
  throw new MalformedError(code, reason, { ...(file === undefined ? {} : { file }) });
}

/** Headers and padding of up to MAX_EVIDENCE_FILES files and their directories, on top of the data. */
const MAX_TAR_BYTES = MAX_EVIDENCE_BYTES + 4 * BLOCK * MAX_EVIDENCE_FILES + 20 * BLOCK;

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * The files of an evidence `.tar.gz`: path (relative to the package) → bytes.
 *
 * @param file - the archive's name, for errors.
 * @throws MalformedError `EVIDENCE_GZIP_INVALID`, `EVIDENCE_TAR_TOO_LARGE`,
 *   `EVIDENCE_TAR_HEADER_INVALID`, `EVIDENCE_TAR_CHECKSUM_INVALID`,
 *   `EVIDENCE_TAR_ENTRY_UNSUPPORTED`, `EVIDENCE_TAR_PATH_INVALID`, `EVIDENCE_TAR_DUPLICATE`,
 *   `EVIDENCE_TAR_TRUNCATED`, `EVIDENCE_TAR_TRAILING_DATA`.
 */
export function readTarGz(gz: Uint8Array, file?: string): Map<string, Uint8Array> {
  const raw = gunzipBounded(gz, MAX_TAR_BYTES, file);
  const tar = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  if (tar.length % BLOCK !== 0)
    bad('EVIDENCE_TAR_TRUNCATED', `${tar.length} bytes is not a whole number of 512-byte blocks`, file);
  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>();
  let at = 0;
  let total = 0;
  for (;;) {
    if (at + BLOCK > tar.length) bad('EVIDENCE_TAR_TRUNCATED', 'no end-of-archive blocks', file);
    const h = tar.subarray(at, at + BLOCK);
    if (allZero(h)) {
      if (!allZero(tar.subarray(at)))
        bad('EVIDENCE_TAR_TRAILING_DATA', `data after the end of the archive at offset ${at}`, file);
      break;
    }
    const magic = readText(h, 257, 8);
    if (!(magic === 'ustar' && h[262] === 0 && h[263] === 0x30 && h[264] === 0x30) && !(magic === 'ustar  '))
      bad('EVIDENCE_TAR_HEADER_INVALID', `the entry at offset ${at} is not a ustar header`, file);
    if (readOctal(h, 148, 8) !== headerChecksum(h))
      bad('EVIDENCE_TAR_CHECKSUM_INVALID', `the header at offset ${at} has a wrong checksum`, file);
    const name = readText(h, 0, 100);
    const prefix = readText(h, 345, 155);
    const size = readOctal(h, 124, 12);
    if (name === undefined || prefix === undefined || size === undefined)
      bad('EVIDENCE_TAR_HEADER_INVALID', `the header at offset ${at} has a malformed name or size`, file);
    const full = prefix === '' ? name : `${prefix}/${name}`;
    const type = String.fromCharCode(h[156]!);
    const isDir = type === '5';
    if (!isDir && type !== '0' && type !== '\0')
      bad(
        'EVIDENCE_TAR_ENTRY_UNSUPPORTED',
        `${JSON.stringify(full)}: entry type ${JSON.stringify(type)} (only files and directories)`,
        file,
      );
    const path = isDir && full.endsWith('/') ? full.slice(0, -1) : full;
    if (!isSafeEvidencePath(path))
      bad('EVIDENCE_TAR_PATH_INVALID', `${JSON.stringify(full)} is not a safe relative path`, file);
    if (files.has(path) || dirs.has(path)) bad('EVIDENCE_TAR_DUPLICATE', `${path} appears twice`, file);
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++)
      if (files.has(segs.slice(0, i).join('/')))
        bad('EVIDENCE_TAR_PATH_INVALID', `${path} is under a file`, file);
    at += BLOCK;
    if (isDir) {
      if (size !== 0) bad('EVIDENCE_TAR_HEADER_INVALID', `directory ${path} has a size`, file);
      dirs.add(path);
      continue;
    }
    if (dirs.has(path)) bad('EVIDENCE_TAR_DUPLICATE', `${path} is both a directory and a file`, file);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (at + padded > tar.length) bad('EVIDENCE_TAR_TRUNCATED', `${path}: its data runs past the end`, file);
    if (!allZero(tar.subarray(at + size, at + padded)))
      bad('EVIDENCE_TAR_HEADER_INVALID', `${path}: non-zero padding`, file);
    total += size;
    if (files.size >= MAX_EVIDENCE_FILES || total > MAX_EVIDENCE_BYTES)
      bad(
        'EVIDENCE_TAR_TOO_LARGE',
        `more than ${MAX_EVIDENCE_FILES} files or ${MAX_EVIDENCE_BYTES} bytes`,
        file,
      );
    files.set(path, tar.slice(at, at + size));
    at += padded;
  }
  return stripTop(files, dirs);
}

/** Strips the one top directory that holds everything, when there is one. */
function stripTop(files: Map<string, Uint8Array>, dirs: Set<string>): Map<string, Uint8Array> {
  const tops = new Set([...files.keys(), ...dirs].map((p) => p.split('/')[0]!));
  const [top] = tops;
  if (tops.size !== 1 || top === undefined || files.has(top)) return files;
  const out = new Map<string, Uint8Array>();
  for (const [p, b] of files) out.set(p.slice(top.length + 1), b);
  return out;
}
