/**
 * The YubiHSM 2 key attestation extensions (Yubico, "YubiHSM 2 Attestation"; OID arc
 * 1.3.6.1.4.1.41482.4), read strictly: each at most once, exactly its ASN.1 type, exact sizes.
 *
 * | OID  | field        | ASN.1                        | meaning                                     |
 * | ---- | ------------ | ---------------------------- | ------------------------------------------- |
 * | .4.1 | firmware     | OCTET STRING (3)             | major, minor, patch                         |
 * | .4.2 | serial       | INTEGER                      | device serial                               |
 * | .4.3 | origin       | BIT STRING (8 bits)          | 0x01 generated, 0x02 imported, 0x10 wrapped |
 * | .4.4 | domains      | BIT STRING (16 bits)         | bit i (LSB first) = domain i+1              |
 * | .4.5 | capabilities | BIT STRING (64 bits)         | big-endian; bit n = capability n            |
 * | .4.6 | object id    | INTEGER (0..65535)           | the key's object id                         |
 * | .4.9 | label        | UTF8String (≤ 40 bytes)      | the key's label                             |
 *
 * Portable: no `node:` imports.
 */
import type { AttestationFailure, KeyOrigin } from '../types.js';
import type { ParsedCertificate } from '../x509/certificate.js';
import type { DerElement } from '../x509/der.js';
import { derError } from '../x509/der.js';
import { derBitStringBytes, derInteger, derOctetString, derUtf8String } from '../x509/der-values.js';
import { readExtension } from '../x509/extensions.js';
import { YUBIHSM_CAPABILITIES } from './yubihsm2-capabilities.js';

const ARC = '1.3.6.1.4.1.41482.4';
/** The YubiHSM 2 attestation extension OIDs. */
export const YUBIHSM_OID = {
  firmware: `${ARC}.1`,
  serial: `${ARC}.2`,
  origin: `${ARC}.3`,
  domains: `${ARC}.4`,
  capabilities: `${ARC}.5`,
  objectId: `${ARC}.6`,
  label: `${ARC}.9`,
} as const;

/** Capability bit 16: the key may be exported wrapped (Yubico, "Capabilities"). */
export const EXPORTABLE_UNDER_WRAP_BIT = 16n;

/** What a YubiHSM 2 key attestation certificate says; undefined where an extension failed. */
export interface YubiHsmKeyClaims {
  firmware?: string;
  serial?: string;
  /** The origin byte as written. */
  origin?: number;
  domains?: number[];
  /** The 64-bit capability set. */
  capabilities?: bigint;
  objectId?: number;
  label?: string;
}

/** `major.minor.patch` from a 3-byte OCTET STRING. */
export function firmwareOf(el: DerElement, field: string): string {
  const v = derOctetString(el, field);
  if (v.length !== 3) throw derError(field, `firmware must be 3 bytes, got ${v.length}`);
  return `${v[0]}.${v[1]}.${v[2]}`;
}

/** A positive serial number INTEGER, as decimal text. */
export function serialOf(el: DerElement, field: string): string {
  const v = derInteger(el, field);
  if (v <= 0n || v > 0xffffffffn) throw derError(field, `serial ${v} out of range`);
  return v.toString();
}

function bitStringOfSize(el: DerElement, field: string, size: number): Uint8Array {
  const bytes = derBitStringBytes(el, field);
  if (bytes.length !== size) throw derError(field, `must be ${size * 8} bits, got ${bytes.length * 8}`);
  return bytes;
}

const origin = (el: DerElement, field: string): number => bitStringOfSize(el, field, 1)[0]!;
const domains = (el: DerElement, field: string): number[] => {
  const [hi, lo] = bitStringOfSize(el, field, 2) as unknown as [number, number];
  const mask = (hi << 8) | lo;
  return Array.from({ length: 16 }, (_, i) => i)
    .filter((i) => (mask >> i) & 1)
    .map((i) => i + 1);
};
const capabilities = (el: DerElement, field: string): bigint =>
  bitStringOfSize(el, field, 8).reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
const objectId = (el: DerElement, field: string): number => {
  const v = derInteger(el, field);
  if (v < 0n || v > 0xffffn) throw derError(field, `object id ${v} out of range`);
  return Number(v);
};
const label = (el: DerElement, field: string): string => {
  const s = derUtf8String(el, field);
  if (new TextEncoder().encode(s).length > 40) throw derError(field, 'label longer than 40 bytes');
  return s;
};

const spec = (name: keyof typeof YUBIHSM_OID) => ({ oid: YUBIHSM_OID[name], name, required: true });

/** Reads every key attestation extension; all are required (a missing one is a failure). */
export function readYubiHsmKeyClaims(
  cert: ParsedCertificate,
  failures: AttestationFailure[],
): YubiHsmKeyClaims {
  return {
    ...readYubiHsmDeviceClaims(cert, failures),
    origin: readExtension(cert, spec('origin'), origin, failures),
    domains: readExtension(cert, spec('domains'), domains, failures),
    capabilities: readExtension(cert, spec('capabilities'), capabilities, failures),
    objectId: readExtension(cert, spec('objectId'), objectId, failures),
    label: readExtension(cert, spec('label'), label, failures),
  };
}

/** The device certificate's firmware and serial (both required). */
export function readYubiHsmDeviceClaims(
  cert: ParsedCertificate,
  failures: AttestationFailure[],
): YubiHsmKeyClaims {
  return {
    firmware: readExtension(cert, spec('firmware'), firmwareOf, failures),
    serial: readExtension(cert, spec('serial'), serialOf, failures),
  };
}

/**
 * The key origin an origin byte means (Yubico, "Origin"): 0x01 generated here; 0x02 imported in
 * plaintext; 0x10 is the imported-under-wrap flag, so 0x11 is a key generated in another YubiHSM
 * and moved here under wrap (`replicated`) and 0x12 one imported elsewhere and then moved
 * (`imported`). Anything else is `unknown`.
 */
export function yubiHsmOrigin(byte: number | undefined): KeyOrigin {
  switch (byte) {
    case 0x01:
      return 'generated';
    case 0x02:
    case 0x12:
      return 'imported';
    case 0x11:
      return 'replicated';
    default:
      return 'unknown';
  }
}

/** The names of the capabilities set in `set`, lowest bit first (`capability-<n>` if unnamed). */
export function capabilityNames(set: bigint): string[] {
  const out: string[] = [];
  for (let n = 0; n < 64; n++) {
    if ((set >> BigInt(n)) & 1n) out.push(YUBIHSM_CAPABILITIES[n] ?? `capability-${n}`);
  }
  return out;
}
