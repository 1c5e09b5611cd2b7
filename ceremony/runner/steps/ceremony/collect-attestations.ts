/**
 * `collect-attestations`: one ceremony nonce (32 random bytes, recorded in the transcript before
 * any HSM sees it, and reused by every later attempt) is the challenge of every fleet key's
 * attestation. Each attestation is verified (`verifyAttestation` under the vendor roots the script
 * pins, the nonce as the expected challenge) and held to the ceremony's policy
 * (`checkAttestationPolicy`: the key's algorithm and public key, the HSM's serial; production
 * refuses emulated HSMs), then saved as `attestations/<label>.json`. An attestation saved by an
 * earlier attempt is verified again and kept.
 *
 * A key with `attestation` in the script is attested by its vendor's own tool instead: the files
 * it wrote are read (a missing one stops the step, to be resumed once the tool has run), made into
 * one attestation (`attestationFromFiles`), verified under the vendor roots of that HSM only and
 * held to the same policy. The tool attests before the ceremony nonce is drawn, so the files are
 * bound to the ceremony by the attested public key (and serial) alone, and no challenge is asked of
 * them; the note says so and records the files' digests.
 */
import {
  MAX_INTAKE_FILE_BYTES,
  attestationFromFiles,
  checkAttestationPolicy,
  verifyAttestation,
} from '../../../attest/index.js';
import type { AssuranceLevel, AttestationFailure, KeyAttestation } from '../../../attest/index.js';
import { hexDecode, hexEncode, utf8Decode } from '../../../codec/index.js';
import { randomBytes, sha256 } from '../../../crypto/index.js';
import { MalformedError, UsageError, VerificationError, isCeremonyError } from '../../../errors.js';
import { pathExists, readFileBounded } from '../../../io/index.js';
import { formatAttestationsJson, parseAttestationsJson } from '../../../witness/index.js';
import { scriptPath } from '../../devices.js';
import { vendorAttestationFormats } from '../../script/index.js';
import type { StepContext, StepKind } from '../../step-kind.js';
import { ARTIFACTS, artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { earlierNotes, note } from './params.js';
import { trustedRootsOf } from './vendor-root.js';

/** Levels from weakest to strongest. */
const LEVELS: readonly AssuranceLevel[] = ['emulated', 'pkcs11-attributes', 'hardware-vendor'];

/** The attestation profile of a ceremony: rehearsals accept emulated HSMs, nothing else does. */
export function ceremonyProfile(ctx: Pick<StepContext, 'script'>): 'rehearsal' | 'production' {
  return ctx.script.ceremony.kind === 'rehearsal' ? 'rehearsal' : 'production';
}

/** Every distinct vendor root the script pins (DER certificates and public keys). */
export function scriptVendorRoots(ctx: Pick<StepContext, 'script' | 'scriptDir'>): Uint8Array[] {
  const byHex = new Map<string, Uint8Array>();
  for (const h of ctx.script.hsms)
    for (const root of trustedRootsOf(h, ctx.scriptDir)) byHex.set(hexEncode(root), root);
  return [...byHex.values()];
}

/** Reads a saved attestation file. */
export function readAttestationFile(workdir: string, label: string): KeyAttestation | undefined {
  const bytes = readArtifact(workdir, ARTIFACTS.attestation(label));
  if (bytes === undefined) return undefined;
  const [a] = parseAttestationsJson(utf8Decode(bytes), artifactPath(workdir, ARTIFACTS.attestation(label)));
  if (a === undefined || a.keyId !== label)
    throw new UsageError('CEREMONY_ARTIFACT_INVALID', `want the attestation of key ${label}`, {
      file: artifactPath(workdir, ARTIFACTS.attestation(label)),
    });
  return { format: a.format, statement: a.statement, chain: a.chain };
}

/** The `collect-attestations` step kind. */
export const collectAttestations: StepKind = {
  kind: 'collect-attestations',
  summary: 'attest every fleet key, bound to a ceremony nonce, and verify each attestation',
  outputs: ['nonce', 'attestations', 'level'],
  describe: (_step, script) => [
    'Draw the ceremony nonce (32 random bytes) and record it.',
    ...script.keys.map((k) => {
      if (k.attestation === undefined)
        return `${k.hsm} attests "${k.label}" with the nonce as its challenge; the attestation is verified.`;
      const h = script.hsms.find((x) => x.id === k.hsm);
      return (
        `Read the vendor attestation of ${k.hsm} "${k.label}" from ${k.attestation.files.join(', ')} (written by the vendor's tool after generate-keys); ` +
        `it is verified under ${h?.vendorRoot ?? 'the HSM vendor roots'} and must attest this key on serial ${h?.expectedSerial ?? '?'}.`
      );
    }),
  ],
  async run(ctx) {
    const nonce = ceremonyNonce(ctx);
    const roots = scriptVendorRoots(ctx);
    const profile = ceremonyProfile(ctx);
    let weakest = LEVELS.length - 1;
    for (const [i, k] of ctx.script.keys.entries()) {
      const where = `${k.hsm}/${k.label}`;
      const spec = ctx.script.hsms.find((h) => h.id === k.hsm)!;
      const hsm = await ctx.hsm(k.hsm);
      const key = await hsm.findKey(k.label);
      if (key === undefined)
        throw new UsageError(
          'CEREMONY_KEY_MISSING',
          `${where}: no such key; the generate-keys step must run first`,
          {
            field: where,
          },
        );
      const saved = readAttestationFile(ctx.workdir, k.label);
      const vendor = k.attestation === undefined ? undefined : vendorFiles(ctx, i, saved !== undefined);
      const att =
        saved ??
        (vendor === undefined
          ? await hsm.attestKey(k.label, nonce)
          : vendorAttestation(where, i, vendor, k.attestation!.format));
      if (vendor !== undefined) checkVendorFormat(where, i, att, vendor);
      // The vendor's tool attests before the nonce is drawn: its files are bound to the ceremony
      // by the attested public key (and serial) alone, so no challenge is asked of them.
      const result = await verifyAttestation(att, {
        trustedRoots: vendor === undefined ? roots : trustedRootsOf(spec, ctx.scriptDir),
        now: ctx.now(),
        ...(vendor === undefined ? { expectedChallenge: nonce } : {}),
      });
      const failures = result.failures;
      const extra = checkAttestationPolicy(result, {
        profile,
        expectedPublicKey: { algorithm: key.algorithm, publicKey: key.publicKey },
        expectedSerial: spec.expectedSerial,
      });
      refuseFailures(where, i, [...failures, ...extra], vendor?.[0]?.file);
      weakest = Math.min(weakest, LEVELS.indexOf(result.level));
      note(ctx, 'attestation', {
        hsm: k.hsm,
        key: k.label,
        format: att.format,
        level: result.level,
        statementSha256: hexEncode(sha256(att.statement)),
        origin: result.origin,
        exportable: result.exportable ?? null,
        serial: result.serial,
        reused: saved !== undefined,
        ...(vendor === undefined
          ? {}
          : {
              source: 'vendor-files',
              // Recorded when read; an attestation saved earlier was noted with its files then.
              ...(vendor.length === 0
                ? {}
                : { files: vendor.map((f) => ({ path: f.path, sha256: hexEncode(sha256(f.bytes)) })) }),
              binding:
                'the attested public key alone: the vendor tool attested before the ceremony nonce was drawn',
            }),
      });
      // Saved after its note, so every saved attestation has the note that names its files.
      if (saved === undefined)
        writeArtifact(
          ctx.workdir,
          ARTIFACTS.attestation(k.label),
          formatAttestationsJson([{ keyId: k.label, ...att }]),
        );
      ctx.say(
        `${where}: ${att.format} attestation ${vendor === undefined || vendor.length === 0 ? '' : `from ${vendor.length} vendor file(s) `}verified (${result.level}, origin ${result.origin})` +
          (vendor === undefined ? '.' : '; bound by the attested public key alone (no ceremony nonce).'),
      );
    }
    return { nonce: hexEncode(nonce), attestations: ctx.script.keys.length, level: LEVELS[weakest]! };
  },
};

/** One vendor attestation file: the path as the script writes it, and its bytes. */
interface VendorFile {
  path: string;
  file: string;
  bytes: Uint8Array;
}

/**
 * The vendor attestation files of `keys[i]`, read (each at most {@link MAX_INTAKE_FILE_BYTES}).
 * With `reused` (an earlier attempt saved the attestation, which is verified again instead), none:
 * the files are not read again.
 * @throws UsageError `CEREMONY_VENDOR_ATTESTATION_MISSING` naming the field and every missing
 *   file, `CEREMONY_VENDOR_ATTESTATION_INVALID` for one that is not a regular file or too large.
 */
function vendorFiles(ctx: StepContext, i: number, reused: boolean): VendorFile[] {
  const k = ctx.script.keys[i]!;
  if (reused) return [];
  const paths = k.attestation!.files;
  const field = `keys[${i}].attestation.files`;
  const out: VendorFile[] = [];
  const missing: number[] = [];
  paths.forEach((path, j) => {
    const file = scriptPath(ctx.scriptDir, path);
    if (!pathExists(file)) return void missing.push(j);
    const bytes = readFileBounded(file, MAX_INTAKE_FILE_BYTES, {
      what: `vendor attestation file ${field}[${j}]`,
      missingCode: 'CEREMONY_VENDOR_ATTESTATION_INVALID',
      tooLargeCode: 'CEREMONY_VENDOR_ATTESTATION_INVALID',
    });
    out.push({ path, file, bytes: new Uint8Array(bytes) });
  });
  if (missing.length > 0)
    throw new UsageError(
      'CEREMONY_VENDOR_ATTESTATION_MISSING',
      `${k.hsm}/${k.label}: no such file: ${missing.map((j) => `[${j}] ${paths[j]!}`).join(', ')}. ` +
        `The vendor's attestation tool writes ${missing.length === 1 ? 'it' : 'them'} for this key after the generate-keys step: ` +
        'run it, put the files there, then resume the ceremony (fleet-ceremony resume WORKDIR)',
      { file: scriptPath(ctx.scriptDir, paths[missing[0]!]!), field },
    );
  return out;
}

/**
 * The KeyAttestation the vendor files make (`attestationFromFiles`).
 * @throws MalformedError with the intake's code (`ATTEST_INTAKE_INVALID`, `PEM_*`, …), naming the
 *   key, the field and the file.
 */
function vendorAttestation(
  where: string,
  i: number,
  files: readonly VendorFile[],
  format: string | undefined,
): KeyAttestation {
  try {
    return attestationFromFiles(
      files.map((f) => ({ name: f.file, bytes: f.bytes })),
      format,
    );
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    throw new MalformedError(e.code, `${where}: ${e.message}`, {
      field: `keys[${i}].attestation.files`,
      ...(e.file === undefined ? {} : { file: e.file }),
      cause: e,
    });
  }
}

/**
 * Vendor files must make a vendor format: never an emulated or PKCS#11 attribute statement.
 * @throws MalformedError `CEREMONY_VENDOR_ATTESTATION_FORMAT`.
 */
function checkVendorFormat(
  where: string,
  i: number,
  att: KeyAttestation,
  files: readonly VendorFile[],
): void {
  const allowed = vendorAttestationFormats();
  if (!allowed.includes(att.format))
    throw new MalformedError(
      'CEREMONY_VENDOR_ATTESTATION_FORMAT',
      `${where}: the files are a ${att.format} attestation; vendor attestation files can only be ${allowed.join(', ')}`,
      { field: `keys[${i}].attestation.files`, ...(files[0] === undefined ? {} : { file: files[0].file }) },
    );
}

/** The nonce recorded by an earlier attempt, or a new one, recorded now. */
function ceremonyNonce(ctx: StepContext): Uint8Array {
  const old = earlierNotes(ctx, 'attestation-nonce')[0]?.['nonce'];
  if (typeof old === 'string') return hexDecode(old, 'nonce', 32);
  const nonce = randomBytes(32);
  note(ctx, 'attestation-nonce', { nonce: hexEncode(nonce) });
  return nonce;
}

function refuseFailures(
  where: string,
  i: number,
  failures: readonly AttestationFailure[],
  file: string | undefined,
): void {
  if (failures.length === 0) return;
  throw new VerificationError(
    'CEREMONY_ATTESTATION_REFUSED',
    `${where}: the attestation does not verify: ${failures.map((f) => `${f.code}: ${f.reason}`).join('; ')}`,
    { field: `keys[${i}]`, ...(file === undefined ? {} : { file }) },
  );
}
