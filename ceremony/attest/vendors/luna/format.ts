/**
 * `thales-luna`: Thales Luna Public Key Confirmation bundles (docs/attestation-vendors.md).
 *
 * Evidence: `statement` is the PKC bundle (DER PKCS#7, as `cmu getpkc` writes it); `chain` must be
 * empty. The bundle ends with the root, which must be byte-identical to a pinned root.
 *
 * Checks: the bundle's structure (./pkcs7.ts); the path leaf → … → pinned root, every signature, at
 * `options.now` (or, with `validateAtAttestationTime`, at the proof-of-origin certificate's
 * notBefore, the time the HSM issued it); each position's extended key usage (./profile.ts); the
 * HSM serial the same in every certificate that names it. Thales issues a PKC only for a key
 * generated in the HSM that can never leave it, so a verified bundle gives origin `generated` and
 * `exportable` false.
 *
 * Accepted deviations, each seen in the samples and nowhere else allowed: `explicit-critical-false`
 * (RSA and ECC leaf, device-authentication and hardware-origin certificates), `ecdsa-null-parameters`
 * (ECC certificates), `root-without-basic-constraints` (Chrysalis-ITS root 804500000007, when it is
 * the pinned root), and the bundle's `unsorted-certificate-set`.
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import { challengeFailures, failedResult, finish, pathOf } from '../../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../../types.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import { parseCertificate } from '../../x509/certificate.js';
import { verifyChainAnyRoot } from '../../x509/chain.js';
import {
  checkTime,
  describeMalformed,
  parseTrustedRoots,
  selfContainedStatement,
  signerPath,
} from '../../x509/evidence.js';
import { keyAlgorithmName, parseSpki } from '../../x509/spki.js';
import { parseCertsOnly } from './pkcs7.js';
import { EXT_KEY_USAGE, checkRoles, firmware, hsmSerial } from './profile.js';
import { explainUnsignedEcdsa } from './unsigned-ecdsa.js';

/** The format id. */
export const LUNA_FORMAT = 'thales-luna';

async function verify(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  let certs: ParsedCertificate[];
  let algorithm: string;
  let unsorted: boolean;
  try {
    const statement = selfContainedStatement(evidence, 'the PKC bundle carries its chain');
    // Accepted by name: Luna writes the certificate set in chain order (`unsorted-certificate-set`).
    const bundle = parseCertsOnly(statement);
    unsorted = bundle.irregularities.includes('unsorted-certificate-set');
    certs = bundle.certificates.map((der, i) => parseCertificate(der, `statement.certificates[${i}]`));
    algorithm = keyAlgorithmName(parseSpki(certs[0]!.spki, 'statement.certificates[0].subjectPublicKeyInfo'));
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    return failedResult(LUNA_FORMAT, options.now, 'ATTEST_MALFORMED', describeMalformed(e));
  }
  const leaf = certs[0]!;
  const { at, timeSource } = checkTime(options, leaf.notBefore);
  const failures: AttestationFailure[] = [];
  const chain = await verifyChainAnyRoot(leaf, certs.slice(1), {
    roots: parseTrustedRoots(options.trustedRoots).roots,
    at,
    deviations: ['explicit-critical-false', 'ecdsa-null-parameters', 'root-without-basic-constraints'],
    handledCriticalExtensions: [EXT_KEY_USAGE],
  });
  failures.push(...chain.failures);
  const issuer = certs[1];
  const unsigned = issuer === undefined ? undefined : explainUnsignedEcdsa(leaf, issuer);
  if (unsigned !== undefined) {
    failures.push(
      failure('ATTEST_SIGNATURE_INVALID', `the proof-of-origin certificate '${leaf.subject}': ${unsigned}`),
    );
  }
  const pki = chain.complete ? checkRoles(chain.path, failures) : undefined;
  const serials = [...new Set(certs.map(hsmSerial).filter((s) => s !== undefined))];
  if (serials.length === 0)
    failures.push(
      failure('ATTEST_EXTENSION_MISSING', 'no certificate names the HSM serial (1.3.6.1.4.1.12383.2.1)'),
    );
  if (serials.length > 1)
    failures.push(
      failure('ATTEST_ATTRIBUTE_MISMATCH', `the certificates name HSM serials ${serials.join(' and ')}`),
    );
  failures.push(...challengeFailures(options.expectedChallenge, 'unsupported'));
  return finish({
    format: LUNA_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Thales',
    model: 'Luna',
    serial: serials[0] ?? '',
    firmware: firmware(leaf) ?? '',
    publicKey: { spki: leaf.spki, sha256: sha256(leaf.spki) },
    origin: 'generated',
    exportable: false,
    attributes: {
      algorithm,
      pki: pki ?? '',
      acceptedDeviations: [
        ...chain.acceptedDeviations.map((d) => `${d.deviation} (${d.subject})`),
        ...(unsorted ? ['unsorted-certificate-set (the bundle)'] : []),
      ].join('; '),
    },
    chain: chain.path.map((c) => c.subject),
    // The proof-of-origin certificate is the attested key's own: the path starts at its issuer.
    ...pathOf(signerPath(chain, 1)),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

/** Thales Luna Public Key Confirmation bundles. */
export const lunaFormat: AttestationFormat = { id: LUNA_FORMAT, verify };
