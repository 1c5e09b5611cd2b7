/**
 * `assemble-key-set`: the fleet key set (docs/formats.md), the artifact the witness signs: the
 * script's namespace, epoch and fleet id, the previous epoch's digest (a rotation: as
 * `generate-keys` checked and recorded it before making keys, ./previous-epoch.ts), the validity window, every fleet key with the digest of its
 * attestation, every HSM with its identity and attestation level, the HSM quorum, and the
 * transcript head at assembly as `transcriptDigest`. Saved as `fleet-key-set.cbor`; its digest is
 * the step's `digest` output, which the script reads aloud. A set saved by an earlier attempt is
 * checked against the HSMs and attestations and kept.
 */
import { verifyAttestation } from '../../../attest/index.js';
import type { AssuranceLevel } from '../../../attest/index.js';
import { decodeFleetKeySet, encodeFleetKeySet, fleetKeySetDigest } from '../../../bundle/index.js';
import type { FleetHsm, FleetKey, FleetKeySet } from '../../../bundle/index.js';
import { equalBytes, hexDecode, hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError } from '../../../errors.js';
import type { StepContext, StepKind } from '../../step-kind.js';
import { ARTIFACTS, artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { readAttestationFile, scriptVendorRoots } from './collect-attestations.js';
import { TRUST_PARAM, intParam, note, stringParams } from './params.js';
import { recordedPreviousDigest } from './previous-epoch.js';
import { validityOf } from './validity.js';
import { trustedRootsOf } from './vendor-root.js';

/** The `assemble-key-set` step kind. */
export const assembleKeySet: StepKind = {
  kind: 'assemble-key-set',
  summary:
    'assemble the fleet key set (keys, attestation digests, HSMs, transcript head) and compute its digest',
  outputs: ['digest', 'keys', 'hsms', 'epoch'],
  params: {
    hsmQuorum: 'how many HSMs of the fleet must agree (fleet key set quorum.threshold; default a majority)',
    ...TRUST_PARAM,
  },
  validate: (step, i, script) => [
    ...intParam(step, i, 'hsmQuorum', 1, script.hsms.length),
    ...stringParams(step, i, ['trust']),
  ],
  describe: (_step, script) => [
    `Assemble the fleet key set of ${script.ceremony.fleetId}, namespace ${script.ceremony.namespace}, epoch ${script.ceremony.epoch}: ${script.keys.length} keys in ${script.hsms.length} HSMs.`,
    ...(script.previous === undefined
      ? []
      : [`Chain it to the previous epoch's evidence (${script.previous.evidence}).`]),
  ],
  async run(ctx) {
    const previous = await recordedPreviousDigest(ctx);
    const current = await currentFacts(ctx);
    const saved = readArtifact(ctx.workdir, ARTIFACTS.fleetKeySet);
    let bytes: Uint8Array;
    if (saved !== undefined) {
      checkSaved(ctx, decodeFleetKeySet(saved), current, previous);
      bytes = saved;
    } else {
      const s = ctx.script;
      const quorum = ctx.step.with?.['hsmQuorum'];
      const set: FleetKeySet = {
        version: 1,
        namespace: s.ceremony.namespace,
        epoch: BigInt(s.ceremony.epoch),
        fleetId: s.ceremony.fleetId,
        previousDigest: previous,
        validity: validityOf(s.ceremony.validity, ctx.now()),
        keys: current.keys,
        hsms: current.hsms,
        quorum: {
          threshold: typeof quorum === 'number' ? quorum : Math.floor(s.hsms.length / 2) + 1,
          total: s.hsms.length,
        },
        transcriptDigest: hexDecode(ctx.head()),
      };
      bytes = encodeFleetKeySet(set);
      writeArtifact(ctx.workdir, ARTIFACTS.fleetKeySet, bytes);
    }
    const ks = decodeFleetKeySet(bytes);
    const digest = hexEncode(fleetKeySetDigest(bytes));
    note(ctx, 'fleet-key-set', {
      sha256: digest,
      bytes: bytes.length,
      transcriptDigest: hexEncode(ks.transcriptDigest),
      previousDigest: ks.previousDigest === null ? null : hexEncode(ks.previousDigest),
      notBefore: new Date(ks.validity.notBefore).toISOString(),
      notAfter: new Date(ks.validity.notAfter).toISOString(),
      reused: saved !== undefined,
    });
    ctx.say(
      `Fleet key set: ${ks.keys.length} keys, ${ks.hsms.length} HSMs, epoch ${ks.epoch}; digest ${digest}.`,
    );
    return { digest, keys: ks.keys.length, hsms: ks.hsms.length, epoch: Number(ks.epoch) };
  },
};

/** The keys and HSMs as the devices and the saved attestations show them now. */
async function currentFacts(ctx: StepContext): Promise<{ keys: FleetKey[]; hsms: FleetHsm[] }> {
  const roots = scriptVendorRoots(ctx);
  const levels = new Map<string, AssuranceLevel>();
  const keys: FleetKey[] = [];
  for (const k of ctx.script.keys) {
    const hsm = await ctx.hsm(k.hsm);
    const key = await hsm.findKey(k.label);
    const att = readAttestationFile(ctx.workdir, k.label);
    if (key === undefined || att === undefined)
      throw new UsageError(
        'CEREMONY_ARTIFACT_MISSING',
        `${k.hsm}/${k.label}: the key or its attestation is missing; generate-keys and collect-attestations must run first`,
        { file: artifactPath(ctx.workdir, ARTIFACTS.attestation(k.label)) },
      );
    // Vendor attestation files verify under their own HSM's roots only, as collect-attestations did.
    const spec = ctx.script.hsms.find((h) => h.id === k.hsm)!;
    const trustedRoots = k.attestation === undefined ? roots : trustedRootsOf(spec, ctx.scriptDir);
    const result = await verifyAttestation(att, { trustedRoots, now: ctx.now() });
    levels.set(k.hsm, result.level);
    keys.push({
      keyId: k.label,
      role: k.role,
      algorithm: k.algorithm,
      publicKey: key.publicKey,
      hsmId: k.hsm,
      attestationDigest: sha256(att.statement),
    });
  }
  const hsms: FleetHsm[] = [];
  for (const h of ctx.script.hsms) {
    const info = await (await ctx.hsm(h.id)).info();
    const fallback: AssuranceLevel = h.backend === 'emulated' ? 'emulated' : 'pkcs11-attributes';
    hsms.push({
      id: h.id,
      site: h.site,
      vendor: info.vendor,
      model: info.model,
      serial: info.serial,
      firmware: info.firmware,
      attestationLevel: levels.get(h.id) ?? fallback,
    });
  }
  return { keys, hsms };
}

/**
 * A set saved by an earlier attempt must describe exactly these keys and HSMs, chain to the
 * recorded previous epoch, and name one of its records.
 */
function checkSaved(
  ctx: StepContext,
  ks: FleetKeySet,
  now: { keys: FleetKey[]; hsms: FleetHsm[] },
  previous: Uint8Array | null,
): void {
  const s = ctx.script.ceremony;
  const sameKeys =
    ks.keys.length === now.keys.length &&
    ks.keys.every((k, i) => {
      const n = now.keys[i]!;
      return (
        k.keyId === n.keyId &&
        k.hsmId === n.hsmId &&
        equalBytes(k.publicKey, n.publicKey) &&
        equalBytes(k.attestationDigest, n.attestationDigest)
      );
    });
  const sameHsms =
    ks.hsms.length === now.hsms.length &&
    ks.hsms.every((h, i) => h.id === now.hsms[i]!.id && h.serial === now.hsms[i]!.serial);
  const bound = ctx.earlier.some((r) => r.hash === hexEncode(ks.transcriptDigest));
  const chained =
    ks.previousDigest === null || previous === null
      ? ks.previousDigest === previous
      : equalBytes(ks.previousDigest, previous);
  if (
    !chained ||
    ks.namespace !== s.namespace ||
    ks.epoch !== BigInt(s.epoch) ||
    ks.fleetId !== s.fleetId ||
    !sameKeys ||
    !sameHsms ||
    !bound
  )
    throw new VerificationError(
      'CEREMONY_KEY_SET_STALE',
      'a fleet key set saved before the interruption does not match the keys, HSMs, previous epoch and transcript of this ceremony',
      { file: artifactPath(ctx.workdir, ARTIFACTS.fleetKeySet) },
    );
}
