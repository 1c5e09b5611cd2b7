/**
 * `fleet-ceremony attest verify|import`: vendor key attestations for auditors and operators
 * (docs/attestation.md, "CLI: attest verify / attest import"). Thin: files → intake
 * (`attestationFromFiles`) → `verifyAttestation` + `checkAttestationPolicy` → output. Human text
 * goes to stderr; with --json, stdout carries exactly one JSON document. Exit 0 every attestation
 * verified and met the policy, 1 one did not, 2 bad usage or malformed input.
 */
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { readFileBounded } from '../../io/read.js';
import type {
  AttestationFailure,
  AttestationPolicy,
  AttestationProfile,
  AttestationResult,
  KeyAttestation,
} from '../../attest/index.js';
import { parseCertificate } from '../../attest/x509/certificate.js';
import { parseSpki } from '../../attest/x509/spki.js';
import type { SpkiKey } from '../../attest/x509/spki.js';
import { parseIsoUtc } from '../../bundle/index.js';
import { hexDecode, hexEncode, isUtf8, pemDecode, pemDecodeAll, utf8Decode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { inFile, isCeremonyError, MalformedError, UsageError } from '../../errors.js';
import type { SubmittedAttestation } from '../../witness/policy/submission.js';
import { command, errorJson, EXIT_OK, EXIT_VERIFICATION_FAILED, printJson, say } from '../run.js';

/** The attestation library and the file writer, loaded when a subcommand runs (not for --help). */
const lib = () => import('../../attest/index.js');
const attestationsFile = () => import('../../witness/operator/attestations-file.js');
const files = () => import('../../io/index.js');

/** Version of the `attest verify --json` document. */
const JSON_VERSION = 1;
/** Most root files read from `--roots DIR`, and most bytes in one. */
const MAX_ROOT_FILES = 256;
const MAX_ROOT_FILE_BYTES = 1024 * 1024;
const ROOT_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der']);
/** Largest attestations JSON file, most entries in it, largest `--expect-key` file. */
const MAX_ATTESTATIONS_FILE_BYTES = 16 * 1024 * 1024;
const MAX_ATTESTATIONS = 1024;
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Reads a regular file of at most `max` bytes; errors name the file. */
const readBounded = (path: string, max: number, what: string): Uint8Array =>
  new Uint8Array(
    readFileBounded(path, max, {
      what,
      missingCode: 'ATTEST_FILE_UNREADABLE',
      tooLargeCode: 'ATTEST_FILE_TOO_LARGE',
    }),
  );

// ---- roots -----------------------------------------------------------------------------------

/** One pinned root: a certificate, or a bare public key (nShield KWARN-1), as DER. */
interface PinnedRoot {
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
function loadRoots(dir: string): PinnedRoot[] {
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
function parseRfc3339(text: string): Date {
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
function readExpectedKey(path: string): { spki: Uint8Array; key: SpkiKey } {
  const bytes = readBounded(path, MAX_KEY_FILE_BYTES, '--expect-key file');
  return inFile(path, () => {
    if (!isUtf8(bytes)) throw new MalformedError('ATTEST_OPTION_INVALID', 'want a PEM PUBLIC KEY file');
    const spki = pemDecode(new TextDecoder().decode(bytes), 'PUBLIC KEY', { lax: true, field: 'pem' });
    return { spki, key: parseSpki(spki, 'pem') };
  });
}

/** The raw key `checkAttestationPolicy` compares, for the algorithms it knows. */
function policyKey(key: SpkiKey): AttestationPolicy['expectedPublicKey'] {
  if (key.type === 'ed25519' || key.type === 'x25519')
    return { algorithm: key.type, publicKey: key.publicKey };
  if (key.type === 'ec' && key.curve === 'P-256') return { algorithm: 'p256', publicKey: key.publicKey };
  return undefined;
}

/** The key algorithm of an SPKI, as the vendor formats name it (`ec-p256`, `rsa-4096`, `ed25519`). */
function keyAlgorithm(spki: Uint8Array): string | null {
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

interface Source {
  /** The file(s) it came from. */
  files: string[];
  keyId: string | null;
  evidence: KeyAttestation;
}

/** The first byte that is not ASCII white space. */
const firstByte = (b: Uint8Array) => b.find((x) => x !== 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d);

/** What the FILE... arguments hold: one vendor attestation, or each entry of an attestations file. */
async function readSources(paths: readonly string[], format: string | undefined): Promise<Source[]> {
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

// ---- output ----------------------------------------------------------------------------------

/** One attestation's report: the normalised result, the policy's failures, the verdict. */
function reportOf(src: Source, r: AttestationResult, policy: AttestationFailure[]) {
  const failures = [...r.failures, ...policy];
  return {
    files: src.files,
    keyId: src.keyId,
    ok: failures.length === 0,
    format: r.format,
    level: r.level,
    vendor: r.vendor,
    model: r.model,
    serial: r.serial,
    firmware: r.firmware,
    publicKey:
      r.publicKey === undefined
        ? null
        : { algorithm: keyAlgorithm(r.publicKey.spki), sha256: r.publicKey.sha256, spki: r.publicKey.spki },
    origin: r.origin,
    exportable: r.exportable ?? null,
    sensitive: r.sensitive ?? null,
    usages: r.usages ?? [],
    challenge: r.challenge ?? null,
    attributes: r.attributes ?? {},
    chain: r.chain,
    verificationTime: r.verificationTime.toISOString(),
    // The result's own `verificationTimeSource`; its `now` is the time given here (--at or the clock).
    verificationTimeSource: r.verificationTimeSource === 'attestation' ? 'attestation' : 'given',
    failures,
  };
}
type Report = ReturnType<typeof reportOf>;

const text = (v: string) => (v === '' ? '(not stated)' : v);
const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

function sayReport(r: Report, n: number, of: number, atAttestationTime: boolean): void {
  const key = r.keyId === null ? '' : ` key ${r.keyId}`;
  say(`Attestation ${n} of ${of}${key}: ${r.files.join(', ')}`);
  say(`  format       ${r.format} (level ${r.level})`);
  say(
    `  device       ${text(r.vendor)} ${text(r.model)}, serial ${text(r.serial)}, firmware ${text(r.firmware)}`,
  );
  const k = r.publicKey;
  say(
    `  key          ${k === null ? '(none)' : `${k.algorithm ?? 'unknown algorithm'}, SPKI SHA-256 ${hexEncode(k.sha256)}`}`,
  );
  say(`  origin       ${r.origin}; exportable ${yesNo(r.exportable)}; sensitive ${yesNo(r.sensitive)}`);
  if (r.usages.length > 0) say(`  usages       ${r.usages.join(', ')}`);
  const attrs = Object.entries(r.attributes);
  if (attrs.length > 0) say(`  attributes   ${attrs.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  say(`  chain        ${r.chain.length === 0 ? '(none)' : r.chain.join(' → ')}`);
  const time =
    r.verificationTimeSource === 'attestation'
      ? "the attestation's own time, --attestation-time"
      : atAttestationTime
        ? 'the given time: this format states no time of its own'
        : 'the given time';
  say(`  checked at   ${r.verificationTime} (${time})`);
  for (const f of r.failures) say(`  FAILED ${f.code}: ${f.reason}`);
  say(`  ${r.ok ? 'VERIFIED' : 'REFUSED'}`);
}

// ---- commands --------------------------------------------------------------------------------

interface VerifyArgs {
  files: string[];
  roots: string;
  at?: string;
  'attestation-time': boolean;
  format?: string;
  json: boolean;
  'expect-key'?: string;
  'expect-serial'?: string;
  challenge?: string;
  profile: string;
}

const verify: CommandModule<object, VerifyArgs> = {
  command: 'verify <files..>',
  describe:
    "verify one vendor attestation (its files as the vendor's tool wrote them) or an attestations file",
  builder: (y) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'the files of one attestation, or one attestations JSON file',
      })
      .option('roots', {
        type: 'string',
        demandOption: true,
        describe:
          'directory of pinned vendor roots: *.pem, *.crt, *.cer, *.der (certificates or public keys)',
      })
      .option('at', { type: 'string', describe: 'verification time, RFC 3339 (default: now)' })
      .option('attestation-time', {
        type: 'boolean',
        default: false,
        describe: "validate certificates at the attestation's own time (expired vendor authorities)",
      })
      .option('format', { type: 'string', describe: 'the format the files must be (default: detected)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON on stdout' })
      .option('expect-key', {
        type: 'string',
        describe: 'PEM PUBLIC KEY file: the key that must be attested',
      })
      .option('expect-serial', { type: 'string', describe: 'the device serial the attestation must name' })
      .option('challenge', { type: 'string', describe: 'hex: the challenge the attestation must carry' })
      .option('profile', {
        type: 'string',
        choices: ['production', 'rehearsal'],
        default: 'production',
        describe: 'production refuses emulated HSMs',
      }),
  handler: command(async (a) => {
    try {
      return await runVerify(a);
    } catch (e) {
      if (a.json && isCeremonyError(e))
        printJson({ version: JSON_VERSION, verified: false, error: errorJson(e) });
      throw e;
    }
  }),
};

async function runVerify(a: VerifyArgs): Promise<number> {
  const at = a.at === undefined ? new Date() : parseRfc3339(a.at);
  const challenge =
    a.challenge === undefined ? undefined : inFile('--challenge', () => hexDecode(a.challenge!, 'challenge'));
  if (challenge !== undefined && (challenge.length === 0 || challenge.length > 256))
    throw new UsageError('ATTEST_OPTION_INVALID', '--challenge: want 1 to 256 bytes of hex', {
      field: 'challenge',
    });
  const expected = a['expect-key'] === undefined ? undefined : readExpectedKey(a['expect-key']);
  const roots = loadRoots(a.roots);
  const sources = await readSources(a.files, a.format);
  const { checkAttestationPolicy, verifyAttestation } = await lib();
  const policy: AttestationPolicy = { profile: a.profile as AttestationProfile };
  if (expected !== undefined) {
    // Ed25519, X25519, P-256: compared as keys (either P-256 point form); others as SPKI bytes.
    const raw = policyKey(expected.key);
    if (raw !== undefined) policy.expectedPublicKey = raw;
    else policy.expectedSpki = expected.spki;
  }
  if (a['expect-serial'] !== undefined) policy.expectedSerial = a['expect-serial'];
  const reports: Report[] = [];
  for (const src of sources) {
    const r = await verifyAttestation(src.evidence, {
      trustedRoots: roots.map((x) => x.der),
      now: at,
      ...(challenge === undefined ? {} : { expectedChallenge: challenge }),
      ...(a['attestation-time'] ? { validateAtAttestationTime: true } : {}),
    });
    reports.push(reportOf(src, r, checkAttestationPolicy(r, policy)));
  }
  const verified = reports.every((r) => r.ok);
  reports.forEach((r, i) => sayReport(r, i + 1, reports.length, a['attestation-time']));
  say(
    `${verified ? 'VERIFIED' : 'REFUSED'}: ${reports.filter((r) => r.ok).length} of ${reports.length} attestation(s) verified and met the ${a.profile} policy`,
  );
  if (a.json)
    printJson({
      version: JSON_VERSION,
      verified,
      profile: a.profile,
      at: at.toISOString(),
      attestationTime: a['attestation-time'],
      roots: roots.map((x) => ({ file: x.file, kind: x.kind, sha256: sha256(x.der) })),
      attestations: reports,
    });
  return verified ? EXIT_OK : EXIT_VERIFICATION_FAILED;
}

interface ImportArgs {
  files: string[];
  'key-id': string;
  out: string;
  format?: string;
  json: boolean;
}

const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <files..>',
  describe: 'pack the files of one vendor attestation into an attestations file (for witness sign)',
  builder: (y) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: "the files of one attestation, as the vendor's tool wrote them",
      })
      .option('key-id', { type: 'string', demandOption: true, describe: 'the key id in the fleet key set' })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'attestations file to create (never overwritten)',
      })
      .option('format', { type: 'string', describe: 'the format the files must be (default: detected)' })
      .option('json', { type: 'boolean', default: false, describe: 'print a summary as JSON on stdout' }),
  handler: command(async (a) => {
    if (a['key-id'] === '')
      throw new UsageError('ATTEST_OPTION_INVALID', '--key-id must not be empty', { field: 'key-id' });
    const { MAX_INTAKE_FILES, MAX_INTAKE_FILE_BYTES, attestationFromFiles } = await lib();
    if (a.files.length > MAX_INTAKE_FILES)
      throw new UsageError('ATTEST_INTAKE_INVALID', `${a.files.length} files, limit ${MAX_INTAKE_FILES}`, {
        file: a.files[MAX_INTAKE_FILES]!,
      });
    const read = a.files.map((p) => ({
      name: p,
      bytes: readBounded(p, MAX_INTAKE_FILE_BYTES, 'attestation file'),
    }));
    const evidence = attestationFromFiles(read, a.format);
    const entry: SubmittedAttestation = { keyId: a['key-id'], ...evidence };
    const { formatAttestationsJson, parseAttestationsJson } = await attestationsFile();
    const json = formatAttestationsJson([entry]);
    parseAttestationsJson(json, a.out); // what witness sign will read back
    const { writeFileExclusive } = await files();
    writeFileExclusive(a.out, json, 0o644, {
      exists: 'ATTEST_OUTPUT_EXISTS',
      unwritable: 'ATTEST_OUTPUT_UNWRITABLE',
    });
    const summary = {
      out: a.out,
      keyId: entry.keyId,
      format: entry.format,
      statementSha256: sha256(entry.statement),
      chain: entry.chain.length,
    };
    say(
      `Wrote ${a.out}: key ${entry.keyId}, ${entry.format}, statement SHA-256 ${hexEncode(summary.statementSha256)}, ${entry.chain.length} chain certificate(s). Not verified: run attest verify.`,
    );
    if (a.json) printJson(summary);
  }),
};

/** The `attest` command. */
export const attestCommand: CommandModule<object, object> = {
  command: 'attest <command>',
  describe: 'vendor key attestations: verify them against pinned roots, or pack them for witness sign',
  builder: (y) =>
    y.command(verify).command(importCommand).demandCommand(1, 'Name an attest subcommand; see --help.'),
  handler: () => undefined,
};
