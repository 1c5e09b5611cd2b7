/**
 * How a LiquidSecurity attestation is carried in a {@link KeyAttestation} (docs/attestation-vendors.md):
 *
 * - `statement`: the attestation blob *inflated*: every byte before the signature is signed, so
 *   every byte of the stored evidence is covered. Google Cloud HSM serves it gzip-compressed; gzip is
 *   neither signed nor canonical, so it is removed when the evidence is taken in
 *   ({@link marvellEvidenceFromGzip}) and a gzip statement is refused.
 * - `chain`: four DER certificates in this order (the order Google publishes them in):
 *   manufacturer partition, manufacturer card, owner partition, owner card.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';
import type { KeyAttestation } from '../../types.js';
import { gunzip } from './gzip.js';

/** The format id. */
export const MARVELL_FORMAT = 'marvell-liquidsecurity';
/** Bound on an inflated blob: two objects of a few hundred attributes fit in far less. */
export const MAX_BLOB_BYTES = 64 * 1024;
/** Positions of the certificates in `KeyAttestation.chain`. */
export const CHAIN_ROLES = [
  'manufacturer partition',
  'manufacturer card',
  'owner partition',
  'owner card',
] as const;

/**
 * Builds the evidence from the gzip file and certificate chain as Google Cloud HSM serves them.
 *
 * @param chain - DER certificates in {@link CHAIN_ROLES} order.
 * @throws MalformedError `GZIP_INVALID` / `DEFLATE_INVALID` when the file is not single-member gzip.
 * @example marvellEvidenceFromGzip(gz, pemDecodeAll(chainPem, 'CERTIFICATE').map((b) => b.der))
 */
export function marvellEvidenceFromGzip(gzip: Uint8Array, chain: readonly Uint8Array[]): KeyAttestation {
  return { format: MARVELL_FORMAT, statement: gunzip(gzip, MAX_BLOB_BYTES), chain: [...chain] };
}

/**
 * Checks the evidence's shape: a blob that is not gzip, four certificates.
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 */
export function checkMarvellEvidence(evidence: KeyAttestation): void {
  const s = evidence.statement;
  if (!(s instanceof Uint8Array) || s.length > MAX_BLOB_BYTES) {
    throw new MalformedError('ATTEST_MALFORMED', `statement must be at most ${MAX_BLOB_BYTES} bytes`, {
      field: 'statement',
    });
  }
  if (s[0] === 0x1f && s[1] === 0x8b) {
    throw new MalformedError(
      'ATTEST_MALFORMED',
      'statement is gzip-compressed: store the inflated blob (marvellEvidenceFromGzip), whose every byte is signed',
      { field: 'statement' },
    );
  }
  if (!Array.isArray(evidence.chain) || evidence.chain.length !== CHAIN_ROLES.length) {
    throw new MalformedError(
      'ATTEST_MALFORMED',
      `chain must hold the ${CHAIN_ROLES.join(', ')} certificates, in that order`,
      {
        field: 'chain',
      },
    );
  }
}
