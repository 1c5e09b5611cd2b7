/**
 * The HSMs' identity chains (`attestations/<hsm>/device-chain.pem`, as `Hsm.identityChain()`
 * returned them), bound to what the attestations proved (docs/evidence.md, "Identity chains"):
 *
 * - strict PEM, at least one certificate, the last a vendor root certificate pinned in the trust
 *   file (`EVIDENCE_DEVICE_CHAIN_INVALID`);
 * - for every verified attestation of the HSM: the attestation has a verified X.509 path
 *   (`AttestationResult.path`, signer first, ending at the pinned root), every certificate of the
 *   identity chain is on that path, so each of its signatures was checked, and the path's first
 *   certificate, the one whose key signed the attestation, is in the identity chain
 *   (`EVIDENCE_DEVICE_CHAIN_UNBOUND` otherwise). An HSM whose attestations have no X.509 path
 *   (nShield, pkcs11-attributes) can therefore not show an identity chain: nothing would tie it to
 *   the attestations, and an operator could show any chain ending at a pinned root.
 *
 * Attestations that failed are refused by their own checks; an identity chain is then judged
 * against the HSM's verified ones only, and the reason counts the HSMs left with none. An HSM that
 * holds no fleet key, and so has no attestation at all, cannot show an identity chain.
 * An HSM without an identity chain (a PKCS#11 token without vendor attestation) has no file.
 *
 * Portable: no `node:` imports.
 */
import type { FleetKeySet, Trust } from '../bundle/index.js';
import { equalBytes } from '../codec/index.js';
import { VerificationError } from '../errors.js';
import { CHECKS } from './checks.js';
import { deviceChainPath } from './layout.js';
import type { CheckRecorder } from './report.js';
import type { AttestationFact } from './steps-attestations.js';
import { readChainFile } from './steps-attestations.js';

const has = (list: readonly Uint8Array[], c: Uint8Array) => list.some((x) => equalBytes(x, c));

/**
 * Checks one HSM's identity chain `chain` (read from `file`) against its verified attestations.
 * @throws VerificationError `EVIDENCE_DEVICE_CHAIN_INVALID`, `EVIDENCE_DEVICE_CHAIN_UNBOUND`.
 */
function checkIdentityChain(
  hsmId: string,
  file: string,
  chain: readonly Uint8Array[],
  roots: readonly Uint8Array[],
  verified: readonly AttestationFact[],
): void {
  const last = chain[chain.length - 1];
  if (last === undefined)
    throw new VerificationError(
      'EVIDENCE_DEVICE_CHAIN_INVALID',
      'an identity chain file holds no certificate',
      {
        file,
      },
    );
  if (!has(roots, last)) {
    throw new VerificationError(
      'EVIDENCE_DEVICE_CHAIN_INVALID',
      `HSM ${hsmId}: the chain's last certificate is no vendor root pinned in the trust file`,
      { file },
    );
  }
  for (const a of verified) {
    const path = a.result?.path;
    if (path === undefined || path.length === 0) {
      throw new VerificationError(
        'EVIDENCE_DEVICE_CHAIN_UNBOUND',
        `HSM ${hsmId}: key ${a.keyId}'s attestation (${a.format}) has no X.509 path, so nothing ties this identity chain to it`,
        { file },
      );
    }
    const off = chain.findIndex((c) => !has(path, c));
    if (off >= 0) {
      throw new VerificationError(
        'EVIDENCE_DEVICE_CHAIN_UNBOUND',
        `HSM ${hsmId}: certificate ${off} of the identity chain is not on the path key ${a.keyId}'s attestation was verified through, so its signature was not checked`,
        { file },
      );
    }
    if (!has(chain, path[0]!)) {
      throw new VerificationError(
        'EVIDENCE_DEVICE_CHAIN_UNBOUND',
        `HSM ${hsmId}: the certificate that signed key ${a.keyId}'s attestation is not in its identity chain`,
        { file },
      );
    }
  }
}

/** Records the `devices` check. */
export async function deviceSteps(
  files: ReadonlyMap<string, Uint8Array>,
  ks: FleetKeySet,
  trust: Trust,
  attestations: readonly AttestationFact[],
  rec: CheckRecorder,
): Promise<void> {
  await rec.run('devices', CHECKS.devices, () => {
    const roots = trust.vendorRoots.flatMap((r) => r.certificates);
    let shown = 0;
    let unjudged = 0;
    for (const h of ks.hsms) {
      const file = deviceChainPath(h.id);
      const bytes = files.get(file);
      if (bytes === undefined) continue;
      const own = attestations.filter((x) => x.hsmId === h.id);
      // An HSM that holds no fleet key has no attestation to tie a chain to: nothing else would
      // fail, so the chain itself is refused. (One whose attestations failed is refused by those.)
      if (own.length === 0)
        throw new VerificationError(
          'EVIDENCE_DEVICE_CHAIN_UNBOUND',
          `HSM ${h.id} holds no fleet key, so no attestation ties its identity chain to anything verified`,
          { file },
        );
      const verified = own.filter((x) => x.ok);
      checkIdentityChain(h.id, file, readChainFile(bytes, file), roots, verified);
      if (verified.length === 0) unjudged++;
      shown++;
    }
    const left =
      unjudged === 0
        ? ''
        : `; ${unjudged} of them not bound: none of their attestations verified (see those checks)`;
    return {
      reason: `${shown} of ${ks.hsms.length} HSMs reported an identity chain; each ends at a pinned vendor root and lies on the verified path of its attestations${left}`,
    };
  });
}
