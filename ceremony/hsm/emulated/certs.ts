/**
 * The three certificates of the `emulated-x509/v1` profile (docs/attestation.md, "emulated-x509/v1
 * certificate profile"): the emulated vendor root, a device certificate, and one key attestation
 * certificate per generated key (the YubiHSM 2 model: vendor root → device attestation key → key).
 * Built with ceremony/attest/emulated/build.ts; signed through a {@link CertificateSigner}.
 *
 * Only the ASN.1 packages (@peculiar/asn1-x509, -schema) are used: @peculiar/x509 itself cannot be
 * imported here, because its dependency tsyringe demands a Reflect metadata polyfill
 * (`reflect-metadata`) that the project does not install.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { Name } from '@peculiar/asn1-x509';
import {
  KeyUsageFlags,
  NO_EXPIRY,
  buildName,
  deviceExtensions,
  emulatedMarkerExtension,
  issueCertificate,
  keyExtensions,
} from '../../attest/emulated/build.js';
import type {
  CertificateSigner,
  EmulatedDeviceFacts,
  EmulatedKeyFacts,
} from '../../attest/emulated/build.js';
import { EMULATED_MARKER_TEXT } from '../../attest/emulated/oids.js';

export type { CertificateSigner } from '../../attest/emulated/build.js';

/** The subject of a certificate (DER), to become the issuer of the next one down. */
export function subjectOf(certDer: Uint8Array): Name {
  return AsnConvert.parse(certDer, Certificate).tbsCertificate.subject;
}

/** The DER SubjectPublicKeyInfo of a certificate (DER). */
export function spkiOfCertificate(certDer: Uint8Array): Uint8Array {
  return new Uint8Array(
    AsnConvert.serialize(AsnConvert.parse(certDer, Certificate).tbsCertificate.subjectPublicKeyInfo),
  );
}

/** Subject CN of an emulated vendor root: always says EMULATED. */
export function vendorRootCommonName(vendorName: string): string {
  return `${vendorName} EMULATED Vendor Root CA`;
}

/**
 * The self-signed vendor root: CN = "<name> EMULATED Vendor Root CA", O = "EMULATED - not
 * hardware"; CA:TRUE (no path length limit), keyCertSign | cRLSign; the emulatedMarker extension.
 * Precondition: `signer` holds the root key itself.
 */
export async function buildVendorRoot(
  vendorName: string,
  signer: CertificateSigner,
  now: Date,
): Promise<Uint8Array> {
  const name = buildName({
    commonName: vendorRootCommonName(vendorName),
    organization: EMULATED_MARKER_TEXT,
  });
  return issueCertificate(
    {
      issuer: name,
      subject: name,
      notBefore: now,
      notAfter: NO_EXPIRY,
      subjectSpki: signer.spki,
      ca: {},
      keyUsage: KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign,
      extensions: [emulatedMarkerExtension()],
    },
    signer,
  );
}

/**
 * A device certificate, issued by the vendor root to the device attestation key:
 * CN = "EMULATED HSM <serial>", O = "EMULATED - not hardware", serialNumber = <serial>;
 * CA:TRUE pathLen 0, keyCertSign; deviceSerial, firmwareVersion, deviceModel, emulatedMarker.
 */
export async function buildDeviceCertificate(o: {
  rootDer: Uint8Array;
  device: EmulatedDeviceFacts;
  deviceSpki: Uint8Array;
  signer: CertificateSigner;
  now: Date;
}): Promise<Uint8Array> {
  return issueCertificate(
    {
      issuer: subjectOf(o.rootDer),
      subject: buildName({
        commonName: `EMULATED HSM ${o.device.serial}`,
        organization: EMULATED_MARKER_TEXT,
        serialNumber: o.device.serial,
      }),
      notBefore: o.now,
      notAfter: NO_EXPIRY,
      subjectSpki: o.deviceSpki,
      ca: { pathLen: 0 },
      keyUsage: KeyUsageFlags.keyCertSign,
      extensions: deviceExtensions(o.device),
    },
    o.signer,
  );
}

/**
 * A key attestation certificate, issued by the device attestation key to a generated key:
 * CN = <key label>, O = "EMULATED - not hardware", serialNumber = <device serial>; CA:FALSE;
 * keyUsage digitalSignature for `sign`, keyAgreement for `derive`; the key extensions of build.ts.
 */
export async function buildKeyAttestationCertificate(o: {
  deviceCertDer: Uint8Array;
  device: EmulatedDeviceFacts;
  key: EmulatedKeyFacts;
  keySpki: Uint8Array;
  signer: CertificateSigner;
  now: Date;
}): Promise<Uint8Array> {
  let keyUsage = 0;
  if (o.key.usages.includes('sign')) keyUsage |= KeyUsageFlags.digitalSignature;
  if (o.key.usages.includes('derive')) keyUsage |= KeyUsageFlags.keyAgreement;
  return issueCertificate(
    {
      issuer: subjectOf(o.deviceCertDer),
      subject: buildName({
        commonName: o.key.label,
        organization: EMULATED_MARKER_TEXT,
        serialNumber: o.device.serial,
      }),
      notBefore: o.now,
      notAfter: NO_EXPIRY,
      subjectSpki: o.keySpki,
      keyUsage,
      extensions: keyExtensions(o.key, o.device),
    },
    o.signer,
  );
}
