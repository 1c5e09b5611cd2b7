/**
 * The inputs of `fleet-ceremony attest verify|import` (docs/attestation.md, "CLI"): the pinned roots
 * of `--roots DIR`, `--at`, `--expect-key`, and the FILE... arguments (one vendor attestation, or
 * each entry of an attestations JSON file), each read with a bound and named in its errors.
 */
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readFileBounded } from '../io/read.js';
import type { AttestationPolicy, KeyAttestation } from '../attest/index.js';
import { parseCertificate } from '../attest/x509/certificate.js';
import { parseSpki } from '../attest/x509/spki.js';
import type { SpkiKey } from '../attest/x509/spki.js';
import { parseIsoUtc } from '../bundle/index.js';
import { isUtf8, pemDecode, pemDecodeAll, utf8Decode } from '../codec/index.js';
import { inFile, MalformedError, UsageError } from '../errors.js';

/** The attestation library and the attestations-file parser, loaded on use (not for --help). */
const lib = () => import('../attest/index.js');
const attestationsFile = () => import('../witness/operator/attestations-file.js');

/** Most root files read from `--roots DIR`, and most bytes in one. */
const MAX_ROOT_FILES = 256;
const MAX_ROOT_FILE_BYTES = 1024 * 1024;
const ROOT_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der']);
/** Largest attestations JSON file, most entries in it, largest `--expect-key` file. */
const MAX_ATTESTATIONS_FILE_BYTES = 16 * 1024 * 1024;
const MAX_ATTESTATIONS = 1024;
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Reads a regular file of at most `max` bytes; errors name the file. */
export const readBounded = (path: string, max: number, what: string): Uint8Array =>
  new Uint8Array(
    readFileBounded(path, max, {
      what,
      missingCode: 'ATTEST_FILE_UNREADABLE',
      tooLargeCode: 'ATTEST_FILE_TOO_LARGE',
    }),
  );

// ---- roots -----------------------------------------------------------------------------------

/** One pinned root: a certificate, or a bare public key (nShield KWARN-1), as DER. */
export interface PinnedRoot {
  file: string;
  kind: 'certificate' | 'public-key';
  der: Uint8Array;
}

function rootsError(file: string, reason: string): MalformedError {
  return new MalformedError('ATTEST_ROOTS_INVALID', reason, { file });
}

/** The pinned roots of one file: DER (a certificate or an SPKI), or PEM blocks of either label. */
function rootsOfFile(path: string, bytes: Uint8Array): PinnedRoot[] {
  const check = (kind: PinnedRoot['kind'], der: Uint8Array, field: string): PinnedRoot => {
    if (kind === 'certificate') parseCertificate(der, field);
    else parseSpki(der, field);
    return { file: path, kind, der };
  };
  if (bytes[0] === 0x30) {
    try {
      return [check('certificate', bytes, 'der')];
    } catch {
      try {
        return [check('public-key', bytes, 'der')];
      } catch {
        throw rootsError(path, 'DER that is neither an X.509 certificate nor a SubjectPublicKeyInfo');
      }
    }
  }
  if (!isUtf8(bytes)) throw rootsError(path, 'neither DER nor PEM text');
  const blocks = pemDecodeAll(new TextDecoder().decode(bytes), undefined, { lax: true, field: 'pem' });
  return blocks.map((b, i) => {
    if (b.label === 'CERTIFICATE') return check('certificate', b.der, `pem[${i}]`);
    if (b.label === 'PUBLIC KEY') return check('public-key', b.der, `pem[${i}]`);
    throw rootsError(path, `PEM block ${i} is labelled ${b.label}; want CERTIFICATE or PUBLIC KEY`);
  });
}

/**
 * Every *.pem, *.crt, *.cer, *.der file of `dir` (not recursive), in name order.
 * @throws UsageError for a directory that cannot be read, has too many or no root files;
 *   MalformedError `ATTEST_ROOTS_INVALID` (or the PEM/DER code) naming a bad file.
 */
export function loadRoots(dir: string): PinnedRoot[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => ROOT_EXTENSIONS.has(extname(n).toLowerCase()));
  } catch (cause) {
    throw new UsageError('ATTEST_ROOTS_UNREADABLE', `cannot read the roots directory: ${String(cause)}`, {
      file: dir,
      cause,
    });
  }
  if (names.length === 0)
    throw new UsageError('ATTEST_ROOTS_EMPTY', 'no *.pem, *.crt, *.cer or *.der file: nothing is pinned', {
      file: dir,
    });
  if (names.length > MAX_ROOT_FILES)
    throw new UsageError('ATTEST_ROOTS_TOO_MANY', `${names.length} root files, limit ${MAX_ROOT_FILES}`, {
      file: dir,
    });
  return names.sort().flatMap((n) => {
    const path = join(dir, n);
    const bytes = readBounded(path, MAX_ROOT_FILE_BYTES, 'root file');
    return inFile(path, () => rootsOfFile(path, bytes));
  });
}

// ---- verify options --------------------------------------------------------------------------

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 time (`2026-11-27T00:00:00Z`, `2026-11-27T01:00:00+01:00`; at most milliseconds).
 * @throws UsageError `ATTEST_OPTION_INVALID` naming `at`.
 */
export function parseRfc3339(text: string): Date {
  const m = RFC3339.exec(text);
  const local = m === null ? undefined : parseIsoUtc(m[1] + 'Z');
  const offH = Number(m?.[4] ?? 0);
  const offM = Number(m?.[5] ?? 0);
  if (local === undefined || offH > 23 || offM > 59)
    throw new UsageError(
      'ATTEST_OPTION_INVALID',
      `--at: got ${JSON.stringify(text)}, want RFC 3339 like 2026-11-27T00:00:00Z`,
      { field: 'at' },
    );
  const sign = m![3] === '-' ? -1 : 1;
  return new Date(local - sign * (offH * 60 + offM) * 60_000);
}

/** The SPKI of a PEM `PUBLIC KEY` file, parsed. */
export function readExpectedKey(path: string): { spki: Uint8Array; key: SpkiKey } {
  const bytes = readBounded(path, MAX_KEY_FILE_BYTES, '--expect-key file');
  return inFile(path, () => {
    if (!isUtf8(bytes)) throw new MalformedError('ATTEST_OPTION_INVALID', 'want a PEM PUBLIC KEY file');
    const spki = pemDecode(new TextDecoder().decode(bytes), 'PUBLIC KEY', { lax: true, field: 'pem' });
    return { spki, key: parseSpki(spki, 'pem') };
  });
}

/** The raw key `checkAttestationPolicy` compares, for the algorithms it knows. */
export function policyKey(key: SpkiKey): AttestationPolicy['expectedPublicKey'] {
  if (key.type === 'ed25519' || key.type === 'x25519')
    return { algorithm: key.type, publicKey: key.publicKey };
  if (key.type === 'ec' && key.curve === 'P-256') return { algorithm: 'p256', publicKey: key.publicKey };
  return undefined;
}

/** The key algorithm of an SPKI, as the vendor formats name it (`ec-p256`, `rsa-4096`, `ed25519`). */
export function keyAlgorithm(spki: Uint8Array): string | null {
  try {
    const k = parseSpki(spki, 'publicKey.spki');
    if (k.type === 'ec') return `ec-${k.curve.toLowerCase().replace('-', '')}`;
    if (k.type === 'rsa') return `rsa-${k.bits}`;
    return k.type;
  } catch {
    return null;
  }
}

// ---- sources: vendor files or our attestations JSON ------------------------------------------

export interface Source {
  /** The file(s) it came from. */
  files: string[];
  keyId: string | null;
  evidence: KeyAttestation;
}

/** The first byte that is not ASCII white space. */
const firstByte = (b: Uint8Array) => b.find((x) => x !== 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d);

/** What the FILE... arguments hold: one vendor attestation, or each entry of an attestations file. */
export async function readSources(paths: readonly string[], format: string | undefined): Promise<Source[]> {
  const { MAX_INTAKE_FILES, MAX_INTAKE_FILE_BYTES, attestationFromFiles } = await lib();
  if (paths.length > MAX_INTAKE_FILES)
    throw new UsageError(
      'ATTEST_INTAKE_INVALID',
      `${paths.length} files, limit ${MAX_INTAKE_FILES} for one attestation`,
      { file: paths[MAX_INTAKE_FILES]! },
    );
  // One file may be an attestations file of ours, larger than any vendor file.
  const max = paths.length === 1 ? MAX_ATTESTATIONS_FILE_BYTES : MAX_INTAKE_FILE_BYTES;
  const read = paths.map((p) => ({ name: p, bytes: readBounded(p, max, 'attestation file') }));
  const ours = read.filter((f) => firstByte(f.bytes) === 0x5b); // '[': an attestations file
  if (ours.length === 0)
    return [{ files: [...paths], keyId: null, evidence: attestationFromFiles(read, format) }];
  if (read.length !== 1)
    throw new UsageError(
      'ATTEST_INTAKE_INVALID',
      'an attestations JSON file is verified alone, not with other files',
      { file: ours[0]!.name },
    );
  const file = read[0]!;
  const { parseAttestationsJson } = await attestationsFile();
  const text = inFile(file.name, () => utf8Decode(file.bytes, 'attestations'));
  const list = parseAttestationsJson(text, file.name);
  if (list.length === 0 || list.length > MAX_ATTESTATIONS)
    throw new MalformedError('ATTEST_INTAKE_INVALID', `want 1 to ${MAX_ATTESTATIONS} attestations`, {
      file: file.name,
      field: 'attestations',
    });
  return list.map((a, i) => {
    if (format !== undefined && a.format !== format)
      throw new MalformedError('ATTEST_INTAKE_INVALID', `is ${a.format}, not ${format} (--format)`, {
        file: file.name,
        field: `attestations[${i}].format`,
      });
    return {
      files: [file.name],
      keyId: a.keyId,
      evidence: { format: a.format, statement: a.statement, chain: a.chain },
    };
  });
}
