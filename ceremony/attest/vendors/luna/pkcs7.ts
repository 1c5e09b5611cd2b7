/**
 * The container of a Luna Public Key Confirmation: a DER PKCS#7 (RFC 2315 §9) "certs-only"
 * SignedData: version 1, no digest algorithms, empty `data` content, the certificates, no CRLs, no
 * signer infos. Every field is checked, so a bundle has one encoding.
 *
 * One rule break is recorded rather than refused: Luna writes the certificates in chain order
 * (leaf first), not in the ascending order DER requires of a SET OF (X.690 §11.6). The RSA sample
 * shows it; the format accepts it by name (`unsorted-certificate-set`).
 *
 * Portable: no `node:` imports.
 */
import { compareBytes } from '../../../codec/index.js';
import type { DerElement } from '../../x509/der.js';
import { TAG, decodeDer, derError, derSequence, expectTag } from '../../x509/der.js';
import { derInteger, derOid } from '../../x509/der-values.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const DATA = '1.2.840.113549.1.7.1';
/** Most certificates a bundle may hold (Luna writes 3 or 5). */
const MAX_CERTIFICATES = 8;
/** Bound on a bundle's size. */
export const MAX_BUNDLE_BYTES = 64 * 1024;

/** The certificates of a bundle, in bundle order, and the rule breaks found. */
export interface Pkcs7Certificates {
  certificates: Uint8Array[];
  irregularities: 'unsorted-certificate-set'[];
}

/**
 * Parses a certs-only PKCS#7 bundle.
 *
 * @throws MalformedError `ATTEST_MALFORMED` naming the field.
 */
export function parseCertsOnly(der: Uint8Array): Pkcs7Certificates {
  const f = 'statement';
  if (der.length > MAX_BUNDLE_BYTES) throw derError(f, `larger than ${MAX_BUNDLE_BYTES} bytes`);
  const [type, explicit] = derSequence(decodeDer(der, f), f, 2, 2) as [DerElement, DerElement];
  if (derOid(type, `${f}.contentType`) !== SIGNED_DATA) throw derError(`${f}.contentType`, 'not signedData');
  const [signedData] = derSequence(explicit, `${f}.content`, 1, 1, 0xa0) as [DerElement];
  const items = derSequence(signedData, `${f}.signedData`, 5, 5);
  const [version, digests, content, certs, signers] = items as [
    DerElement,
    DerElement,
    DerElement,
    DerElement,
    DerElement,
  ];
  if (derInteger(version, `${f}.signedData.version`) !== 1n)
    throw derError(`${f}.signedData.version`, 'want 1');
  derSequence(digests, `${f}.signedData.digestAlgorithms`, 0, 0, TAG.SET);
  const [contentType] = derSequence(content, `${f}.signedData.contentInfo`, 1, 1) as [DerElement];
  if (derOid(contentType, `${f}.signedData.contentInfo.contentType`) !== DATA) {
    throw derError(`${f}.signedData.contentInfo`, 'content type is not data');
  }
  expectTag(certs, 0xa0, `${f}.signedData.certificates`);
  const list = derSequence(certs, `${f}.signedData.certificates`, 1, MAX_CERTIFICATES, 0xa0);
  derSequence(signers, `${f}.signedData.signerInfos`, 0, 0, TAG.SET);
  const certificates = list.map((c, i) => {
    expectTag(c, TAG.SEQUENCE, `${f}.signedData.certificates[${i}]`);
    return c.bytes;
  });
  const sorted = certificates.every((c, i) => i === 0 || compareBytes(certificates[i - 1]!, c) <= 0);
  return { certificates, irregularities: sorted ? [] : ['unsorted-certificate-set'] };
}
