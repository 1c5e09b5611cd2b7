/**
 * Strict reading of the `emulated-x509/v1` private extensions (OIDs and ASN.1 types in ./oids.ts):
 * each extension is read at most once (the certificate parser refuses duplicates), must be
 * non-critical, must have exactly its ASN.1 type with nothing after it, and values are checked
 * against the profile (known algorithm and usage names, origin 0 or 1, non-empty bounded text).
 * A missing or bad extension adds a failure and leaves its claim undefined.
 *
 * Portable: no `node:` imports.
 */
import type { AttestationFailure } from '../types.js';
import type { ParsedCertificate } from '../x509/certificate.js';
import type { DerElement } from '../x509/der.js';
import { TAG, derError, derSequence } from '../x509/der.js';
import { derBoolean, derInteger, derOctetString, derTime, derUtf8String } from '../x509/der-values.js';
import { readExtension } from '../x509/extensions.js';
import { EMULATED_MARKER_TEXT, OID } from './oids.js';

/** Key algorithms of the profile (the same names as the Hsm interface; not imported from hsm/). */
export type KeyAlgorithm = 'ed25519' | 'p256' | 'x25519';
/** Key usages of the profile. */
export type KeyUsage = 'sign' | 'derive';

/** Longest text value accepted in a profile extension. */
const MAX_TEXT = 256;
/** Longest challenge the profile allows (docs/attestation.md: 1–256 bytes). */
export const MAX_CHALLENGE_BYTES = 256;

/** What a device certificate (and, repeated, a key certificate) says about the device. */
export interface EmulatedDeviceClaims {
  serial?: string;
  firmware?: string;
  model?: string;
}

/** What a key attestation certificate says about the key. */
export interface EmulatedKeyClaims extends EmulatedDeviceClaims {
  origin?: 'generated' | 'imported';
  exportable?: boolean;
  sensitive?: boolean;
  usages?: KeyUsage[];
  generationTime?: Date;
  challenge?: Uint8Array;
  algorithm?: KeyAlgorithm;
  label?: string;
}

const text = (el: DerElement, field: string): string => {
  const s = derUtf8String(el, field);
  if (s.length === 0 || s.length > MAX_TEXT) throw derError(field, `text must be 1-${MAX_TEXT} characters`);
  return s;
};

function oneOf<T extends string>(allowed: readonly T[]) {
  return (el: DerElement, field: string): T => {
    const s = derUtf8String(el, field);
    if (!(allowed as readonly string[]).includes(s))
      throw derError(field, `${JSON.stringify(s)} is not one of ${allowed.join(', ')}`);
    return s as T;
  };
}

const usages = (el: DerElement, field: string): KeyUsage[] => {
  const items = derSequence(el, field, 1, 2).map((u, i) =>
    oneOf<KeyUsage>(['sign', 'derive'])(u, `${field}[${i}]`),
  );
  if (new Set(items).size !== items.length) throw derError(field, 'a usage is listed twice');
  if (items[0] === 'derive' && items[1] === 'sign')
    throw derError(field, 'usages must be in the order sign, derive');
  return items;
};

const origin = (el: DerElement, field: string): 'generated' | 'imported' => {
  const v = derInteger(el, field, TAG.ENUMERATED);
  if (v !== 0n && v !== 1n) throw derError(field, `origin ${v} is not generated(0) or imported(1)`);
  return v === 0n ? 'generated' : 'imported';
};

const challenge = (el: DerElement, field: string): Uint8Array => {
  const c = derOctetString(el, field);
  if (c.length === 0 || c.length > MAX_CHALLENGE_BYTES)
    throw derError(field, `challenge must be 1-${MAX_CHALLENGE_BYTES} bytes`);
  return c;
};

const generalizedTime = (el: DerElement, field: string): Date => {
  if (el.tag !== TAG.GENERALIZED_TIME) throw derError(field, 'expected a GeneralizedTime');
  return derTime(el, field);
};

const marker = (el: DerElement, field: string): true => {
  if (derUtf8String(el, field) !== EMULATED_MARKER_TEXT)
    throw derError(field, `must read ${JSON.stringify(EMULATED_MARKER_TEXT)}`);
  return true;
};

type Spec = { oid: string; name: string; required: true; mustBeNonCritical: true };
const spec = (name: keyof typeof OID): Spec => ({
  oid: OID[name],
  name,
  required: true,
  mustBeNonCritical: true,
});

/** True when `cert` carries a well-formed emulatedMarker; else adds a failure. */
export function readMarker(cert: ParsedCertificate, failures: AttestationFailure[]): boolean {
  return readExtension(cert, spec('emulatedMarker'), marker, failures) === true;
}

/** deviceSerial, firmwareVersion and deviceModel of a device or key certificate. */
export function readDeviceClaims(
  cert: ParsedCertificate,
  failures: AttestationFailure[],
): EmulatedDeviceClaims {
  return {
    serial: readExtension(cert, spec('deviceSerial'), text, failures),
    firmware: readExtension(cert, spec('firmwareVersion'), text, failures),
    model: readExtension(cert, spec('deviceModel'), text, failures),
  };
}

/** Every claim of a key attestation certificate (all twelve extensions are required). */
export function readKeyClaims(cert: ParsedCertificate, failures: AttestationFailure[]): EmulatedKeyClaims {
  return {
    ...readDeviceClaims(cert, failures),
    origin: readExtension(cert, spec('keyOrigin'), origin, failures),
    exportable: readExtension(cert, spec('exportable'), derBoolean, failures),
    sensitive: readExtension(cert, spec('sensitive'), derBoolean, failures),
    usages: readExtension(cert, spec('usages'), usages, failures),
    generationTime: readExtension(cert, spec('generationTime'), generalizedTime, failures),
    challenge: readExtension(cert, spec('challenge'), challenge, failures),
    algorithm: readExtension(
      cert,
      spec('keyAlgorithm'),
      oneOf<KeyAlgorithm>(['ed25519', 'p256', 'x25519']),
      failures,
    ),
    label: readExtension(cert, spec('keyLabel'), text, failures),
  };
}
