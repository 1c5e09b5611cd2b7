/**
 * The HSMs' identity chains (`attestations/<hsm>/device-chain.pem`, as `Hsm.identityChain()`
 * returned them): strict PEM, ending at a vendor root pinned in the trust file, and holding the
 * certificate that issued each verified key attestation of that HSM, so the device certificate
 * shown is the one whose signatures were checked. An HSM without one (a PKCS#11 token without
 * vendor attestation) has no file.
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
    for (const h of ks.hsms) {
      const path = deviceChainPath(h.id);
      const bytes = files.get(path);
      if (bytes === undefined) continue;
      const chain = readChainFile(bytes, path);
      const last = chain[chain.length - 1];
      if (last === undefined)
        throw new VerificationError(
          'EVIDENCE_DEVICE_CHAIN_INVALID',
          'an identity chain file holds no certificate',
          { file: path },
        );
      if (!roots.some((r) => equalBytes(r, last))) {
        throw new VerificationError(
          'EVIDENCE_DEVICE_CHAIN_INVALID',
          `HSM ${h.id}: the chain's last certificate is no vendor root pinned in the trust file`,
          { file: path },
        );
      }
      for (const a of attestations.filter((x) => x.hsmId === h.id && x.ok)) {
        const issuer = a.chain?.[0];
        if (issuer !== undefined && !chain.some((c) => equalBytes(c, issuer))) {
          throw new VerificationError(
            'EVIDENCE_DEVICE_CHAIN_INVALID',
            `HSM ${h.id}: the certificate that signed key ${a.keyId}'s attestation is not in its identity chain`,
            { file: path },
          );
        }
      }
      shown++;
    }
    return {
      reason: `${shown} of ${ks.hsms.length} HSMs reported an identity chain; each ends at a pinned vendor root`,
    };
  });
}
