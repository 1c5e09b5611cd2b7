/**
 * The integrity of a package, checked before anything in it is read (docs/evidence.md, "What
 * covers what"): only allowed paths within their size limits; `SHA256SUMS` in its strict form,
 * signed by an operator key pinned in the trust file; every other file has the digest SHA256SUMS
 * lists, none missing, none unlisted. With these four passed, every byte of the package is covered
 * by a signature of a pinned key.
 *
 * Portable: no `node:` imports.
 */
import type { Trust, TrustedOperatorKey } from '../bundle/index.js';
import { equalBytes, hexEncode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { MalformedError, VerificationError } from '../errors.js';
import { CHECKS } from './checks.js';
import { findEvidenceSigner } from './evidence-signature.js';
import {
  EVIDENCE_FILES,
  isSafeEvidencePath,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  maxFileBytes,
} from './layout.js';
import type { CheckRecorder } from './report.js';
import { parseSums } from './sums.js';
import type { SumsEntry } from './sums.js';

/** What the integrity checks establish. */
export interface IntegrityFacts {
  sums?: SumsEntry[];
  /** The pinned operator key that signed SHA256SUMS. */
  signer?: TrustedOperatorKey;
}

const REQUIRED = [EVIDENCE_FILES.manifest, EVIDENCE_FILES.sums, EVIDENCE_FILES.sumsSignature];

function checkFiles(files: ReadonlyMap<string, Uint8Array>): { reason: string } {
  if (files.size > MAX_EVIDENCE_FILES)
    throw new MalformedError('EVIDENCE_TOO_LARGE', `${files.size} files, at most ${MAX_EVIDENCE_FILES}`, {
      field: 'files',
    });
  let total = 0;
  for (const [path, bytes] of files) {
    if (!isSafeEvidencePath(path))
      throw new MalformedError(
        'EVIDENCE_PATH_INVALID',
        `${JSON.stringify(path.slice(0, 300))} is not a safe package path`,
        { field: 'files' },
      );
    const max = maxFileBytes(path);
    if (max === 0)
      throw new VerificationError('EVIDENCE_FILE_UNEXPECTED', 'no v1 package holds a file of this name', {
        file: path,
      });
    if (bytes.length > max)
      throw new MalformedError(
        'EVIDENCE_FILE_TOO_LARGE',
        `${bytes.length} bytes, at most ${max} for this file`,
        { file: path },
      );
    total += bytes.length;
  }
  if (total > MAX_EVIDENCE_BYTES)
    throw new MalformedError('EVIDENCE_TOO_LARGE', `${total} bytes in all, at most ${MAX_EVIDENCE_BYTES}`, {
      field: 'files',
    });
  for (const path of REQUIRED)
    if (!files.has(path))
      throw new VerificationError('EVIDENCE_FILE_MISSING', 'missing: every package holds it', { file: path });
  return { reason: `${files.size} files, ${total} bytes` };
}

function checkDigests(files: ReadonlyMap<string, Uint8Array>, sums: SumsEntry[]): { reason: string } {
  const problems: { code: string; text: string }[] = [];
  const listed = new Set<string>();
  for (const e of sums) {
    listed.add(e.path);
    if (e.path === EVIDENCE_FILES.sums || e.path === EVIDENCE_FILES.sumsSignature) {
      problems.push({
        code: 'EVIDENCE_SUMS_MALFORMED',
        text: `${e.path}: SHA256SUMS cannot list itself or its signature`,
      });
      continue;
    }
    const bytes = files.get(e.path);
    if (bytes === undefined)
      problems.push({
        code: 'EVIDENCE_FILE_MISSING',
        text: `${e.path}: listed in SHA256SUMS, absent from the package`,
      });
    else if (!equalBytes(sha256(bytes), e.sha256))
      problems.push({
        code: 'EVIDENCE_DIGEST_MISMATCH',
        text: `${e.path}: SHA-256 ${hexEncode(sha256(bytes))}, SHA256SUMS lists ${hexEncode(e.sha256)}`,
      });
  }
  for (const path of files.keys()) {
    if (!listed.has(path) && path !== EVIDENCE_FILES.sums && path !== EVIDENCE_FILES.sumsSignature) {
      problems.push({ code: 'EVIDENCE_FILE_UNLISTED', text: `${path}: in the package, not in SHA256SUMS` });
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => p.text);
    if (problems.length > 20) shown.push(`and ${problems.length - 20} more`);
    throw new VerificationError(problems[0]!.code, shown.join('; '), { file: EVIDENCE_FILES.sums });
  }
  return { reason: `${sums.length} files match SHA256SUMS` };
}

/** Records `package.files`, `package.sums`, `package.signature` and `package.digests`. */
export async function integritySteps(
  files: ReadonlyMap<string, Uint8Array>,
  trust: Trust,
  rec: CheckRecorder,
): Promise<IntegrityFacts> {
  const facts: IntegrityFacts = {};
  const shape = await rec.run('package.files', CHECKS['package.files'], () => checkFiles(files));
  if (!shape.ok) {
    for (const id of ['package.sums', 'package.signature', 'package.digests'] as const)
      rec.skip(id, CHECKS[id], 'not checked: the package is not a well-formed set of files');
    return facts;
  }
  const sumsBytes = files.get(EVIDENCE_FILES.sums)!;
  const parsed = await rec.run('package.sums', CHECKS['package.sums'], () => ({
    reason: `${sumsBytes.length} bytes`,
    value: parseSums(sumsBytes),
  }));
  if (parsed.value !== undefined) facts.sums = parsed.value;
  await rec.run('package.signature', CHECKS['package.signature'], () => {
    const signer = findEvidenceSigner(
      trust.operatorKeys,
      sumsBytes,
      files.get(EVIDENCE_FILES.sumsSignature)!,
    );
    if (signer === undefined) {
      throw new VerificationError(
        'EVIDENCE_SIGNATURE_INVALID',
        'verifies under no operator key pinned in the trust file: SHA256SUMS (and so every file) is not what the operator signed',
        { file: EVIDENCE_FILES.sumsSignature },
      );
    }
    facts.signer = signer;
    return {
      reason: `${signer.algorithm} operator key ${signer.keyId.toString(16).padStart(8, '0')} signed SHA-256(SHA256SUMS) = ${hexEncode(sha256(sumsBytes))}`,
    };
  });
  if (facts.sums === undefined)
    rec.skip('package.digests', CHECKS['package.digests'], 'not checked: SHA256SUMS does not parse');
  else await rec.run('package.digests', CHECKS['package.digests'], () => checkDigests(files, facts.sums!));
  return facts;
}
