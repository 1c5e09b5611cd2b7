/**
 * Our strict certificate parser (ceremony/attest/x509/certificate.ts) against an independent one:
 * every certificate in the attestation vectors is parsed by both, and they must agree on every
 * field the verifiers read. The reference is @peculiar/asn1-x509's schema through
 * @peculiar/asn1-schema (asn1js underneath), which parses BER leniently; where a certificate
 * breaks DER, the two re-encodings are compared only after ours has recorded the named deviation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../../ceremony/attest/x509/certificate.js';
import { hexEncode, pemDecodeAll } from '../../../../ceremony/codec/index.js';
import { VECTORS } from '../support/vectors.js';

/** Every CERTIFICATE block of every PEM file under the vectors folder, deduplicated. */
function vectorCertificates(): { name: string; der: Uint8Array }[] {
  const out = new Map<string, { name: string; der: Uint8Array }>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(pem|crt)$/.test(entry)) {
        const text = readFileSync(path, 'utf8');
        if (!text.includes('BEGIN CERTIFICATE')) continue;
        const blocks = pemDecodeAll(text, 'CERTIFICATE', { lax: true, field: entry });
        blocks.forEach((b, i) =>
          out.set(hexEncode(b.der), { name: `${relative(VECTORS, path)}[${i}]`, der: b.der }),
        );
      }
    }
  };
  walk(VECTORS);
  return [...out.values()];
}

const bigintOf = (bytes: ArrayBuffer): bigint =>
  [...new Uint8Array(bytes)].reduce((n, b) => (n << 8n) | BigInt(b), 0n);
const der = (value: object): string => hexEncode(new Uint8Array(AsnConvert.serialize(value)));

const certificates = vectorCertificates();

describe('the strict X.509 parser agrees with @peculiar/asn1-x509 on every vector certificate', () => {
  it('finds the vectors’ certificates', () => {
    expect(certificates.length).toBeGreaterThanOrEqual(40);
  });

  it.each(certificates.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const ours = parseCertificate(c.der, 'certificate');
    const ref = AsnConvert.parse(c.der, Certificate);
    const tbs = ref.tbsCertificate;
    // A zero or negative serial is read the same way; ours records `zero-serial` for 0.
    expect(ours.serialNumber).toBe(bigintOf(tbs.serialNumber));
    expect(ours.version).toBe(tbs.version + 1);
    expect(ours.signatureAlgorithm.oid).toBe(ref.signatureAlgorithm.algorithm);
    expect(ours.notBefore.getTime()).toBe(tbs.validity.notBefore.getTime().getTime());
    expect(ours.notAfter.getTime()).toBe(tbs.validity.notAfter.getTime().getTime());
    expect(hexEncode(ours.issuerDer)).toBe(der(tbs.issuer));
    expect(hexEncode(ours.subjectDer)).toBe(der(tbs.subject));
    expect(hexEncode(ours.spki)).toBe(der(tbs.subjectPublicKeyInfo));
    expect(hexEncode(ours.signature)).toBe(hexEncode(new Uint8Array(ref.signatureValue)));
    // The signed bytes: ours are the file's; the reference's re-encoding equals them unless the
    // certificate breaks DER in a way ours names (an explicit critical=FALSE is dropped by DER).
    if (!ours.irregularities.includes('explicit-critical-false')) expect(hexEncode(ours.tbs)).toBe(der(tbs));
    expect(ours.extensions.map((e) => [e.oid, e.critical, hexEncode(e.value)])).toEqual(
      (tbs.extensions ?? []).map((e) => [
        e.extnID,
        e.critical,
        hexEncode(new Uint8Array(e.extnValue.buffer)),
      ]),
    );
  });
});
