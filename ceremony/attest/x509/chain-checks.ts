/**
 * The per-certificate checks of path validation (./chain.ts): validity period and the rules an
 * issuer must meet (RFC 5280 §6.1.3 (a)(2), §6.1.4 (k)-(n)), with the named deviations of
 * ./deviations.ts applied exactly where their scope says.
 *
 * Portable: no `node:` imports.
 */
import { failure } from '../codes.js';
import type { AttestationFailure } from '../types.js';
import type { ParsedCertificate } from './certificate.js';
import type { AcceptedDeviation, ChainDeviation } from './deviations.js';
import type { BasicConstraintsValue } from './extensions.js';
import { KEY_USAGE_BIT, basicConstraints, keyUsage } from './extensions.js';

/** notBefore ≤ at ≤ notAfter (RFC 5280 §4.1.2.5: both bounds inclusive). */
export function checkValidity(cert: ParsedCertificate, at: Date, failures: AttestationFailure[]): void {
  if (at.getTime() > cert.notAfter.getTime()) {
    failures.push(
      failure(
        'ATTEST_EXPIRED',
        `'${cert.subject}' expired at ${cert.notAfter.toISOString()} (checked at ${at.toISOString()})`,
      ),
    );
  }
  if (at.getTime() < cert.notBefore.getTime()) {
    failures.push(
      failure(
        'ATTEST_NOT_YET_VALID',
        `'${cert.subject}' is valid from ${cert.notBefore.toISOString()} (checked at ${at.toISOString()})`,
      ),
    );
  }
}

/**
 * The checks on the certificate at `index` of the path (1 = the leaf's issuer), which issued
 * `index - 1`. `isRoot` is true for the pinned root at the end.
 */
export function checkIssuer(
  cert: ParsedCertificate,
  index: number,
  isRoot: boolean,
  allowed: ReadonlySet<ChainDeviation>,
  failures: AttestationFailure[],
  accepted: AcceptedDeviation[],
): void {
  const accept = (deviation: ChainDeviation): boolean => {
    if (!allowed.has(deviation)) return false;
    accepted.push({ deviation, subject: cert.subject });
    return true;
  };
  const notCa = (why: string, deviation?: ChainDeviation) =>
    failures.push(
      failure(
        'ATTEST_NOT_A_CA',
        `'${cert.subject}' issues a certificate but ${why}${deviation === undefined ? '' : ` (deviation '${deviation}' not accepted)`}`,
      ),
    );

  if (cert.version === 1) {
    if (!accept('v1-ca-certificate')) notCa('is an X.509 v1 certificate', 'v1-ca-certificate');
    return;
  }
  let bc: BasicConstraintsValue | undefined;
  let ku: boolean[] | undefined;
  try {
    bc = basicConstraints(cert, `'${cert.subject}'.basicConstraints`);
    ku = keyUsage(cert, `'${cert.subject}'.keyUsage`);
  } catch (e) {
    failures.push(failure('ATTEST_MALFORMED', `'${cert.subject}': ${(e as Error).message}`));
    return;
  }
  const canSignCerts = ku === undefined || ku[KEY_USAGE_BIT.keyCertSign] === true;
  if (bc?.ca !== true || !canSignCerts) {
    if (index === 1 && accept('non-ca-leaf-issuer')) return;
    if (bc === undefined && isRoot && canSignCerts && accept('root-without-basic-constraints')) return;
    if (bc === undefined) {
      notCa(
        'has no basicConstraints',
        isRoot ? 'root-without-basic-constraints' : index === 1 ? 'non-ca-leaf-issuer' : undefined,
      );
    } else if (!bc.ca) {
      notCa('has basicConstraints CA:FALSE', index === 1 ? 'non-ca-leaf-issuer' : undefined);
    }
    if (!canSignCerts)
      notCa('its keyUsage lacks keyCertSign', index === 1 ? 'non-ca-leaf-issuer' : undefined);
    return;
  }
  // pathLenConstraint counts the intermediate CA certificates below this one (RFC 5280 §4.2.1.9).
  if (bc.pathLen !== undefined && index - 1 > bc.pathLen) {
    failures.push(
      failure(
        'ATTEST_PATH_LENGTH_EXCEEDED',
        `'${cert.subject}' allows ${bc.pathLen} intermediate CA certificate(s) below it, the path has ${index - 1}`,
      ),
    );
  }
}
