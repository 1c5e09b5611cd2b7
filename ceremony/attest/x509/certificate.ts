/**
 * A strict X.509 certificate parser (RFC 5280 §4.1) that keeps the exact bytes that were signed.
 *
 * The parser walks the DER itself (./der.ts) so that the to-be-signed bytes are the ones in the
 * file, not a re-encoding, and so that every structural rule is checked: DER lengths, version
 * (explicit v1 refused), extensions only in v3 and each OID at most once (§4.2), the inner and
 * outer signature algorithms identical (§4.1.1.2), a signature BIT STRING without unused bits, a
 * serial of at most 20 octets that is not negative (§4.1.2.2).
 *
 * Three rule breaks seen in real vendor certificates are *recorded* rather than thrown, so that a
 * format can accept them by name (./deviations.ts): `zero-serial`, `explicit-critical-false`,
 * `ecdsa-null-parameters`. The chain verifier refuses them unless the format allows them.
 *
 * Portable: no `node:` imports, no `Buffer`.
 */
import type { ChainDeviation } from './deviations.js';
import type { DerElement } from './der.js';
import { equalBytes } from '../../codec/index.js';
import { decodeDer, derError, derSequence } from './der.js';
import { nameToString } from './name.js';
import {
  derBitStringBytes,
  derBoolean,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derTime,
} from './der-values.js';

/** An AlgorithmIdentifier: its OID and, when present, the parameters TLV. */
export interface AlgorithmId {
  oid: string;
  parameters?: DerElement;
}

/** One extension as encoded (RFC 5280 §4.1). */
export interface CertificateExtension {
  oid: string;
  critical: boolean;
  /** The content of extnValue: the DER of the extension's own value. */
  value: Uint8Array;
}

/** A parsed certificate; byte fields are views into `der`. */
export interface ParsedCertificate {
  /** The whole certificate. */
  der: Uint8Array;
  /** The tbsCertificate TLV exactly as encoded: what the issuer signed. */
  tbs: Uint8Array;
  version: 1 | 2 | 3;
  serialNumber: bigint;
  signatureAlgorithm: AlgorithmId;
  /** RFC 4514 rendering of the issuer and subject (for reasons and results). */
  issuer: string;
  subject: string;
  /** DER of the issuer and subject Names (path building compares these bytes). */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The SubjectPublicKeyInfo TLV. */
  spki: Uint8Array;
  extensions: CertificateExtension[];
  /** The signature value (BIT STRING content without the unused-bits octet). */
  signature: Uint8Array;
  /** Rule breaks found while parsing, each accepted only if a format names it. */
  irregularities: ChainDeviation[];
}

/** RFC 5280 §4.1.2.2: serial numbers are at most 20 octets. */
const MAX_SERIAL_OCTETS = 20;
/** Bound on a certificate's size; real attestation certificates are 0.5–8 KiB. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;
const ECDSA_OIDS = new Set(['1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4']);

/**
 * Parses one DER certificate.
 *
 * @param field dotted path used in error messages, e.g. `chain[0]`.
 * @throws MalformedError `ATTEST_MALFORMED` naming the offending field.
 */
export function parseCertificate(der: Uint8Array, field: string): ParsedCertificate {
  if (der.length > MAX_CERTIFICATE_BYTES)
    throw derError(field, `certificate larger than ${MAX_CERTIFICATE_BYTES} bytes`);
  const [tbsEl, outerAlgEl, sigEl] = derSequence(decodeDer(der, field), field, 3, 3) as [
    DerElement,
    DerElement,
    DerElement,
  ];
  const irregularities: ChainDeviation[] = [];
  const tbsItems = derSequence(tbsEl, `${field}.tbsCertificate`, 6, 10);
  let i = 0;
  let version: 1 | 2 | 3 = 1;
  if (tbsItems[0]!.tag === 0xa0) {
    const [v] = derSequence(tbsItems[0]!, `${field}.version`, 1, 1, 0xa0);
    const n = derInteger(v!, `${field}.version`);
    if (n !== 1n && n !== 2n)
      throw derError(`${field}.version`, `version ${n} is not v2 or v3 (v1 is written by omission)`);
    version = n === 1n ? 2 : 3;
    i = 1;
  }
  const at = (name: string): DerElement => {
    const el = tbsItems[i++];
    if (el === undefined) throw derError(`${field}.${name}`, 'missing');
    return el;
  };
  const serialNumber = parseSerial(at('serialNumber'), `${field}.serialNumber`, irregularities);
  const innerAlg = at('signature');
  const issuerEl = at('issuer');
  const validity = derSequence(at('validity'), `${field}.validity`, 2, 2);
  const subjectEl = at('subject');
  const spkiEl = at('subjectPublicKeyInfo');
  derSequence(spkiEl, `${field}.subjectPublicKeyInfo`, 2, 2);
  let extensions: CertificateExtension[] = [];
  for (const el of tbsItems.slice(i)) {
    if (el.tag === 0x81 || el.tag === 0x82) {
      if (version === 1) throw derError(`${field}.uniqueID`, 'unique identifiers need v2 or v3');
      if (extensions.length > 0)
        throw derError(`${field}.uniqueID`, 'unique identifier after the extensions');
    } else if (el.tag === 0xa3) {
      if (version !== 3) throw derError(`${field}.extensions`, 'extensions need a v3 certificate');
      extensions = parseExtensions(el, `${field}.extensions`, irregularities);
    } else {
      throw derError(`${field}.tbsCertificate`, `unexpected element with tag 0x${el.tag.toString(16)}`);
    }
  }
  if (!equalBytes(innerAlg.bytes, outerAlgEl.bytes)) {
    throw derError(
      `${field}.signatureAlgorithm`,
      'differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)',
    );
  }
  const signatureAlgorithm = parseAlgorithmId(outerAlgEl, `${field}.signatureAlgorithm`);
  if (ECDSA_OIDS.has(signatureAlgorithm.oid) && signatureAlgorithm.parameters !== undefined) {
    derNull(signatureAlgorithm.parameters, `${field}.signatureAlgorithm.parameters`);
    irregularities.push('ecdsa-null-parameters');
  }
  return {
    der,
    tbs: tbsEl.bytes,
    version,
    serialNumber,
    signatureAlgorithm,
    issuer: nameToString(issuerEl, `${field}.issuer`),
    subject: nameToString(subjectEl, `${field}.subject`),
    issuerDer: issuerEl.bytes,
    subjectDer: subjectEl.bytes,
    notBefore: derTime(validity[0]!, `${field}.validity.notBefore`),
    notAfter: derTime(validity[1]!, `${field}.validity.notAfter`),
    spki: spkiEl.bytes,
    extensions,
    signature: derBitStringBytes(sigEl, `${field}.signatureValue`),
    irregularities,
  };
}

function parseSerial(el: DerElement, field: string, irregularities: ChainDeviation[]): bigint {
  const serial = derInteger(el, field);
  // The limit is on the value: a 20-octet serial with its top bit set needs a 21st (sign) octet.
  const octets = el.content[0] === 0 ? el.content.length - 1 : el.content.length;
  if (octets > MAX_SERIAL_OCTETS) throw derError(field, `serial longer than ${MAX_SERIAL_OCTETS} octets`);
  if (serial < 0n) throw derError(field, 'serial number is negative');
  if (serial === 0n) irregularities.push('zero-serial');
  return serial;
}

/** Parses an AlgorithmIdentifier (RFC 5280 §4.1.1.2). */
export function parseAlgorithmId(el: DerElement, field: string): AlgorithmId {
  const items = derSequence(el, field, 1, 2);
  const oid = derOid(items[0]!, `${field}.algorithm`);
  return items[1] === undefined ? { oid } : { oid, parameters: items[1] };
}

function parseExtensions(
  el: DerElement,
  field: string,
  irregularities: ChainDeviation[],
): CertificateExtension[] {
  const [seq] = derSequence(el, field, 1, 1, 0xa3);
  const out: CertificateExtension[] = [];
  derSequence(seq!, field, 1).forEach((extEl, n) => {
    const f = `${field}[${n}]`;
    const items = derSequence(extEl, f, 2, 3);
    const oid = derOid(items[0]!, `${f}.extnID`);
    let critical = false;
    if (items.length === 3) {
      critical = derBoolean(items[1]!, `${f}.critical`);
      if (!critical && !irregularities.includes('explicit-critical-false'))
        irregularities.push('explicit-critical-false');
    }
    const value = derOctetString(items[items.length - 1]!, `${f}.extnValue`);
    if (out.some((e) => e.oid === oid)) throw derError(f, `extension ${oid} appears twice (RFC 5280 §4.2)`);
    out.push({ oid, critical, value });
  });
  return out;
}

/** The extension with this OID, or undefined (OIDs are unique per certificate). */
export function findExtension(cert: ParsedCertificate, oid: string): CertificateExtension | undefined {
  return cert.extensions.find((e) => e.oid === oid);
}
