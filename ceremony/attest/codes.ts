/**
 * The failure codes of attestation verification, each with what it means. Every failed check in an
 * {@link AttestationResult} carries one of these (formats written by plug-ins may add their own,
 * prefixed `ATTEST_`). docs/attestation.md lists them in the same order.
 *
 * Portable: no `node:` imports.
 */
import type { AttestationFailure } from './types.js';

/** Every code, with its one-line meaning. */
export const ATTESTATION_CODES = {
  // --- evidence and format -------------------------------------------------------------------
  /** The evidence cannot be parsed, or breaks a DER / X.509 structure rule (e.g. an extension twice). */
  ATTEST_MALFORMED: 'the evidence cannot be parsed or breaks an encoding rule',
  /** No registered format has this `format` id. */
  ATTEST_FORMAT_UNKNOWN: 'no verifier is registered for this format',
  /** A format verifier threw instead of returning a result (a bug in the verifier). */
  ATTEST_INTERNAL_ERROR: 'the verifier failed unexpectedly',
  // --- certificate chain ---------------------------------------------------------------------
  /** No path from the statement to a pinned root: an issuer is neither pinned nor supplied. */
  ATTEST_CHAIN_UNTRUSTED: 'the chain does not lead to a pinned root',
  /** The evidence carries a certificate that is not on the verified path. */
  ATTEST_CHAIN_EXTRA_CERTIFICATE: 'a supplied certificate is not part of the chain',
  /** A certificate's (or the statement's) signature does not verify under its issuer's key. */
  ATTEST_SIGNATURE_INVALID: 'a signature does not verify',
  /** A signature or key algorithm the verifier does not accept (SHA-1, RSA under 2048 bits, ...). */
  ATTEST_ALGORITHM_UNSUPPORTED: 'an algorithm is not supported',
  /** A certificate's notAfter is before the verification time. */
  ATTEST_EXPIRED: 'a certificate has expired',
  /** A certificate's notBefore is after the verification time. */
  ATTEST_NOT_YET_VALID: 'a certificate is not yet valid',
  /** An issuer may not issue certificates (no CA basicConstraints, or keyUsage without keyCertSign). */
  ATTEST_NOT_A_CA: 'an issuing certificate is not a CA',
  /** An issuer's pathLenConstraint is exceeded. */
  ATTEST_PATH_LENGTH_EXCEEDED: 'the chain is longer than an issuer allows',
  /** A critical extension that neither the chain verifier nor the format processes. */
  ATTEST_UNHANDLED_CRITICAL_EXTENSION: 'a critical extension is not understood',
  /** A known vendor rule break (x509/deviations.ts) that this format does not accept. */
  ATTEST_DEVIATION_NOT_ALLOWED: 'a certificate breaks a rule this format does not excuse',
  /** A hardware format's chain ends at a root marked EMULATED. */
  ATTEST_EMULATED_ROOT: 'a hardware attestation chains to an emulated root',
  /** The emulated format's chain ends at a root not marked EMULATED. */
  ATTEST_NOT_EMULATED_ROOT: 'an emulated attestation chains to a root not marked emulated',
  // --- attestation content -------------------------------------------------------------------
  /** A required extension or field is absent. */
  ATTEST_EXTENSION_MISSING: 'a required extension is missing',
  /** An extension has the wrong ASN.1 type, value or criticality. */
  ATTEST_EXTENSION_INVALID: 'an extension has the wrong type or value',
  /** Two statements about the same thing disagree (device vs key certificate, SPKI vs algorithm). */
  ATTEST_ATTRIBUTE_MISMATCH: 'two parts of the evidence disagree',
  /** The key was imported (or generated elsewhere and imported under wrap), not generated inside. */
  ATTEST_KEY_IMPORTED: 'the key was not generated in this device',
  /** The evidence gives no usable key origin. */
  ATTEST_ORIGIN_UNKNOWN: 'the key origin is unknown',
  /** The private key can leave the device (in plaintext or wrapped). */
  ATTEST_KEY_EXPORTABLE: 'the key is exportable',
  /** The evidence does not say whether the key can leave the device. */
  ATTEST_EXPORTABILITY_UNKNOWN: 'whether the key is exportable is unknown',
  /** The key is not marked sensitive. */
  ATTEST_KEY_NOT_SENSITIVE: 'the key is not sensitive',
  /** The attestation carries a challenge different from the expected one, or none. */
  ATTEST_CHALLENGE_MISMATCH: 'the challenge differs from the expected one',
  /** A challenge was expected, but this format cannot carry one. */
  ATTEST_CHALLENGE_UNSUPPORTED: 'the format carries no challenge',
  // --- policy (./policy.ts) ------------------------------------------------------------------
  /** The assurance level is refused by the profile (production refuses emulated evidence). */
  ATTEST_LEVEL_REFUSED: 'the assurance level is not accepted by the profile',
  /** The attested key is not the expected fleet key. */
  ATTEST_PUBLIC_KEY_MISMATCH: 'the attested key is not the expected key',
  /** The device serial is not the expected one. */
  ATTEST_SERIAL_MISMATCH: 'the device serial is not the expected one',
} as const;

/** A failure code of this module. */
export type AttestationCode = keyof typeof ATTESTATION_CODES;

/** Builds a failure entry. */
export function failure(code: AttestationCode, reason: string): AttestationFailure {
  return { code, reason };
}
