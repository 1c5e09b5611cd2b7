/**
 * Parsing the certificates of X.509-based attestation evidence and of the pinned roots, with the
 * bounds every X.509 format shares.
 *
 * Evidence (`KeyAttestation.statement` and `.chain`) that does not parse is the evidence's fault:
 * a {@link MalformedError} `ATTEST_MALFORMED` naming `statement` or `chain[i]`, which the formats
 * turn into a result.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../../errors.js';
import type { KeyAttestation } from '../types.js';
import type { ParsedCertificate } from './certificate.js';
import { parseCertificate } from './certificate.js';

/** Most certificates accepted in `KeyAttestation.chain`. */
export const MAX_CHAIN_CERTIFICATES = 8;
/** Most pinned roots accepted. */
export const MAX_TRUSTED_ROOTS = 64;

/** The parsed statement certificate and chain. */
export interface X509Evidence {
  leaf: ParsedCertificate;
  intermediates: ParsedCertificate[];
}

/**
 * Parses `evidence.statement` as the leaf certificate and `evidence.chain` as the certificates
 * that lead to a root (nearest first; order is not relied on).
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 */
export function parseX509Evidence(evidence: KeyAttestation): X509Evidence {
  if (!(evidence.statement instanceof Uint8Array)) {
    throw new MalformedError('ATTEST_MALFORMED', 'statement must be bytes', { field: 'statement' });
  }
  if (!Array.isArray(evidence.chain) || evidence.chain.length > MAX_CHAIN_CERTIFICATES) {
    throw new MalformedError(
      'ATTEST_MALFORMED',
      `chain must be a list of at most ${MAX_CHAIN_CERTIFICATES} certificates`,
      {
        field: 'chain',
      },
    );
  }
  const intermediates = evidence.chain.map((der, i) => {
    if (!(der instanceof Uint8Array)) {
      throw new MalformedError('ATTEST_MALFORMED', 'certificate must be bytes', { field: `chain[${i}]` });
    }
    return parseCertificate(der, `chain[${i}]`);
  });
  return { leaf: parseCertificate(evidence.statement, 'statement'), intermediates };
}

/** The pinned roots that are X.509 certificates, and the indexes of those that are not. */
export interface TrustedRoots {
  roots: ParsedCertificate[];
  /** Indexes into `trustedRoots` of entries that do not parse as certificates (not used). */
  skipped: number[];
}

/**
 * Parses the pinned roots. Entries that are not X.509 certificates (a trust file may pin a bare
 * vendor public key, like nShield's KWARN-1, for a non-X.509 format) are skipped and listed: they
 * cannot anchor a certificate chain, so skipping them only ever removes trust.
 *
 * @throws UsageError `ATTEST_TRUSTED_ROOT_INVALID` when there are more than {@link MAX_TRUSTED_ROOTS}.
 */
export function parseTrustedRoots(trustedRoots: readonly Uint8Array[]): TrustedRoots {
  if (trustedRoots.length > MAX_TRUSTED_ROOTS) {
    throw new UsageError('ATTEST_TRUSTED_ROOT_INVALID', `more than ${MAX_TRUSTED_ROOTS} pinned roots`, {
      field: 'trustedRoots',
    });
  }
  const roots: ParsedCertificate[] = [];
  const skipped: number[] = [];
  trustedRoots.forEach((der, i) => {
    try {
      roots.push(parseCertificate(der, `trustedRoots[${i}]`));
    } catch {
      skipped.push(i);
    }
  });
  return { roots, skipped };
}

/** "field: message" of a MalformedError, for a failure reason. */
export function describeMalformed(e: unknown): string {
  if (e instanceof MalformedError) return `${e.field === undefined ? '' : `${e.field}: `}${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
