/**
 * `collect-attestations`: one ceremony nonce (32 random bytes, recorded in the transcript before
 * any HSM sees it, and reused by every later attempt) is the challenge of every fleet key's
 * attestation. Each attestation is verified (`verifyAttestation` under the vendor roots the script
 * pins, the nonce as the expected challenge) and held to the ceremony's policy
 * (`checkAttestationPolicy`: the key's algorithm and public key, the HSM's serial; production
 * refuses emulated HSMs), then saved as `attestations/<label>.json`. An attestation saved by an
 * earlier attempt is verified again and kept.
 */
import { checkAttestationPolicy, verifyAttestation } from '../../../attest/index.js';
import type { AssuranceLevel, AttestationResult, KeyAttestation } from '../../../attest/index.js';
import { hexDecode, hexEncode, utf8Decode } from '../../../codec/index.js';
import { randomBytes, sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError } from '../../../errors.js';
import { formatAttestationsJson, parseAttestationsJson } from '../../../witness/index.js';
import type { StepContext, StepKind } from '../../step-kind.js';
import { ARTIFACTS, artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { earlierNotes, note } from './params.js';
import { vendorRootOf } from './vendor-root.js';

/** Levels from weakest to strongest. */
const LEVELS: readonly AssuranceLevel[] = ['emulated', 'pkcs11-attributes', 'hardware-vendor'];

/** The attestation profile of a ceremony: rehearsals accept emulated HSMs, nothing else does. */
export function ceremonyProfile(ctx: Pick<StepContext, 'script'>): 'rehearsal' | 'production' {
  return ctx.script.ceremony.kind === 'rehearsal' ? 'rehearsal' : 'production';
}

/** Every distinct vendor root the script pins (DER). */
export function scriptVendorRoots(ctx: Pick<StepContext, 'script' | 'scriptDir'>): Uint8Array[] {
  const byHex = new Map<string, Uint8Array>();
  for (const h of ctx.script.hsms) {
    const root = vendorRootOf(h, ctx.scriptDir);
    if (root !== undefined) byHex.set(hexEncode(root), root);
  }
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
    ...script.keys.map(
      (k) => `${k.hsm} attests "${k.label}" with the nonce as its challenge; the attestation is verified.`,
    ),
  ],
  async run(ctx) {
    const nonce = ceremonyNonce(ctx);
    const roots = scriptVendorRoots(ctx);
    const profile = ceremonyProfile(ctx);
    let weakest = LEVELS.length - 1;
    for (const k of ctx.script.keys) {
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
      const att = saved ?? (await hsm.attestKey(k.label, nonce));
      const result = await verifyAttestation(att, {
        trustedRoots: roots,
        now: ctx.now(),
        expectedChallenge: nonce,
      });
      const extra = checkAttestationPolicy(result, {
        profile,
        expectedPublicKey: { algorithm: key.algorithm, publicKey: key.publicKey },
        expectedSerial: spec.expectedSerial,
      });
      refuseFailures(where, result, extra);
      if (saved === undefined)
        writeArtifact(
          ctx.workdir,
          ARTIFACTS.attestation(k.label),
          formatAttestationsJson([{ keyId: k.label, ...att }]),
        );
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
      });
      ctx.say(`${where}: ${att.format} attestation verified (${result.level}, origin ${result.origin}).`);
    }
    return { nonce: hexEncode(nonce), attestations: ctx.script.keys.length, level: LEVELS[weakest]! };
  },
};

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
  result: AttestationResult,
  extra: readonly { code: string; reason: string }[],
): void {
  const failures = [...result.failures, ...extra];
  if (result.ok && failures.length === 0) return;
  throw new VerificationError(
    'CEREMONY_ATTESTATION_REFUSED',
    `${where}: the attestation does not verify: ${failures.map((f) => `${f.code}: ${f.reason}`).join('; ')}`,
    { field: where },
  );
}
