/**
 * `packTarGz`: the deterministic `.tar.gz` of a package directory (docs/evidence.md, "The
 * .tar.gz"). The same directory always gives the same bytes: entries sorted by path byte-wise
 * under one top directory, directories 0755 and files 0644, uid and gid 0 with empty owner names,
 * every time the package's `createdAt` (whole seconds; 0 without a manifest), ustar headers only,
 * the archive padded to 10,240-byte records, then gzip with a fixed header (./gzip.ts). Symbolic
 * links and special files are refused, and the output is created exclusively.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import {
  comparePaths,
  EVIDENCE_FILES,
  isSafeEvidencePath,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  parseManifest,
} from '../verify/index.js';
import { writeFileExclusive } from '../io/index.js';
import { EVIDENCE_OUTPUT } from './package-dir.js';
import { gzipDeterministic } from './gzip.js';
import { BLOCK, ustarHeader } from './tar-ustar.js';
import type { UstarEntry } from './tar-ustar.js';

/** Options of {@link packTarGz}. */
export interface PackTarGzOptions {
  /** The top directory inside the archive (default: the directory's base name). */
  prefix?: string;
  /** Entry times, seconds (default: the manifest's createdAt, else 0). */
  mtime?: number;
}

/** What {@link packTarGz} wrote. */
export interface PackedTarGz {
  out: string;
  bytes: number;
  /** Hex SHA-256 of the .tar.gz. */
  sha256: string;
}

const RECORD = 20 * BLOCK;

function walk(dir: string, rel: string, out: { path: string; type: 'file' | 'dir' }[]): void {
  for (const name of readdirSync(join(dir, rel))) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const st = lstatSync(join(dir, path));
    if (!isSafeEvidencePath(path))
      throw new UsageError(
        'EVIDENCE_TAR_PATH_INVALID',
        `${JSON.stringify(path)} is not a safe package path`,
        { file: join(dir, path) },
      );
    if (st.isDirectory()) {
      out.push({ path, type: 'dir' });
      walk(dir, path, out);
    } else if (st.isFile()) out.push({ path, type: 'file' });
    else
      throw new UsageError(
        'EVIDENCE_TAR_ENTRY_UNSUPPORTED',
        'neither a regular file nor a directory (links are refused)',
        { file: join(dir, path) },
      );
    if (out.length > MAX_EVIDENCE_FILES * 2)
      throw new UsageError('EVIDENCE_TAR_TOO_LARGE', `more than ${MAX_EVIDENCE_FILES} files`, { file: dir });
  }
}

function defaultMtime(dir: string): number {
  try {
    return Math.floor(
      Date.parse(parseManifest(readFileSync(join(dir, EVIDENCE_FILES.manifest))).createdAt) / 1000,
    );
  } catch {
    return 0;
  }
}

/** The uncompressed, deterministic tar of `dir`. */
export function tarDirectory(dir: string, o: PackTarGzOptions = {}): Uint8Array {
  const prefix = o.prefix ?? basename(dir);
  if (!isSafeEvidencePath(prefix) || prefix.includes('/'))
    throw new UsageError(
      'EVIDENCE_TAR_PATH_INVALID',
      `prefix ${JSON.stringify(prefix)}: want one safe path segment`,
      { field: 'prefix' },
    );
  const mtime = o.mtime ?? defaultMtime(dir);
  const found: { path: string; type: 'file' | 'dir' }[] = [];
  walk(dir, '', found);
  const entries: (UstarEntry & { source?: string })[] = [
    { name: `${prefix}/`, type: 'dir', size: 0, mode: 0o755, mtime },
  ];
  let total = 0;
  for (const f of found) {
    const size = f.type === 'file' ? lstatSync(join(dir, f.path)).size : 0;
    total += size;
    entries.push({
      name: `${prefix}/${f.path}${f.type === 'dir' ? '/' : ''}`,
      type: f.type,
      size,
      mode: f.type === 'dir' ? 0o755 : 0o644,
      mtime,
      source: f.path,
    });
  }
  if (total > MAX_EVIDENCE_BYTES)
    throw new UsageError('EVIDENCE_TAR_TOO_LARGE', `${total} bytes, more than ${MAX_EVIDENCE_BYTES}`, {
      file: dir,
    });
  entries.sort((a, b) => comparePaths(a.name, b.name));
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const e of entries) {
    if (e.name.length > 255)
      throw new UsageError('EVIDENCE_TAR_PATH_INVALID', 'path too long for ustar', { file: e.name });
    parts.push(ustarHeader(e));
    length += BLOCK;
    if (e.type === 'file') {
      const data = readFileSync(join(dir, e.source!));
      if (data.length !== e.size)
        throw new UsageError('EVIDENCE_TAR_CHANGED', 'changed while being packed', {
          file: join(dir, e.source!),
        });
      const padded = Math.ceil(data.length / BLOCK) * BLOCK;
      const block = new Uint8Array(padded);
      block.set(data);
      parts.push(block);
      length += padded;
    }
  }
  length += 2 * BLOCK;
  const total2 = Math.ceil(length / RECORD) * RECORD;
  const out = new Uint8Array(total2);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Packs the package directory `dir` into `out`, created exclusively.
 *
 * @throws UsageError `EVIDENCE_TAR_PATH_INVALID`, `EVIDENCE_TAR_ENTRY_UNSUPPORTED`,
 *   `EVIDENCE_TAR_TOO_LARGE`, `EVIDENCE_TAR_CHANGED`, `EVIDENCE_OUTPUT_EXISTS`,
 *   `EVIDENCE_OUTPUT_UNWRITABLE`.
 */
export function packTarGz(dir: string, out: string, o: PackTarGzOptions = {}): PackedTarGz {
  const gz = gzipDeterministic(tarDirectory(dir, o));
  writeFileExclusive(out, gz, 0o644, EVIDENCE_OUTPUT);
  return { out, bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex') };
}
