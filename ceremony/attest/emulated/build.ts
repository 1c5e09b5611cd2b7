/**
 * Certificate-building helpers of the `emulated-x509/v1` profile (docs/attestation.md, section
 * "emulated-x509/v1 certificate profile"): distinguished names, the profile's private extensions
 * (OIDs in ./oids.ts), and {@link issueCertificate}, which assembles an X.509 v3 certificate
 * (RFC 5280 §4.1) around a TBSCertificate built with @peculiar/asn1-x509 and signs it through a
 * {@link CertificateSigner}, so the issuing key can stay inside a device.
 *
 * Every certificate is signed with ecdsa-with-SHA256 (RFC 5758 §3.2) by a P-256 key: the algorithm
 * OpenSSL 3.0's `openssl verify` accepts everywhere. Subject keys may be Ed25519, X25519 or P-256.
 *
 * Portable: no `node:` imports.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Extension,
  Extensions,
  KeyIdentifier,
  KeyUsage,
  Name,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { concatBytes } from '../../codec/index.js';
import { randomBytes, sha256 } from '../../crypto/index.js';
import { derTlv, ecdsaRawToDer } from '../x509/der-write.js';
import { EMULATED_MARKER_TEXT, OID } from './oids.js';

export { KeyUsageFlags } from '@peculiar/asn1-x509';
export type { Extension } from '@peculiar/asn1-x509';

/** ecdsa-with-SHA256 (RFC 5758 §3.2); parameters absent. */
export const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/** `notAfter` of every profile certificate: "no well-defined expiration date" (RFC 5280 §4.1.2.5). */
export const NO_EXPIRY = new Date('9999-12-31T23:59:59Z');

/** A P-256 key that signs certificates, wherever it lives (a file, a device). */
export interface CertificateSigner {
  /** DER SubjectPublicKeyInfo of the signing key (id-ecPublicKey, prime256v1). */
  readonly spki: Uint8Array;
  /** ECDSA P-256 over SHA-256(`data`); returns raw `r || s` (64 bytes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Attributes of a distinguished name, in the order they are encoded. */
export interface NameParts {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** X.520 serialNumber (PrintableString): letters, digits, space and `'()+,-./:=?` only. */
  serialNumber?: string;
}

const AT = { cn: '2.5.4.3', o: '2.5.4.10', ou: '2.5.4.11', serialNumber: '2.5.4.5' } as const;
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]+$/;

/**
 * Builds a distinguished name: CN, O, OU as UTF8String, serialNumber as PrintableString.
 * @throws Error when `serialNumber` has a character PrintableString cannot carry (a caller bug:
 *   serials are validated before they get here).
 */
export function buildName(parts: NameParts): Name {
  const rdn = (type: string, value: AttributeValue) =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })]);
  const rdns = [rdn(AT.cn, new AttributeValue({ utf8String: parts.commonName }))];
  if (parts.organization !== undefined)
    rdns.push(rdn(AT.o, new AttributeValue({ utf8String: parts.organization })));
  if (parts.organizationalUnit !== undefined)
    rdns.push(rdn(AT.ou, new AttributeValue({ utf8String: parts.organizationalUnit })));
  if (parts.serialNumber !== undefined) {
    if (!PRINTABLE.test(parts.serialNumber))
      throw new Error('buildName: serialNumber is not a PrintableString');
    rdns.push(rdn(AT.serialNumber, new AttributeValue({ printableString: parts.serialNumber })));
  }
  return new Name(rdns);
}

// --- the profile's primitive extension values, in DER (../x509/der-write.ts) ----------------

const utf8 = (s: string) => new TextEncoder().encode(s);
const derUtf8 = (s: string) => derTlv(0x0c, utf8(s));

/** GeneralizedTime `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.2: UTC, seconds, no fraction). */
function derGeneralizedTime(t: Date): Uint8Array {
  return derTlv(
    0x18,
    utf8(
      t
        .toISOString()
        .replace(/[-:T]/g, '')
        .replace(/\.\d{3}Z$/, 'Z'),
    ),
  );
}

const ext = (extnID: string, value: Uint8Array, critical = false) =>
  new Extension({ extnID, critical, extnValue: new OctetString(value) });
const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer;

/** The emulatedMarker extension: UTF8String "EMULATED - not hardware". */
export function emulatedMarkerExtension(): Extension {
  return ext(OID.emulatedMarker, derUtf8(EMULATED_MARKER_TEXT));
}

/** What device and key certificates record about the device. */
export interface EmulatedDeviceFacts {
  serial: string;
  model: string;
  firmware: string;
}

/** deviceSerial, firmwareVersion, deviceModel (UTF8String each), then emulatedMarker. */
export function deviceExtensions(d: EmulatedDeviceFacts): Extension[] {
  return [
    ext(OID.deviceSerial, derUtf8(d.serial)),
    ext(OID.firmwareVersion, derUtf8(d.firmware)),
    ext(OID.deviceModel, derUtf8(d.model)),
    emulatedMarkerExtension(),
  ];
}

/** What a key attestation certificate records about the key. */
export interface EmulatedKeyFacts {
  label: string;
  /** As in hsm/types.ts KeyAlgorithm (not imported: attest/ sits below hsm/). */
  algorithm: 'ed25519' | 'p256' | 'x25519';
  usages: readonly ('sign' | 'derive')[];
  origin: 'generated' | 'imported';
  exportable: boolean;
  sensitive: boolean;
  generationTime: Date;
  challenge: Uint8Array;
}

/**
 * The key certificate's private extensions, in OID order: keyOrigin (ENUMERATED), exportable and
 * sensitive (BOOLEAN), usages (SEQUENCE OF UTF8String), generationTime (GeneralizedTime), challenge
 * (OCTET STRING), keyAlgorithm and keyLabel (UTF8String), then {@link deviceExtensions}.
 */
export function keyExtensions(k: EmulatedKeyFacts, d: EmulatedDeviceFacts): Extension[] {
  const bool = (b: boolean) => derTlv(0x01, Uint8Array.of(b ? 0xff : 0x00));
  const [serial, firmware, model, marker] = deviceExtensions(d);
  return [
    ext(OID.keyOrigin, derTlv(0x0a, Uint8Array.of(k.origin === 'generated' ? 0 : 1))),
    ext(OID.exportable, bool(k.exportable)),
    ext(OID.sensitive, bool(k.sensitive)),
    ext(OID.usages, derTlv(0x30, concatBytes(...k.usages.map(derUtf8)))),
    ext(OID.generationTime, derGeneralizedTime(k.generationTime)),
    ext(OID.challenge, derTlv(0x04, k.challenge)),
    ext(OID.keyAlgorithm, derUtf8(k.algorithm)),
    ext(OID.keyLabel, derUtf8(k.label)),
    serial!,
    firmware!,
    model!,
    marker!,
  ];
}

/** What {@link issueCertificate} needs; see RFC 5280 §4.1 for each field. */
export interface CertificateTemplate {
  issuer: Name;
  subject: Name;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  subjectSpki: Uint8Array;
  /** `undefined`: an end-entity certificate (CA:FALSE); else CA:TRUE with this pathLen (if set). */
  ca?: { pathLen?: number };
  /** KeyUsageFlags bits; the keyUsage extension is critical. */
  keyUsage: number;
  /** The profile's private extensions, appended after the standard ones. */
  extensions: Extension[];
}

/** RFC 7093 §2 method 1: the leftmost 160 bits of SHA-256 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  return sha256(new Uint8Array(spki.subjectPublicKey)).slice(0, 20);
}

/**
 * Builds, signs and returns the DER of an X.509 v3 certificate. The serial number is 16 random
 * bytes (positive, RFC 5280 §4.1.2.2); basicConstraints and keyUsage are critical; the subject and
 * authority key identifiers follow RFC 7093 §2 method 1.
 * @throws whatever `signer.sign` throws; Error if the signature is not 64 bytes.
 */
export async function issueCertificate(
  t: CertificateTemplate,
  signer: CertificateSigner,
): Promise<Uint8Array> {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and exactly 16 bytes long
  const basic = new BasicConstraints(
    t.ca === undefined ? { cA: false } : { cA: true, pathLenConstraint: t.ca.pathLen },
  );
  const aki = new AuthorityKeyIdentifier({
    keyIdentifier: new KeyIdentifier(ab(keyIdentifier(signer.spki))),
  });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: ab(serial),
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    issuer: t.issuer,
    validity: new Validity({ notBefore: t.notBefore, notAfter: t.notAfter }),
    subject: t.subject,
    subjectPublicKeyInfo: AsnConvert.parse(t.subjectSpki, SubjectPublicKeyInfo),
    extensions: new Extensions([
      ext(id_ce_basicConstraints, new Uint8Array(AsnConvert.serialize(basic)), true),
      ext(id_ce_keyUsage, new Uint8Array(AsnConvert.serialize(new KeyUsage(t.keyUsage))), true),
      ext(
        id_ce_subjectKeyIdentifier,
        new Uint8Array(AsnConvert.serialize(new SubjectKeyIdentifier(ab(keyIdentifier(t.subjectSpki))))),
      ),
      ext(id_ce_authorityKeyIdentifier, new Uint8Array(AsnConvert.serialize(aki))),
      ...t.extensions,
    ]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const algDer = new Uint8Array(
    AsnConvert.serialize(new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 })),
  );
  const sig = ecdsaRawToDer(await signer.sign(tbsDer));
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }.
  // Assembled by hand so the signed TBS bytes are exactly the bytes in the certificate.
  const bitString = derTlv(0x03, concatBytes(Uint8Array.of(0), sig));
  return derTlv(0x30, concatBytes(tbsDer, algDer, bitString));
}
