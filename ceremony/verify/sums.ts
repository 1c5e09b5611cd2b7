/**
 * `SHA256SUMS`: one line per file, `<64 lowercase hex digits><two spaces><path>\n`, sorted by path
 * byte-wise; exactly what GNU `sha256sum` prints in text mode for the same files, so
 * `sha256sum -c SHA256SUMS` checks a package with no other tool (docs/evidence.md, "SHA256SUMS").
 *
 * Parsing is strict (one encoding per list): the paths are safe package paths, strictly increasing
 * (no duplicate), the text is ASCII and ends with a newline, there are no blank lines.
 *
 * Portable: no `node:` imports.
 */
import { hexDecode, hexEncode } from '../codec/index.js';
import { MalformedError } from '../errors.js';
import { comparePaths, isSafeEvidencePath, MAX_EVIDENCE_FILES } from './layout.js';

/** One line of SHA256SUMS. */
export interface SumsEntry {
  path: string;
  sha256: Uint8Array;
}

const LINE = /^([0-9a-f]{64}) {2}(.+)$/;

function malformed(file: string, line: number, reason: string): never {
  throw new MalformedError('EVIDENCE_SUMS_MALFORMED', `line ${line}: ${reason}`, {
    file,
    field: `line ${line}`,
  });
}

/**
 * Renders SHA256SUMS for `entries` (any order; they are sorted here).
 *
 * @throws MalformedError `EVIDENCE_SUMS_MALFORMED` for an unsafe or repeated path or a digest
 *   that is not 32 bytes (a caller bug).
 */
export function renderSums(entries: readonly SumsEntry[], file = 'SHA256SUMS'): string {
  const sorted = [...entries].sort((a, b) => comparePaths(a.path, b.path));
  let out = '';
  sorted.forEach((e, i) => {
    if (!isSafeEvidencePath(e.path)) malformed(file, i + 1, `unsafe path ${JSON.stringify(e.path)}`);
    if (i > 0 && sorted[i - 1]!.path === e.path) malformed(file, i + 1, `${e.path} is listed twice`);
    if (e.sha256.length !== 32) malformed(file, i + 1, `the digest of ${e.path} is not 32 bytes`);
    out += `${hexEncode(e.sha256)}  ${e.path}\n`;
  });
  return out;
}

/**
 * Parses SHA256SUMS strictly.
 *
 * @param bytes - the file's bytes.
 * @returns the entries, in file order (sorted by path).
 * @throws MalformedError `EVIDENCE_SUMS_MALFORMED` naming the line: not ASCII, no final newline,
 *   a blank or malformed line, an unsafe path, paths not strictly increasing (unsorted or
 *   repeated), more than {@link MAX_EVIDENCE_FILES} lines.
 */
export function parseSums(bytes: Uint8Array, file = 'SHA256SUMS'): SumsEntry[] {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 0x7e || (b < 0x20 && b !== 0x0a)) {
      const line = 1 + bytes.subarray(0, i).filter((x) => x === 0x0a).length;
      malformed(
        file,
        line,
        `byte 0x${b.toString(16).padStart(2, '0')} at offset ${i} (want printable ASCII and LF)`,
      );
    }
  }
  const text = new TextDecoder().decode(bytes);
  if (text.length === 0) malformed(file, 1, 'the file is empty');
  if (!text.endsWith('\n')) malformed(file, text.split('\n').length, 'the last line has no newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length > MAX_EVIDENCE_FILES)
    malformed(file, MAX_EVIDENCE_FILES + 1, `more than ${MAX_EVIDENCE_FILES} lines`);
  const out: SumsEntry[] = [];
  lines.forEach((l, i) => {
    const m = LINE.exec(l);
    if (m === null) malformed(file, i + 1, 'want "<64 lowercase hex digits>  <path>"');
    const path = m[2]!;
    if (!isSafeEvidencePath(path)) malformed(file, i + 1, `unsafe path ${JSON.stringify(path.slice(0, 80))}`);
    const prev = out[out.length - 1];
    if (prev !== undefined && comparePaths(prev.path, path) >= 0) {
      malformed(
        file,
        i + 1,
        prev.path === path ? `${path} is listed twice` : `${path} is out of order (after ${prev.path})`,
      );
    }
    out.push({ path, sha256: hexDecode(m[1]!, `line ${i + 1}`, 32) });
  });
  return out;
}
