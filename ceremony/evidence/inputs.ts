/**
 * What the evidence writer takes: the artifacts a ceremony has already made (docs/evidence.md,
 * "Writing a package"), and what it returns. Nothing here is secret: the operator key signs
 * through its HSM, via an {@link EvidenceSigner} ({@link evidenceSignerFromHsm}), and never leaves it.
 */
import type { KeyAttestation } from '../attest/index.js';
import { UsageError } from '../errors.js';
import type { Trust } from '../bundle/index.js';

/** The operator key that counter-signed, as the writer uses it to sign SHA256SUMS. */
export interface EvidenceSigner {
  algorithm: 'ed25519' | 'p256';
  /** Raw public key: Ed25519 32 bytes, P-256 SEC 1 uncompressed 65 bytes. */
  publicKey: Uint8Array;
  /**
   * Signs `message` inside the HSM (e.g. `(m) => hsm.sign(label, m)`): Ed25519 over the message,
   * or ECDSA P-256 over SHA-256(message) as raw `r || s`.
   */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** One fleet key's attestation, as its HSM returned it (`Hsm.attestKey`). */
export interface EvidenceAttestation {
  /** The key's id in the fleet key set. */
  keyId: string;
  attestation: KeyAttestation;
}

/** The inputs of `writeEvidencePackage`. */
export interface EvidenceInputs {
  /** The validation bundle (`assembleValidationBundle`), as clients will receive it. */
  bundle: Uint8Array;
  /** The encoded fleet key set; when given it must be the one in `bundle`. */
  fleetKeySet?: Uint8Array;
  /** Exactly one attestation per key of the fleet key set. */
  attestations: readonly EvidenceAttestation[];
  /** Each HSM's identity chain (`Hsm.identityChain()`: device certificate … vendor root, DER), by HSM id; HSMs without one are left out. */
  deviceChains?: ReadonlyMap<string, readonly Uint8Array[]> | Readonly<Record<string, readonly Uint8Array[]>>;
  /** The sealed ceremony transcript (JSON Lines). */
  transcript: Uint8Array | string;
  /** The C2SP tlog-proof the witness returned; when given it must be the bundle's proof. */
  tlogProof?: string;
  /** The signed checkpoint the witness returned; when given it must be the bundle's checkpoint. */
  checkpoint?: string;
  /** The ceremony's attestation nonce (32 bytes): the challenge of every attestation, recorded in the transcript. */
  nonce: Uint8Array;
  /** The trust anchors of the ceremony (`parseTrustFile`): the package must verify against them before it is written; they are shown in it, never trusted by readers. */
  trust: Trust;
  /** The operator key that counter-signed the witness statement. */
  signer: EvidenceSigner;
  /** When the package is made (ms since the Unix epoch). Default: the time of the transcript's last record. */
  createdAt?: number;
  /** The tool that made the package. Default: fleet-ceremony and this package's version. */
  tool?: { name: string; version: string };
  /** Hex SHA-256 of the single-file verifier; default: that of `dist/fleet-verify.mjs` if built, else null. */
  verifierSha256?: string | null;
}

/** What `writeEvidencePackage` made. */
export interface EvidenceWritten {
  dir: string;
  /** Number of files and their total size. */
  files: number;
  bytes: number;
  /** Hex SHA-256 of SHA256SUMS: the one digest that names the whole package (read it aloud). */
  evidenceSha256: string;
  /** Hex SHA-256 of the fleet key set. */
  keySetSha256: string;
  /** True when the evidence comes from emulated HSMs. */
  rehearsal: boolean;
}

/** What the signer needs of an HSM: any `Hsm` (emulated or PKCS#11) has it. */
export interface EvidenceSigningHsm {
  findKey(
    label: string,
  ): Promise<{ algorithm: string; publicKey: Uint8Array; usages: readonly string[] } | undefined>;
  sign(label: string, message: Uint8Array): Promise<Uint8Array>;
}

/**
 * The signer over key `label` of `hsm` (the operator counter-signing key).
 *
 * @throws UsageError `EVIDENCE_SIGNER_NOT_FOUND` (no such key), `EVIDENCE_SIGNER_UNSUITABLE`
 *   (not an Ed25519 or P-256 signing key).
 */
export async function evidenceSignerFromHsm(hsm: EvidenceSigningHsm, label: string): Promise<EvidenceSigner> {
  const key = await hsm.findKey(label);
  if (key === undefined)
    throw new UsageError('EVIDENCE_SIGNER_NOT_FOUND', `label: no key ${JSON.stringify(label)} in the HSM`, {
      field: 'label',
    });
  const algorithm = key.algorithm;
  if ((algorithm !== 'ed25519' && algorithm !== 'p256') || !key.usages.includes('sign')) {
    throw new UsageError(
      'EVIDENCE_SIGNER_UNSUITABLE',
      `label: key ${JSON.stringify(label)} is ${algorithm}, want an ed25519 or p256 signing key`,
      { field: 'label' },
    );
  }
  return { algorithm, publicKey: key.publicKey.slice(), sign: (m) => hsm.sign(label, m) };
}
