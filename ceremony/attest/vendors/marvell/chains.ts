/**
 * The two certificate chains of a LiquidSecurity partition, as Google's verifier checks them
 * (kms/attestations/verify_attestation_chains.py):
 *
 * - manufacturer: partition ← card ← the Marvell root (pinned). The card certificate is X.509 v1
 *   acting as a CA (deviation `v1-ca-certificate`), and so is the 2015 issue of the root; the 2024
 *   reissue of the root has serial number 0 (deviation `zero-serial`).
 * - owner: partition ← owner root and card ← owner root (Google's Hawksbill root for Cloud HSM, pinned).
 *
 * The owner partition and card certificates must carry exactly the keys of the manufacturer ones
 * (ATTEST_CHAINS_DISAGREE otherwise): the owner vouches for the very partition Marvell made.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../../../codec/index.js';
import type { AttestationFailure } from '../../types.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import type { ChainOptions } from '../../x509/chain.js';
import { verifyChainAnyRoot } from '../../x509/chain.js';
import type { AcceptedDeviation } from '../../x509/deviations.js';
import { signerPath } from '../../x509/evidence.js';

/** What both chains gave. */
export interface MarvellChains {
  failures: AttestationFailure[];
  /** Subjects: manufacturer path, then owner partition path, then owner card path. */
  subjects: string[];
  /**
   * The manufacturer path (partition, card, Marvell root), DER, when it reached a pinned root: the
   * result's `path`. The partition key it starts with signs the blob; the owner paths certify the
   * very same keys (checked), so the device's identity is this path.
   */
  manufacturerPath?: Uint8Array[];
  acceptedDeviations: AcceptedDeviation[];
}

/**
 * Verifies both chains at `at`.
 *
 * @param certs - the parsed chain, in evidence order (manufacturer partition, card, owner partition, card).
 */
export async function verifyMarvellChains(
  certs: readonly [ParsedCertificate, ParsedCertificate, ParsedCertificate, ParsedCertificate],
  roots: readonly ParsedCertificate[],
  at: Date,
): Promise<MarvellChains> {
  const [mfrPartition, mfrCard, ownerPartition, ownerCard] = certs;
  const failures: AttestationFailure[] = [];
  const subjects: string[] = [];
  const acceptedDeviations: AcceptedDeviation[] = [];
  let manufacturerPath: Uint8Array[] | undefined;
  const runs: [string, ParsedCertificate, ParsedCertificate[], ChainOptions][] = [
    [
      'manufacturer chain',
      mfrPartition,
      [mfrCard],
      { roots, at, deviations: ['v1-ca-certificate', 'zero-serial'] },
    ],
    ['owner partition chain', ownerPartition, [], { roots, at }],
    ['owner card chain', ownerCard, [], { roots, at }],
  ];
  for (const [name, leaf, intermediates, options] of runs) {
    const v = await verifyChainAnyRoot(leaf, intermediates, options);
    for (const f of v.failures) failures.push({ code: f.code, reason: `${name}: ${f.reason}` });
    subjects.push(...v.path.map((c) => c.subject));
    if (leaf === mfrPartition) manufacturerPath = signerPath(v, 0);
    acceptedDeviations.push(...v.acceptedDeviations);
  }
  if (!equalBytes(ownerPartition.spki, mfrPartition.spki)) {
    failures.push({
      code: 'ATTEST_CHAINS_DISAGREE',
      reason: 'the owner partition certificate carries another key than the manufacturer one',
    });
  }
  if (!equalBytes(ownerCard.spki, mfrCard.spki)) {
    failures.push({
      code: 'ATTEST_CHAINS_DISAGREE',
      reason: 'the owner card certificate carries another key than the manufacturer one',
    });
  }
  return {
    failures,
    subjects,
    acceptedDeviations,
    ...(manufacturerPath === undefined ? {} : { manufacturerPath }),
  };
}
