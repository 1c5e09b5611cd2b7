/**
 * Independent `emulated-x509/v1` fixtures, written with ./cert-write.ts and WebCrypto (not with the
 * project's own builder, so the verifier is checked against a second implementation of the
 * profile): a P-256 emulated vendor root, a device certificate (CA, pathLen 0) for a P-256 device
 * attestation key, and key attestation certificates whose extension list a test can change.
 */
import { pemEncode } from '../../../../ceremony/codec/index.js';
import { EMULATED_MARKER_TEXT, OID } from '../../../../ceremony/attest/emulated/oids.js';
import type { ExtSpec, TestSigner } from './cert-write.js';
import { newSigner, writeCert } from './cert-write.js';
import { bool, enumerated, generalizedTime, integer, octets, seq, tlv, utf8 } from './der-write.js';

export type { ExtSpec } from './cert-write.js';

/** A certificate, its subject CN and the signer holding its key. */
export interface Issued {
  der: Uint8Array;
  cn: string;
  signer: TestSigner;
}

export const DEVICE = { serial: 'EMU-0001', firmware: '1.0.0', model: 'Emulated HSM' } as const;
export const CHALLENGE = new Uint8Array(32).map((_, i) => i + 1);
export const GENERATED_AT = new Date('2026-01-02T03:04:05Z');
export const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
export const NOT_AFTER = new Date('9999-12-31T23:59:59Z');
/** A time inside every fixture's validity. */
export const NOW = new Date('2026-06-01T00:00:00Z');

/** basicConstraints (critical): CA with optional pathLen, or end entity. */
export const basicConstraints = (ca: boolean, pathLen?: number): ExtSpec => ({
  oid: '2.5.29.19',
  critical: true,
  value: seq(...(ca ? [bool(true)] : []), ...(pathLen === undefined ? [] : [integer(pathLen)])),
});
/** keyUsage (critical) with the given bit numbers set (0 = digitalSignature, 5 = keyCertSign). */
export const keyUsage = (...bits: number[]): ExtSpec => {
  const byte = bits.reduce((acc, b) => acc | (0x80 >> b), 0);
  const unused = byte === 0 ? 0 : Math.min(7, Math.max(0, 7 - Math.max(...bits)));
  return { oid: '2.5.29.15', critical: true, value: tlv(0x03, [unused, byte]) };
};
const marker = (): ExtSpec => ({ oid: OID.emulatedMarker, value: utf8(EMULATED_MARKER_TEXT) });

/** A self-signed emulated vendor root (CN says EMULATED, marker extension) unless told otherwise. */
export async function makeRoot(o: { cn?: string; marker?: boolean; notAfter?: Date } = {}): Promise<Issued> {
  const signer = await newSigner('p256');
  const cn = o.cn ?? 'test EMULATED Vendor Root CA';
  const der = await writeCert(
    {
      subject: cn,
      issuer: cn,
      notBefore: NOT_BEFORE,
      notAfter: o.notAfter ?? NOT_AFTER,
      spki: signer.spki,
      extensions: [basicConstraints(true), keyUsage(5, 6), ...(o.marker === false ? [] : [marker()])],
    },
    signer,
  );
  return { der, cn, signer };
}

/** The device certificate's private extensions. */
export function deviceExtensions(d: { serial: string; firmware: string; model: string } = DEVICE): ExtSpec[] {
  return [
    { oid: OID.deviceSerial, value: utf8(d.serial) },
    { oid: OID.firmwareVersion, value: utf8(d.firmware) },
    { oid: OID.deviceModel, value: utf8(d.model) },
    marker(),
  ];
}

/** A device certificate (CA, pathLen 0, keyCertSign) for a fresh P-256 device attestation key. */
export async function makeDevice(
  root: Issued,
  o: { extensions?: ExtSpec[]; pathLen?: number | null; notAfter?: Date } = {},
): Promise<Issued> {
  const signer = await newSigner('p256');
  const cn = `EMULATED HSM ${DEVICE.serial}`;
  const der = await writeCert(
    {
      subject: cn,
      issuer: root.cn,
      notBefore: NOT_BEFORE,
      notAfter: o.notAfter ?? NOT_AFTER,
      spki: signer.spki,
      extensions: [
        basicConstraints(true, o.pathLen === null ? undefined : (o.pathLen ?? 0)),
        keyUsage(5),
        ...(o.extensions ?? deviceExtensions()),
      ],
    },
    root.signer,
  );
  return { der, cn, signer };
}

/** The facts a key certificate carries, as the defaults of {@link keyExtensions}. */
export interface KeyFacts {
  algorithm: 'ed25519' | 'p256' | 'x25519';
  usages: string[];
  origin: number;
  exportable: boolean;
  sensitive: boolean;
  challenge: Uint8Array;
  label: string;
}

export const KEY_FACTS: KeyFacts = {
  algorithm: 'p256',
  usages: ['sign'],
  origin: 0,
  exportable: false,
  sensitive: true,
  challenge: CHALLENGE,
  label: 'fleet-key-1',
};

/** The twelve extensions of a key attestation certificate, in the profile's order. */
export function keyExtensions(k: Partial<KeyFacts> = {}): ExtSpec[] {
  const f = { ...KEY_FACTS, ...k };
  return [
    { oid: OID.keyOrigin, value: enumerated(f.origin) },
    { oid: OID.exportable, value: bool(f.exportable) },
    { oid: OID.sensitive, value: bool(f.sensitive) },
    { oid: OID.usages, value: seq(...f.usages.map(utf8)) },
    { oid: OID.generationTime, value: generalizedTime(GENERATED_AT) },
    { oid: OID.challenge, value: octets(f.challenge) },
    { oid: OID.keyAlgorithm, value: utf8(f.algorithm) },
    { oid: OID.keyLabel, value: utf8(f.label) },
    ...deviceExtensions(),
  ];
}

/** A fresh attested key's SPKI (DER). */
export async function makeKeySpki(algorithm: KeyFacts['algorithm']): Promise<Uint8Array> {
  const params =
    algorithm === 'p256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: algorithm === 'ed25519' ? 'Ed25519' : 'X25519' };
  const usages: KeyUsage[] = algorithm === 'x25519' ? ['deriveBits'] : ['sign', 'verify'];
  const pair = (await crypto.subtle.generateKey(params, true, usages)) as CryptoKeyPair;
  return new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
}

/** A key attestation certificate issued by `device` for `spki`, with `extensions`. */
export async function makeKeyCert(
  device: Issued,
  spki: Uint8Array,
  o: { extensions?: ExtSpec[]; notBefore?: Date; notAfter?: Date; ca?: boolean } = {},
): Promise<Uint8Array> {
  return writeCert(
    {
      subject: 'fleet-key-1',
      issuer: device.cn,
      notBefore: o.notBefore ?? NOT_BEFORE,
      notAfter: o.notAfter ?? NOT_AFTER,
      spki,
      extensions: [basicConstraints(o.ca ?? false), keyUsage(0), ...(o.extensions ?? keyExtensions())],
    },
    device.signer,
  );
}

/** PEM text of a DER certificate (for openssl). */
export const toPem = (der: Uint8Array): string => pemEncode('CERTIFICATE', der);
