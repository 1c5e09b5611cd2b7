/**
 * The signers of a QASM attestation message: each signs the claims SEQUENCE with its own
 * attestation key, certified by the Crypto4A PKI (C4A_RCA → C4A_SCA_* → `… Assertion Authority`).
 *
 * - ECDSA signers (ecdsa-with-SHA256/384/512) are verified with the x509 signature code.
 * - HSS/LMS signers (id-alg-hss-lms-hashsig, RFC 8708) are verified with ./hss.ts. The certificate
 *   carries the HSS public key as a DER OCTET STRING inside the subjectPublicKey BIT STRING, as the
 *   sample does (RFC 8708 §4 allows that encoding of the key).
 *
 * Every signer must verify, chain to a pinned root and carry the assertion-authority EKU.
 *
 * Portable: no `node:` imports.
 */
import { failure } from '../../codes.js';
import type { AttestationFailure } from '../../types.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import { findExtension, parseAlgorithmId } from '../../x509/certificate.js';
import type { DerElement } from '../../x509/der.js';
import { TAG, decodeDer, derSequence } from '../../x509/der.js';
import { derBitStringBytes, derOctetString, derOid } from '../../x509/der-values.js';
import { verifySignature } from '../../x509/signature.js';
import { verifyHss } from './hss.js';
import type { C4aSigner } from './message.js';

/** id-alg-hss-lms-hashsig (RFC 8708 §3). */
export const HSS_OID = '1.2.840.113549.1.9.16.3.17';
/** Extended key usage of a QASM assertion authority. */
export const ASSERTION_AUTHORITY_EKU = '1.3.6.1.4.1.39901.4.1.1';

/** The HSS public key in an SPKI, or undefined when the SPKI is not an HSS key. */
function hssPublicKey(spki: Uint8Array): Uint8Array | undefined {
  try {
    const [alg, key] = derSequence(decodeDer(spki, 'spki'), 'spki', 2, 2) as [DerElement, DerElement];
    const id = parseAlgorithmId(alg, 'spki.algorithm');
    if (id.oid !== HSS_OID || id.parameters !== undefined) return undefined;
    return derOctetString(decodeDer(derBitStringBytes(key, 'spki.key'), 'spki.key'), 'spki.key');
  } catch {
    return undefined;
  }
}

function hasEku(cert: ParsedCertificate, eku: string): boolean {
  const ext = findExtension(cert, '2.5.29.37');
  if (ext === undefined) return false;
  try {
    return derSequence(decodeDer(ext.value, 'eku'), 'eku', 1, 16, TAG.SEQUENCE).some(
      (e) => derOid(e, 'eku') === eku,
    );
  } catch {
    return false;
  }
}

/**
 * Verifies one signer's signature over the claims; pushes a failure unless it verifies.
 * @returns whether the signature verified (the EKU is a failure of its own).
 */
export async function checkSigner(
  signer: C4aSigner,
  cert: ParsedCertificate,
  claimsDer: Uint8Array,
  index: number,
  failures: AttestationFailure[],
): Promise<boolean> {
  const who = `signer ${index} '${cert.subject}'`;
  if (!hasEku(cert, ASSERTION_AUTHORITY_EKU)) {
    failures.push(
      failure(
        'ATTEST_EXTENSION_INVALID',
        `${who} lacks the assertion-authority EKU ${ASSERTION_AUTHORITY_EKU}`,
      ),
    );
  }
  if (signer.algorithm.oid === HSS_OID) {
    const key = hssPublicKey(cert.spki);
    if (signer.algorithm.parameters !== undefined || key === undefined) {
      failures.push(failure('ATTEST_ALGORITHM_UNSUPPORTED', `${who}: not an HSS key and signature`));
      return false;
    }
    if (!verifyHss(key, claimsDer, signer.signature)) {
      failures.push(
        failure('ATTEST_SIGNATURE_INVALID', `${who}: the HSS signature over the claims does not verify`),
      );
      return false;
    }
    return true;
  }
  const check = await verifySignature(signer.algorithm, cert.spki, claimsDer, signer.signature);
  if (!check.ok) failures.push(failure(check.code, `${who}: the signature over the claims: ${check.reason}`));
  return check.ok;
}
