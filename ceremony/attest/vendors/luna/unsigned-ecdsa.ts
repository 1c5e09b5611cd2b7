/**
 * A diagnosis, not a loosening: Luna firmware writes the r and s of an ECDSA signature as
 * *unsigned* big-endian INTEGER contents, without the leading 0x00 that DER needs when the top bit
 * is set (X.690 §8.3). Such an INTEGER is negative, so the ECDSA-Sig-Value is invalid and the
 * signature is refused (OpenSSL gives "certificate signature failure"; the ECC sample's proof-of-origin
 * certificate is one).
 *
 * This module only explains the refusal: it reads r and s as unsigned and says whether the
 * signature *would* verify under the issuer's key, so that the reason an auditor reads is precise.
 * The signature stays refused (ATTEST_SIGNATURE_INVALID): accepting it would need a named chain
 * deviation in x509/, which this format does not have.
 *
 * Portable: no `node:` imports.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import type { DerElement } from '../../x509/der.js';
import { TAG, decodeDer, derSequence, expectTag } from '../../x509/der.js';
import { parseSpki } from '../../x509/spki.js';

const HASHES: Readonly<Record<string, (m: Uint8Array) => Uint8Array>> = {
  '1.2.840.10045.4.3.2': sha256,
  '1.2.840.10045.4.3.3': sha384,
  '1.2.840.10045.4.3.4': sha512,
};
const CURVES = { 'P-256': [p256, 32], 'P-384': [p384, 48], 'P-521': [p521, 66] } as const;

/**
 * When `cert`'s ECDSA signature has an r or s INTEGER with its top bit set and no sign octet,
 * a sentence saying so and whether, read as unsigned, it verifies under `issuer`; else undefined.
 */
export function explainUnsignedEcdsa(cert: ParsedCertificate, issuer: ParsedCertificate): string | undefined {
  const hash = HASHES[cert.signatureAlgorithm.oid];
  if (hash === undefined) return undefined;
  let ints: DerElement[];
  try {
    ints = derSequence(decodeDer(cert.signature, 'signature'), 'signature', 2, 2);
    ints.forEach((e) => expectTag(e, TAG.INTEGER, 'signature'));
  } catch {
    return undefined;
  }
  if (!ints.some((e) => (e.content[0] ?? 0) >= 0x80)) return undefined;
  let verifies = false;
  try {
    const key = parseSpki(issuer.spki, 'issuer');
    if (key.type === 'ec') {
      const [curve, size] = CURVES[key.curve];
      const raw = new Uint8Array(2 * size);
      ints.forEach((e, i) => {
        if (e.content.length > size) throw new Error('too long');
        raw.set(e.content, (i + 1) * size - e.content.length);
      });
      verifies = curve.verify(raw, hash(cert.tbs), key.publicKey, { prehash: false, lowS: false });
    }
  } catch {
    verifies = false;
  }
  return (
    `its ECDSA-Sig-Value encodes r or s as a negative INTEGER (unsigned bytes without the DER sign octet); ` +
    `read as unsigned, the signature ${verifies ? 'would verify' : 'still does not verify'} under '${issuer.subject}', ` +
    'but that encoding is not accepted'
  );
}
