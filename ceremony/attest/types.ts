/**
 * Attestation evidence and the one normalised verification result every format produces
 * (emulated X.509, pkcs11-attributes statements, and real vendor formats that plug in later).
 *
 * Portable: no `node:` imports; verifiers may be async (WebCrypto).
 */

/** How much an attestation proves, from strongest to weakest. */
export type AssuranceLevel = 'hardware-vendor' | 'pkcs11-attributes' | 'emulated';

export type KeyOrigin = 'generated' | 'imported' | 'replicated' | 'unknown';

/** Which time an attestation was checked at: the caller's `now`, or the attestation's own. */
export type VerificationTimeSource = 'now' | 'attestation';

/** What an HSM hands over about one key, and what the evidence package stores. */
export interface KeyAttestation {
  /** Format identifier, e.g. `emulated-x509/v1`, `pkcs11-attributes/v1`, `yubihsm2`. */
  format: string;
  /** The attestation itself (a DER certificate, a CBOR statement, a vendor blob). */
  statement: Uint8Array;
  /** Certificates (DER) that chain the statement's signer to a vendor root, nearest first. */
  chain: Uint8Array[];
}

export interface AttestationFailure {
  /** Fine-grained code, e.g. `ATTEST_CHAIN_UNTRUSTED`, `ATTEST_KEY_IMPORTED`. */
  code: string;
  reason: string;
}

export interface AttestationResult {
  /** True only when every check passed. */
  ok: boolean;
  format: string;
  level: AssuranceLevel;
  vendor: string;
  model: string;
  serial: string;
  firmware: string;
  /** The attested key: DER SubjectPublicKeyInfo, and SHA-256 of those bytes. */
  publicKey?: { spki: Uint8Array; sha256: Uint8Array };
  origin: KeyOrigin;
  /** undefined when the evidence does not say (which policy treats as a failure). */
  exportable: boolean | undefined;
  sensitive?: boolean | undefined;
  usages?: string[];
  /** The challenge bound into the attestation, if the format carries one. */
  challenge?: Uint8Array;
  /**
   * Format-specific facts for reports and auditors (e.g. YubiHSM 2 `objectId`, `domains`; YubiKey
   * PIV `pinPolicy`, `touchPolicy`), as text. Informational: policy never reads them.
   */
  attributes?: Readonly<Record<string, string>>;
  /** Subjects of the verified chain, leaf first, ending at the pinned root. */
  chain: string[];
  /**
   * The DER certificates of the X.509 path the verifier built and checked: first the certificate
   * whose key signed the attestation (for a statement that is itself the key's certificate, that
   * certificate's issuer; the statement is not repeated here), then each issuer, ending at the
   * pinned root. Every signature on it verified (the pinned root's own excepted: it is a trust
   * anchor), and so did the attestation's under the first certificate's key. Absent when no such
   * path reached a pinned root or the attestation's signature failed, and for formats with no X.509 path
   * (`entrust-nshield`, `pkcs11-attributes/v1`). One path per result: Marvell gives its
   * manufacturer path (the partition key signs the blob; the owner paths certify the same keys),
   * Crypto4A the first signer's.
   */
  path?: Uint8Array[];
  /** The time validity was checked at (see {@link verificationTimeSource}). */
  verificationTime: Date;
  /**
   * Which time `verificationTime` is: `now`, the caller's `options.now`; `attestation`, the
   * attestation's own time, used because `validateAtAttestationTime` was set and the format
   * states one. Formats that state no time (Marvell, nShield) always say `now`.
   */
  verificationTimeSource: VerificationTimeSource;
  /** Every check that failed, with its reason. Empty iff ok. */
  failures: AttestationFailure[];
}

export interface AttestationVerifyOptions {
  /** Pinned vendor roots (DER certificates). Nothing else is trusted. */
  trustedRoots: Uint8Array[];
  /** Time to validate certificates at. */
  now: Date;
  /** When set, the attestation must carry exactly this challenge. */
  expectedChallenge?: Uint8Array;
  /**
   * Validate at the attestation's own time rather than `now` (for expired vendor roots);
   * the result's `verificationTime` then says which time was used.
   */
  validateAtAttestationTime?: boolean;
}

/** A plug-in for one attestation format. */
export interface AttestationFormat {
  readonly id: string;
  verify(evidence: KeyAttestation, options: AttestationVerifyOptions): Promise<AttestationResult>;
}
