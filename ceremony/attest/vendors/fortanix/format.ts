/**
 * `fortanix-dsm`: Fortanix DSM key attestation statements (docs/attestation-vendors.md).
 *
 * The statement is an X.509 certificate for the attested key, issued by a *key attestation
 * authority* whose certificate is `CA:FALSE` with extended key usage 1.3.6.1.4.1.49690.8.1 and a
 * one-month validity. The chain is accepted with deviation `non-ca-leaf-issuer`, and only when that
 * issuer carries the attestation-authority EKU.
 *
 * Time: the authority expires a month after it is issued, so a statement is refused (ATTEST_EXPIRED)
 * at `options.now` once the month is over. With `validateAtAttestationTime`, the chain is checked at
 * the statement's notBefore, which DSM sets to the signing time; `verificationTime` says so.
 *
 * Policy: extension 1.3.6.1.4.1.49690.2.4.1.1 (key generated in DSM) gives origin `generated`,
 * 1.3.6.1.4.1.49690.2.4.1.2 (never exportable) gives `exportable` false; each must be an empty
 * SEQUENCE. Without them, origin and exportability are unknown and refused.
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import { challengeFailures, failedResult, finish, keyPropertyFailures, pathOf } from '../../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../../types.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import { findExtension } from '../../x509/certificate.js';
import { decodeDer, derSequence } from '../../x509/der.js';
import { derOid } from '../../x509/der-values.js';
import { verifyChainAnyRoot } from '../../x509/chain.js';
import {
  checkTime,
  describeMalformed,
  parseTrustedRoots,
  parseX509Evidence,
  signerPath,
} from '../../x509/evidence.js';
import { FORTANIX_FORMAT } from './evidence.js';

const ARC = '1.3.6.1.4.1.49690';
const GENERATED_IN_DSM = `${ARC}.2.4.1.1`;
const NEVER_EXPORTABLE = `${ARC}.2.4.1.2`;
const AUTHORITY_EKU = `${ARC}.8.1`;
const EXT_KEY_USAGE = '2.5.29.37';
/** The key id DSM writes into the statement's subject (attribute 1.3.6.1.4.1.49690.1.2.2). */
const KEY_ID = /1\.3\.6\.1\.4\.1\.49690\.1\.2\.2=([0-9a-f-]{36})/;

/** Whether `cert` carries marker extension `oid` (an empty SEQUENCE); a bad value is a failure. */
function marker(cert: ParsedCertificate, oid: string, failures: AttestationFailure[]): boolean {
  const ext = findExtension(cert, oid);
  if (ext === undefined) return false;
  try {
    derSequence(decodeDer(ext.value, oid), oid, 0, 0);
    return true;
  } catch (e) {
    failures.push(failure('ATTEST_EXTENSION_INVALID', `${oid} in the statement: ${describeMalformed(e)}`));
    return false;
  }
}

function hasAuthorityEku(cert: ParsedCertificate): boolean {
  const ext = findExtension(cert, EXT_KEY_USAGE);
  if (ext === undefined) return false;
  try {
    return derSequence(decodeDer(ext.value, 'extKeyUsage'), 'extKeyUsage', 1).some(
      (e) => derOid(e, 'extKeyUsage') === AUTHORITY_EKU,
    );
  } catch {
    return false;
  }
}

async function verify(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  let leaf: ParsedCertificate;
  let intermediates: ParsedCertificate[];
  try {
    ({ leaf, intermediates } = parseX509Evidence(evidence));
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    return failedResult(FORTANIX_FORMAT, options.now, 'ATTEST_MALFORMED', describeMalformed(e));
  }
  const { at, timeSource } = checkTime(options, leaf.notBefore);
  const failures: AttestationFailure[] = [];
  const chain = await verifyChainAnyRoot(leaf, intermediates, {
    roots: parseTrustedRoots(options.trustedRoots).roots,
    at,
    deviations: ['non-ca-leaf-issuer'],
  });
  failures.push(...chain.failures);
  const authority = chain.path[1];
  if (authority !== undefined && !hasAuthorityEku(authority)) {
    failures.push(
      failure(
        'ATTEST_NOT_A_CA',
        `'${authority.subject}' signs the statement but lacks the key attestation authority EKU ${AUTHORITY_EKU}`,
      ),
    );
  }
  const generated = marker(leaf, GENERATED_IN_DSM, failures);
  const neverExportable = marker(leaf, NEVER_EXPORTABLE, failures);
  const facts = {
    origin: generated ? ('generated' as const) : ('unknown' as const),
    exportable: neverExportable ? false : undefined,
  };
  failures.push(...keyPropertyFailures(facts, generated ? '' : `no ${GENERATED_IN_DSM} extension`));
  failures.push(...challengeFailures(options.expectedChallenge, 'unsupported'));
  return finish({
    format: FORTANIX_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Fortanix',
    model: 'DSM',
    serial: '',
    firmware: '',
    publicKey: { spki: leaf.spki, sha256: sha256(leaf.spki) },
    ...facts,
    attributes: {
      keyId: KEY_ID.exec(leaf.subject)?.[1] ?? '',
      authority: authority?.subject ?? '',
      signedAt: leaf.notBefore.toISOString(),
    },
    chain: chain.path.map((c) => c.subject),
    ...pathOf(signerPath(chain, 1)),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

/** Fortanix DSM key attestation statements. */
export const fortanixFormat: AttestationFormat = { id: FORTANIX_FORMAT, verify };
