/**
 * Named deviations from RFC 5280 / DER that real vendor certificates exhibit, and which a format may
 * accept one by one.
 *
 * The chain verifier (./chain.ts) refuses every one of these by default. A format that must verify
 * a vendor whose certificates break a rule passes exactly the deviations it needs in
 * `ChainOptions.deviations`; each accepted occurrence is reported back (which deviation, on which
 * certificate) so the result can say so. There is no "lenient" switch: every loosening has a name,
 * a precise scope (below) and a test with the real certificate that needs it.
 *
 * Portable: no `node:` imports.
 */

/**
 * - `v1-ca-certificate`: an X.509 **v1** certificate (which cannot carry basicConstraints) acts as an
 *   issuer. Scope: issuers of version 1 only; a v3 issuer without basicConstraints is still refused.
 *   Seen in: the Marvell LiquidSecurity manufacturer *card* certificate.
 * - `zero-serial`: serialNumber is 0 (RFC 5280 §4.1.2.2 requires a positive integer). Scope: exactly
 *   0; negative serials stay malformed. Seen in: the 2024 reissue of the Marvell LiquidSecurity root.
 * - `explicit-critical-false`: an extension writes `critical FALSE` out, although DER omits a value
 *   equal to its DEFAULT (X.690 §11.5). Scope: the `critical` field of extensions. Seen in: Thales
 *   Luna proof-of-origin, device-authentication and hardware-origin certificates.
 * - `ecdsa-null-parameters`: an ecdsa-with-SHA* AlgorithmIdentifier carries a NULL parameter, which
 *   RFC 5758 §3.2 says MUST be omitted. Scope: ecdsa-with-SHA256/384/512 only. Seen in: Thales Luna
 *   ECC certificates.
 * - `non-ca-leaf-issuer`: the *direct issuer of the leaf* is an end-entity certificate (basicConstraints
 *   `CA:FALSE` or absent; keyUsage, if present, without keyCertSign). Scope: the leaf's issuer only,
 *   never a higher certificate. Seen in: the Fortanix DSM key attestation authority, which signs the
 *   statement certificate (and writes its `cA FALSE` out explicitly, which this scope covers).
 * - `root-without-basic-constraints`: the pinned root is a v3 certificate without basicConstraints.
 *   Scope: the pinned root only. Seen in: the Chrysalis-ITS root, serial 804500000007, and the
 *   SafeNet ECC Manufacturer Integrity root (both Thales Luna).
 */
export type ChainDeviation =
  | 'v1-ca-certificate'
  | 'zero-serial'
  | 'explicit-critical-false'
  | 'ecdsa-null-parameters'
  | 'non-ca-leaf-issuer'
  | 'root-without-basic-constraints';

/** Every deviation name, for validation of options and for docs. */
export const CHAIN_DEVIATIONS: readonly ChainDeviation[] = [
  'v1-ca-certificate',
  'zero-serial',
  'explicit-critical-false',
  'ecdsa-null-parameters',
  'non-ca-leaf-issuer',
  'root-without-basic-constraints',
];

/** One accepted occurrence of a deviation. */
export interface AcceptedDeviation {
  deviation: ChainDeviation;
  /** Subject of the certificate that exhibits it. */
  subject: string;
}
