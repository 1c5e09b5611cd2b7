/**
 * Parsing the certificates of X.509-based attestation evidence and of the pinned roots, with the
 * bounds every X.509 format shares.
 *
 * Evidence (`KeyAttestation.statement` and `.chain`) that does not parse is the evidence's fault:
 * a {@link MalformedError} `ATTEST_MALFORMED` naming `statement` or `chain[i]`, which the formats
 * turn into a result.
 *
 * {@link verifyX509Statement} is the start the formats whose statement is the key's certificate
 * share; {@link selfContainedStatement} the shape check of formats whose statement carries its own
 * certificates or warrant.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../../errors.js';
import { failedResult } from '../result.js';
import type {
  AttestationFailure,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
  VerificationTimeSource,
} from '../types.js';
import type { ParsedCertificate } from './certificate.js';
import { parseCertificate } from './certificate.js';
import type { ChainOptions, ChainVerification } from './chain.js';
import { verifyChain } from './chain.js';

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

/**
 * The statement of a format that carries its certificates (or warrant) inside it: bytes, with
 * `chain` empty.
 *
 * @param carries - why the chain must be empty, for the message, e.g. `the message carries its certificates`.
 * @throws MalformedError `ATTEST_MALFORMED` (field `chain`)
 */
export function selfContainedStatement(evidence: KeyAttestation, carries: string): Uint8Array {
  if (
    !(evidence.statement instanceof Uint8Array) ||
    !Array.isArray(evidence.chain) ||
    evidence.chain.length !== 0
  ) {
    throw new MalformedError('ATTEST_MALFORMED', `statement must be bytes and chain empty: ${carries}`, {
      field: 'chain',
    });
  }
  return evidence.statement;
}

/** What {@link verifyX509Statement} leaves a format to go on with. */
export interface X509Statement<Claims> {
  /** The key's certificate (`evidence.statement`). */
  leaf: ParsedCertificate;
  /** What the format's reader found in the leaf. */
  claims: Claims;
  /** The time the chain was checked at, and which time that is. */
  at: Date;
  timeSource: VerificationTimeSource;
  chain: ChainVerification;
  /** The reader's failures, then the chain's; the format adds its own. */
  failures: AttestationFailure[];
}

/**
 * The start shared by the formats whose statement is the key's certificate: parse `statement` and
 * `chain` ({@link parseX509Evidence}); read the leaf with `readLeaf`; verify the chain to the pinned
 * roots at `options.now`, or with `validateAtAttestationTime` at the leaf's notBefore.
 *
 * @param readLeaf - reads the format's claims from the leaf, pushing a failure per bad one.
 * @param chainOptions - the format's chain options beyond roots and time.
 * @returns the failed result (`ATTEST_MALFORMED`, for `format`) when the evidence does not parse.
 */
export async function verifyX509Statement<Claims>(
  format: string,
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
  readLeaf: (leaf: ParsedCertificate, failures: AttestationFailure[]) => Claims,
  chainOptions: Omit<ChainOptions, 'roots' | 'at'> = {},
): Promise<X509Statement<Claims> | { failed: AttestationResult }> {
  let ev: X509Evidence;
  try {
    ev = parseX509Evidence(evidence);
  } catch (e) {
    return { failed: failedResult(format, options.now, 'ATTEST_MALFORMED', describeMalformed(e)) };
  }
  const { leaf } = ev;
  const failures: AttestationFailure[] = [];
  const claims = readLeaf(leaf, failures);
  const { at, timeSource } = checkTime(options, leaf.notBefore);
  const chain = await verifyChain(leaf, ev.intermediates, {
    ...chainOptions,
    roots: parseTrustedRoots(options.trustedRoots).roots,
    at,
  });
  failures.push(...chain.failures);
  return { leaf, claims, at, timeSource, chain, failures };
}

/**
 * The time to check validity at: the attestation's own time when `validateAtAttestationTime` is
 * set and the format states one (`own`), else `options.now`; with the
 * {@link AttestationResult.verificationTimeSource} that says which.
 */
export function checkTime(
  options: AttestationVerifyOptions,
  own: Date | undefined,
): { at: Date; timeSource: VerificationTimeSource } {
  return options.validateAtAttestationTime === true && own !== undefined
    ? { at: own, timeSource: 'attestation' }
    : { at: options.now, timeSource: 'now' };
}

/**
 * {@link AttestationResult.path}: the DER certificates of `chain`'s path from position `signer`
 * (0 when the chain's leaf is the certificate whose key signed the attestation, 1 when the leaf is
 * the attested key's own certificate) to the pinned root; undefined when the path did not reach a
 * pinned root. Every signature on a complete path verified: the builder extends a path only
 * through issuers whose key verifies the child's signature.
 */
export function signerPath(chain: ChainVerification, signer: 0 | 1): Uint8Array[] | undefined {
  if (!chain.complete || chain.path.length <= signer) return undefined;
  return chain.path.slice(signer).map((c) => c.der.slice());
}
