/**
 * `verify-hsm-identity`: opens every HSM the script lists and checks it is the one the script
 * names: the serial number it reports is `expectedSerial`, and its identity chain (device
 * certificate … vendor root) verifies to a vendor root the script pins. Records each HSM's
 * vendor, model, serial, firmware and chain; saves the chain as `identity/<hsm>.pem` in the
 * working directory (for the evidence package and `openssl verify`). A pkcs11 HSM whose keys are
 * attested by vendor files (`keys[].attestation`) may report no identity chain: its device
 * certificates come with those files, and `collect-attestations` verifies them under its roots.
 * Idempotent: it only reads, and a chain saved by an earlier attempt must be the same bytes.
 */
import { equalBytes, hexEncode, utf8Encode } from '../../../codec/index.js';
import { sameSerial } from '../../../attest/index.js';
import { sha256 } from '../../../crypto/index.js';
import { VerificationError } from '../../../errors.js';
import type { CeremonyScript } from '../../script/types.js';
import type { StepKind } from '../../step-kind.js';
import type { JsonObject } from '../../../transcript/records.js';
import { ARTIFACTS, artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { note } from './params.js';
import { chainPem, checkIdentityChain, vendorRootsOf } from './vendor-root.js';

/** The `verify-hsm-identity` step kind. */
export const verifyHsmIdentity: StepKind = {
  kind: 'verify-hsm-identity',
  summary: "check each HSM's serial number and identity chain against the script",
  outputs: ['hsms', 'chains', 'identitySha256'],
  describe: (_step, script) =>
    script.hsms.map(
      (h) =>
        `HSM ${h.id} (${h.site}): serial must be ${h.expectedSerial}` +
        (h.vendorRoot === undefined
          ? '; no vendor root pinned (serial only).'
          : vendorAttested(script, h.id)
            ? `; its device certificates come with its keys' vendor attestation files (roots: ${h.vendorRoot}).`
            : `; chain must verify to ${h.vendorRoot}.`),
    ),
  async run(ctx) {
    const identities: JsonObject[] = [];
    let chains = 0;
    // Unattended, PINs come from the environment: open every HSM at once (each login runs the
    // device's key derivation). Interactive runs open them one by one, one PIN prompt at a time.
    if (ctx.flags.yes) await Promise.all(ctx.script.hsms.map((h) => ctx.hsm(h.id)));
    for (const spec of ctx.script.hsms) {
      const hsm = await ctx.hsm(spec.id);
      const info = await hsm.info();
      if (!sameSerial(info.serial, spec.expectedSerial))
        throw new VerificationError(
          'CEREMONY_HSM_SERIAL_MISMATCH',
          `HSM ${spec.id} reports serial ${JSON.stringify(info.serial)}, the script expects ${JSON.stringify(spec.expectedSerial)}: stop and find out which device this is`,
          { field: `hsms.${spec.id}.expectedSerial` },
        );
      const chain = await hsm.identityChain();
      const roots = vendorRootsOf(spec, ctx.scriptDir);
      if (roots === undefined && chain.length > 0)
        throw new VerificationError(
          'CEREMONY_VENDOR_ROOT_MISSING',
          `HSM ${spec.id} reports an identity chain, but the script pins no vendor root to check it against (hsms.${spec.id}.vendorRoot)`,
          { field: `hsms.${spec.id}.vendorRoot` },
        );
      // Identity from the keys' vendor attestation files instead (checked by collect-attestations).
      const byFiles = roots !== undefined && chain.length === 0 && vendorAttested(ctx.script, spec.id);
      const checked =
        roots === undefined || byFiles
          ? undefined
          : await checkIdentityChain(spec.id, chain, roots, ctx.now(), spec.backend === 'emulated');
      const entries = checked?.entries ?? [];
      if (chain.length > 0) {
        saveChain(ctx.workdir, spec.id, utf8Encode(chainPem(chain)));
        chains++;
      }
      const identity: JsonObject = {
        hsm: spec.id,
        site: spec.site,
        backend: info.backend,
        vendor: info.vendor,
        model: info.model,
        serial: info.serial,
        firmware: info.firmware,
        label: info.label,
        chain: entries.map((e) => ({ subject: e.subject, sha256: e.sha256 })),
        vendorRoot: checked === undefined ? null : hexEncode(sha256(checked.root)),
        vendorRoots: (roots ?? []).map((r) => hexEncode(sha256(r.der))),
        ...(byFiles ? { identity: 'vendor-attestation-files' } : {}),
      };
      note(ctx, 'hsm-identity', identity);
      identities.push(identity);
      ctx.say(
        `HSM ${spec.id}: ${info.vendor} ${info.model}, serial ${info.serial}, firmware ${info.firmware}; ` +
          (checked !== undefined
            ? `chain of ${chain.length} verified to the pinned vendor root.`
            : byFiles
              ? `no identity chain (serial checked); its keys' vendor attestation files are verified under its ${roots!.length} pinned root(s) at collect-attestations.`
              : 'no identity chain (serial checked).'),
      );
    }
    const identitySha256 = hexEncode(sha256(utf8Encode(JSON.stringify(identities))));
    return { hsms: identities.length, chains, identitySha256 };
  },
};

/** Whether the script attests the keys of HSM `hsmId` by vendor files. */
function vendorAttested(script: CeremonyScript, hsmId: string): boolean {
  return script.keys.some((k) => k.hsm === hsmId && k.attestation !== undefined);
}

/** Saves the chain, or checks the one an earlier attempt saved is the same. */
function saveChain(workdir: string, hsmId: string, pem: Uint8Array): void {
  const rel = ARTIFACTS.identityChain(hsmId);
  const old = readArtifact(workdir, rel);
  if (old === undefined) return writeArtifact(workdir, rel, pem);
  if (!equalBytes(old, pem))
    throw new VerificationError(
      'CEREMONY_HSM_CHAIN_CHANGED',
      `HSM ${hsmId} reports another identity chain than it did before the interruption`,
      { file: artifactPath(workdir, rel) },
    );
}
