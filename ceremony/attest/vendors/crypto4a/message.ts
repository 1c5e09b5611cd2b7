/**
 * The Crypto4A QASM attestation message (`skm attest claim`, PEM label `ATTESTATION MESSAGE`), as
 * the published sample encodes it (DER):
 *
 * ```
 * AttestationMessage ::= SEQUENCE {
 *   version      INTEGER (1),
 *   claims       SEQUENCE { version INTEGER (1), list SEQUENCE OF Claim },   -- the signed bytes
 *   signers      SEQUENCE OF SEQUENCE {
 *                  signer     SEQUENCE { [0] { OCTET STRING keyId }, [2] { Certificate } },
 *                  algorithm  AlgorithmIdentifier,
 *                  signature  BIT STRING },
 *   certificates [0] SEQUENCE OF Certificate }   -- attached CA certificates
 * ```
 *
 * Portable: no `node:` imports.
 */
import type { AlgorithmId } from '../../x509/certificate.js';
import { parseAlgorithmId } from '../../x509/certificate.js';
import type { DerElement } from '../../x509/der.js';
import { TAG, decodeDer, derError, derSequence } from '../../x509/der.js';
import { derBitStringBytes, derInteger, derOctetString } from '../../x509/der-values.js';

/** Bound on a message (the sample is 8.6 KiB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_SIGNERS = 4;
const MAX_CERTIFICATES = 8;

/** One signer: the attesting key's id and certificate, the algorithm and the signature. */
export interface C4aSigner {
  keyId: Uint8Array;
  certificate: Uint8Array;
  algorithm: AlgorithmId;
  signature: Uint8Array;
}

/** A parsed message. */
export interface C4aMessage {
  /** The claims SEQUENCE, exactly as encoded: what the signers signed. */
  claimsDer: Uint8Array;
  /** The claim list's elements. */
  claims: DerElement[];
  signers: C4aSigner[];
  certificates: Uint8Array[];
}

/**
 * Parses a message.
 *
 * @throws MalformedError `ATTEST_MALFORMED` naming the field.
 */
export function parseC4aMessage(der: Uint8Array): C4aMessage {
  const f = 'statement';
  if (der.length > MAX_MESSAGE_BYTES) throw derError(f, `larger than ${MAX_MESSAGE_BYTES} bytes`);
  const [version, claimsEl, signersEl, certsEl] = derSequence(decodeDer(der, f), f, 4, 4) as [
    DerElement,
    DerElement,
    DerElement,
    DerElement,
  ];
  if (derInteger(version, `${f}.version`) !== 1n) throw derError(`${f}.version`, 'want 1');
  const [claimsVersion, list] = derSequence(claimsEl, `${f}.claims`, 2, 2) as [DerElement, DerElement];
  if (derInteger(claimsVersion, `${f}.claims.version`) !== 1n)
    throw derError(`${f}.claims.version`, 'want 1');
  const claims = derSequence(list, `${f}.claims.list`, 1);
  const signers = derSequence(signersEl, `${f}.signers`, 1, MAX_SIGNERS).map((s, i): C4aSigner => {
    const g = `${f}.signers[${i}]`;
    const [id, alg, sig] = derSequence(s, g, 3, 3) as [DerElement, DerElement, DerElement];
    const [keyIdEl, certEl] = derSequence(id, `${g}.signer`, 2, 2) as [DerElement, DerElement];
    const [keyId] = derSequence(keyIdEl, `${g}.signer.keyId`, 1, 1, 0xa0) as [DerElement];
    const [cert] = derSequence(certEl, `${g}.signer.certificate`, 1, 1, 0xa2) as [DerElement];
    derSequence(cert, `${g}.signer.certificate`, 3, 3);
    return {
      keyId: derOctetString(keyId, `${g}.signer.keyId`),
      certificate: cert.bytes,
      algorithm: parseAlgorithmId(alg, `${g}.algorithm`),
      signature: derBitStringBytes(sig, `${g}.signature`),
    };
  });
  const certificates = derSequence(certsEl, `${f}.certificates`, 1, MAX_CERTIFICATES, 0xa0).map((c, i) => {
    derSequence(c, `${f}.certificates[${i}]`, 3, 3, TAG.SEQUENCE);
    return c.bytes;
  });
  return { claimsDer: claimsEl.bytes, claims, signers, certificates };
}
