/**
 * Loading an evidence package for the verifier: a directory or a `.tar.gz`, into the in-memory
 * map `verifyEvidence` takes, with bounded memory (docs/evidence.md, "Limits"): at most
 * MAX_EVIDENCE_FILES files and MAX_EVIDENCE_BYTES bytes, sizes checked before anything is read;
 * only regular files and directories (a symbolic link is refused, never followed); safe paths.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedError, UsageError } from '../errors.js';
import { readFileBounded } from '../io/index.js';
import { isSafeEvidencePath, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../verify/index.js';
import { readTarGz } from './tar-read.js';

/** Largest `.tar.gz` read (compressed). */
const MAX_ARCHIVE_BYTES = MAX_EVIDENCE_BYTES;

/** Reads a whole regular file of the package of at most `max` bytes (`code` when it is larger). */
function readBounded(path: string, max: number, code: string): Uint8Array {
  const b = readFileBounded(path, max, {
    what: 'package file',
    missingCode: 'EVIDENCE_PACKAGE_UNREADABLE',
    unreadableCode: 'EVIDENCE_PACKAGE_UNREADABLE',
    tooLargeCode: code,
    changedCode: 'EVIDENCE_FILE_CHANGED',
  });
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function readDir(root: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let total = 0;
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const abs = join(root, path);
      const st = lstatSync(abs);
      if (!isSafeEvidencePath(path))
        throw new MalformedError(
          'EVIDENCE_PATH_INVALID',
          `${JSON.stringify(path)} is not a safe package path`,
          { file: abs },
        );
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) {
        if (files.size >= MAX_EVIDENCE_FILES)
          throw new MalformedError('EVIDENCE_TOO_LARGE', `more than ${MAX_EVIDENCE_FILES} files`, {
            file: root,
          });
        total += st.size;
        if (total > MAX_EVIDENCE_BYTES)
          throw new MalformedError('EVIDENCE_TOO_LARGE', `more than ${MAX_EVIDENCE_BYTES} bytes`, {
            file: root,
          });
        files.set(path, readBounded(abs, MAX_EVIDENCE_BYTES, 'EVIDENCE_TOO_LARGE'));
      } else {
        throw new MalformedError(
          'EVIDENCE_ENTRY_UNSUPPORTED',
          'neither a regular file nor a directory (symbolic links are not followed)',
          { file: abs },
        );
      }
    }
  };
  walk('');
  return files;
}

/**
 * Loads the package at `path`: a directory, or a `.tar.gz`/`.tgz` file.
 *
 * @throws UsageError `EVIDENCE_PACKAGE_UNREADABLE` (missing, unreadable, neither kind),
 *   `EVIDENCE_TOO_LARGE`, `EVIDENCE_TAR_TOO_LARGE`, `EVIDENCE_FILE_CHANGED`; MalformedError
 *   `EVIDENCE_PATH_INVALID`, `EVIDENCE_TOO_LARGE`, `EVIDENCE_ENTRY_UNSUPPORTED` and the
 *   `EVIDENCE_GZIP_*`/`EVIDENCE_TAR_*` codes of `readTarGz`.
 */
export function loadEvidencePackage(path: string): Map<string, Uint8Array> {
  let st;
  try {
    st = statSync(path); // the path the user named may be a link; nothing inside it may
  } catch (cause) {
    throw new UsageError(
      'EVIDENCE_PACKAGE_UNREADABLE',
      `cannot read the package: ${(cause as Error).message}`,
      { file: path, cause },
    );
  }
  try {
    if (st.isDirectory()) return readDir(path);
  } catch (e) {
    // A directory of the package that cannot be listed.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'ENOENT' || code === 'ENOTDIR')
      throw new UsageError('EVIDENCE_PACKAGE_UNREADABLE', `cannot read the package (${code})`, {
        file: path,
        cause: e,
      });
    throw e;
  }
  if (st.isFile() && /\.(tar\.gz|tgz)$/.test(path))
    return readTarGz(readBounded(path, MAX_ARCHIVE_BYTES, 'EVIDENCE_TAR_TOO_LARGE'), path);
  throw new UsageError('EVIDENCE_PACKAGE_UNREADABLE', 'want a package directory or a .tar.gz of one', {
    file: path,
  });
}
