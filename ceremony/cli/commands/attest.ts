/**
 * `fleet-ceremony attest verify|import`: vendor key attestations for auditors and operators
 * (docs/attestation.md, "CLI: attest verify / attest import"). Thin: files → intake
 * (`attestationFromFiles`) → `verifyAttestation` + `checkAttestationPolicy` → output. Human text
 * goes to stderr; with --json, stdout carries exactly one JSON document. Exit 0 every attestation
 * verified and met the policy, 1 one did not, 2 bad usage or malformed input.
 */
import type { CommandModule } from 'yargs';
import type { AttestationPolicy, AttestationProfile } from '../../attest/index.js';
import { hexDecode, hexEncode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { inFile, isCeremonyError, UsageError } from '../../errors.js';
import type { SubmittedAttestation } from '../../witness/policy/submission.js';
import {
  loadRoots,
  parseRfc3339,
  policyKey,
  readBounded,
  readExpectedKey,
  readSources,
} from '../attest-inputs.js';
import { reportOf, sayReport } from '../attest-report.js';
import type { Report } from '../attest-report.js';
import { command, errorJson, EXIT_OK, EXIT_VERIFICATION_FAILED, printJson, say } from '../run.js';

/** The attestation library and the file writer, loaded when a subcommand runs (not for --help). */
const lib = () => import('../../attest/index.js');
const attestationsFile = () => import('../../witness/operator/attestations-file.js');
const files = () => import('../../io/index.js');

/** Version of the `attest verify --json` document. */
const JSON_VERSION = 1;

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
