/**
 * Certificate path building and validation: leaf → supplied intermediates → one pinned root
 * (a profile of RFC 5280 §6.1 without policies, name constraints or revocation, which attestation
 * PKIs do not use).
 *
 * Building: from the leaf, a candidate issuer is a pinned root or a supplied certificate whose
 * subject Name has exactly the DER bytes of the child's issuer Name, and whose key verifies the
 * child's signature. Pinned roots are tried first; the search is depth-first, bounded by
 * `maxPathLength`, and never reuses a certificate. Pinned roots are trust anchors: their own
 * signature is not checked.
 *
 * Validation of the path found, every failure collected (not just the first):
 * - each certificate valid at `at` (notBefore ≤ at ≤ notAfter), the root included;
 * - each issuer a CA: v3 with basicConstraints cA TRUE, keyUsage (when present) with keyCertSign,
 *   and its pathLenConstraint not exceeded;
 * - no critical extension other than basicConstraints, keyUsage and the format's `handledCriticalExtensions`;
 * - no rule break (./deviations.ts) unless the format names it in `deviations`;
 * - every supplied certificate used (a copy of the pinned root at the end is allowed);
 * - the root neither carrying the emulatedMarker extension nor saying EMULATED in its subject,
 *   unless `emulatedRoot: 'allow'` (only the emulated format).
 *
 * {@link verifyChainAnyRoot} retries with each pinned root alone, for vendors that reissued a root
 * under the same name and key.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../../codec/index.js';
import { failure } from '../codes.js';
import { OID as EMULATED_OID } from '../emulated/oids.js';
import type { AttestationFailure } from '../types.js';
import type { ParsedCertificate } from './certificate.js';
import { findExtension } from './certificate.js';
import type { AcceptedDeviation, ChainDeviation } from './deviations.js';
import { checkIssuer, checkValidity } from './chain-checks.js';
import { verifySignature } from './signature.js';

/** Options of {@link verifyChain}. */
export interface ChainOptions {
  /** The pinned roots (already parsed). Nothing else is trusted. */
  roots: readonly ParsedCertificate[];
  /** The time every certificate must be valid at. */
  at: Date;
  /** The named rule breaks this format accepts (default none). */
  deviations?: readonly ChainDeviation[];
  /** Critical extensions the format processes itself, beyond basicConstraints and keyUsage. */
  handledCriticalExtensions?: readonly string[];
  /** `'forbid'` (default): a root carrying the EMULATED marker fails; `'allow'`: the emulated format. */
  emulatedRoot?: 'forbid' | 'allow';
  /** Most certificates in a path, leaf and root included. Default 6. */
  maxPathLength?: number;
}

/** What {@link verifyChain} found. */
export interface ChainVerification {
  /** True when a path was found and nothing failed. */
  ok: boolean;
  /** Leaf first, ending at the pinned root; when no path was found, as far as it could be followed. */
  path: ParsedCertificate[];
  /** Whether `path` ends at a pinned root. */
  complete: boolean;
  failures: AttestationFailure[];
  /** Every rule break that was accepted because the format allows it. */
  acceptedDeviations: AcceptedDeviation[];
}

/** Bound on the number of signature checks one search may do (hostile evidence). */
const MAX_SIGNATURE_CHECKS = 32;

/**
 * Builds and validates the path from `leaf` through `intermediates` to one of `options.roots`.
 * Never throws for bad evidence: every problem is a failure in the result.
 */
export async function verifyChain(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  options: ChainOptions,
): Promise<ChainVerification> {
  const search = { checks: 0, failures: [] as AttestationFailure[], best: [leaf] };
  const path = await extend([leaf], new Set(), intermediates, options, search);
  if (path === undefined) {
    return {
      ok: false,
      path: search.best,
      complete: false,
      failures: dedupe(search.failures),
      acceptedDeviations: [],
    };
  }
  const failures: AttestationFailure[] = [];
  const accepted: AcceptedDeviation[] = [];
  const allowed = new Set(options.deviations ?? []);
  const handled = new Set(['2.5.29.19', '2.5.29.15', ...(options.handledCriticalExtensions ?? [])]);
  path.forEach((cert, i) => {
    checkValidity(cert, options.at, failures);
    for (const d of cert.irregularities) {
      if (allowed.has(d)) accepted.push({ deviation: d, subject: cert.subject });
      else
        failures.push(
          failure(
            'ATTEST_DEVIATION_NOT_ALLOWED',
            `'${cert.subject}' breaks a rule (${d}) this format does not excuse`,
          ),
        );
    }
    for (const ext of cert.extensions) {
      if (ext.critical && !handled.has(ext.oid)) {
        failures.push(
          failure(
            'ATTEST_UNHANDLED_CRITICAL_EXTENSION',
            `'${cert.subject}' has critical extension ${ext.oid}, which is not processed`,
          ),
        );
      }
    }
    if (i > 0) checkIssuer(cert, i, i === path.length - 1, allowed, failures, accepted);
  });
  const root = path[path.length - 1]!;
  if (
    (options.emulatedRoot ?? 'forbid') === 'forbid' &&
    (findExtension(root, EMULATED_OID.emulatedMarker) !== undefined || root.subject.includes('EMULATED'))
  ) {
    failures.push(
      failure('ATTEST_EMULATED_ROOT', `root '${root.subject}' is marked EMULATED: it proves no hardware`),
    );
  }
  for (const [n, cert] of intermediates.entries()) {
    if (!path.includes(cert) && !equalBytes(cert.der, root.der)) {
      failures.push(
        failure(
          'ATTEST_CHAIN_EXTRA_CERTIFICATE',
          `chain[${n}] '${cert.subject}' is not on the path to the root`,
        ),
      );
    }
  }
  return { ok: failures.length === 0, path, complete: true, failures, acceptedDeviations: accepted };
}

/**
 * {@link verifyChain}, and when that fails with several pinned roots, each root alone: the chain
 * builder stops at the first root whose key verifies, which may be an expired issue (Marvell's 2015
 * root) when a valid reissue with the same name and key (2024) is pinned too.
 *
 * @returns the first passing verification, or the one with every root when none passes.
 */
export async function verifyChainAnyRoot(
  leaf: ParsedCertificate,
  intermediates: readonly ParsedCertificate[],
  options: ChainOptions,
): Promise<ChainVerification> {
  const first = await verifyChain(leaf, intermediates, options);
  if (first.ok || options.roots.length < 2) return first;
  for (const root of options.roots) {
    const alone = await verifyChain(leaf, intermediates, { ...options, roots: [root] });
    if (alone.ok) return alone;
  }
  return first;
}

interface Search {
  checks: number;
  failures: AttestationFailure[];
  best: ParsedCertificate[];
}

async function extend(
  path: ParsedCertificate[],
  used: Set<number>,
  intermediates: readonly ParsedCertificate[],
  options: ChainOptions,
  search: Search,
): Promise<ParsedCertificate[] | undefined> {
  const cert = path[path.length - 1]!;
  if (path.length > search.best.length) search.best = path;
  if (path.length >= (options.maxPathLength ?? 6)) {
    search.failures.push(
      failure('ATTEST_CHAIN_UNTRUSTED', `no pinned root within ${path.length} certificates of the statement`),
    );
    return undefined;
  }
  const named = (c: ParsedCertificate) => equalBytes(c.subjectDer, cert.issuerDer);
  const roots = options.roots.filter(named);
  const supplied = [...intermediates.entries()].filter(
    ([n, c]) => !used.has(n) && named(c) && !path.includes(c),
  );
  if (roots.length === 0 && supplied.length === 0) {
    search.failures.push(
      failure(
        'ATTEST_CHAIN_UNTRUSTED',
        `issuer '${cert.issuer}' of '${cert.subject}' is neither a pinned root nor in the chain`,
      ),
    );
    return undefined;
  }
  const candidates: [ParsedCertificate, number | undefined][] = [
    ...roots.map((r): [ParsedCertificate, undefined] => [r, undefined]),
    ...supplied.map(([n, c]): [ParsedCertificate, number] => [c, n]),
  ];
  for (const [issuer, n] of candidates) {
    if (++search.checks > MAX_SIGNATURE_CHECKS) {
      search.failures.push(failure('ATTEST_CHAIN_UNTRUSTED', 'too many candidate issuers'));
      return undefined;
    }
    const check = await verifySignature(cert.signatureAlgorithm, issuer.spki, cert.tbs, cert.signature);
    if (!check.ok) {
      const by = n === undefined ? `pinned root '${issuer.subject}'` : `'${issuer.subject}' (chain[${n}])`;
      search.failures.push(failure(check.code, `signature on '${cert.subject}' by ${by}: ${check.reason}`));
      continue;
    }
    if (n === undefined) return [...path, issuer];
    const found = await extend([...path, issuer], new Set([...used, n]), intermediates, options, search);
    if (found !== undefined) return found;
  }
  return undefined;
}

function dedupe(failures: AttestationFailure[]): AttestationFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.code} ${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
