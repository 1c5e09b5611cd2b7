/**
 * Marvell LiquidSecurity: one bit changed anywhere in the real ECC sample's evidence (the inflated
 * blob, or any of its four certificates) is refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { marvellEvidenceFromGzip, marvellFormat } from '../../../../ceremony/attest/vendors/marvell/index.js';
import { CHECKED_ON, VECTORS, flippedBitsAccepted, pemCert, pemCerts } from '../support/vectors.js';

const ROOTS = [
  'marvell-gcp-cloudhsm/marvell-liquidsecurity-root-2024-reissue.pem',
  'marvell-gcp-cloudhsm/google-hawksbill-root-v1-prod.pem',
].map(pemCert);
const ev = marvellEvidenceFromGzip(
  new Uint8Array(readFileSync(VECTORS + 'marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz')),
  pemCerts('marvell-gcp-cloudhsm/attestation-cert-chain.pem'),
);
const options = () => ({ trustedRoots: ROOTS, now: CHECKED_ON });

/**
 * A dense, fixed sample of positions by default (every 31st bit, which walks through every bit
 * position of a byte); every bit with FLEET_LONG_TESTS=1.
 */
describe('marvell: one flipped bit anywhere is refused', () => {
  const stride = process.env.FLEET_LONG_TESTS === '1' ? 1 : 31;
  it(`${stride === 1 ? 'every bit' : `1 bit in ${stride}`} of the blob and of each certificate`, async () => {
    const { accepted, tried, bits } = await flippedBitsAccepted(
      ev,
      (e) => marvellFormat.verify(e, options()),
      stride,
    );
    expect(accepted).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(Math.floor(bits / stride) - 1 - ev.chain.length);
  }, 120_000);
});
