/**
 * The YubiKey PIV attestation extensions (Yubico, "PIV attestation"; OID arc
 * 1.3.6.1.4.1.41482.3). Unlike the YubiHSM 2 arc, three of them hold raw bytes, not DER:
 *
 * | OID  | field       | encoding                    | meaning                                   |
 * | ---- | ----------- | --------------------------- | ----------------------------------------- |
 * | .3.3 | firmware    | 3 raw bytes                 | major, minor, patch                       |
 * | .3.7 | serial      | DER INTEGER                 | device serial (firmware 5 and later)      |
 * | .3.8 | policy      | 2 raw bytes                 | PIN policy, touch policy                  |
 * | .3.9 | form factor | 1 raw byte                  | low nibble form factor; 0x80 FIPS, 0x40 CSPN |
 *
 * Firmware, serial and policy are required; the form factor (added in firmware 5.2) is optional.
 *
 * Portable: no `node:` imports.
 */
import type { AttestationFailure } from '../types.js';
import type { ParsedCertificate } from '../x509/certificate.js';
import { decodeDer, derError } from '../x509/der.js';
import { readRawExtension } from '../x509/extensions.js';
import { serialOf } from './yubihsm2-claims.js';

const ARC = '1.3.6.1.4.1.41482.3';
/** The YubiKey PIV attestation extension OIDs. */
export const PIV_OID = {
  firmware: `${ARC}.3`,
  serial: `${ARC}.7`,
  policy: `${ARC}.8`,
  formFactor: `${ARC}.9`,
} as const;

/** PIN policy names by value (Yubico PIV extensions, tag 0xAA; 4 and 5 need biometrics). */
export const PIN_POLICIES: Readonly<Record<number, string>> = {
  1: 'never',
  2: 'once',
  3: 'always',
  4: 'match-once',
  5: 'match-always',
};
/** Touch policy names by value (tag 0xAB). */
export const TOUCH_POLICIES: Readonly<Record<number, string>> = { 1: 'never', 2: 'always', 3: 'cached' };
/** Form factors by the low nibble of .3.9 (yubikit `FORM_FACTOR`). */
export const FORM_FACTORS: Readonly<Record<number, string>> = {
  1: 'USB-A keychain',
  2: 'USB-A nano',
  3: 'USB-C keychain',
  4: 'USB-C nano',
  5: 'USB-C Lightning',
  6: 'USB-A biometric keychain',
  7: 'USB-C biometric keychain',
};

/** What a PIV attestation certificate says; undefined where an extension failed or is absent. */
export interface PivClaims {
  firmware?: string;
  serial?: string;
  pinPolicy?: string;
  touchPolicy?: string;
  /** The raw form factor byte. */
  formFactor?: number;
}

/** `major.minor.patch` from 3 raw bytes. */
export function pivFirmware(value: Uint8Array, field: string): string {
  if (value.length !== 3) throw derError(field, `firmware must be 3 raw bytes, got ${value.length}`);
  return `${value[0]}.${value[1]}.${value[2]}`;
}

const policy = (value: Uint8Array, field: string): [string, string] => {
  if (value.length !== 2) throw derError(field, `policy must be 2 raw bytes, got ${value.length}`);
  const pin = PIN_POLICIES[value[0]!];
  const touch = TOUCH_POLICIES[value[1]!];
  if (pin === undefined) throw derError(field, `unknown PIN policy ${value[0]}`);
  if (touch === undefined) throw derError(field, `unknown touch policy ${value[1]}`);
  return [pin, touch];
};

const formFactor = (value: Uint8Array, field: string): number => {
  if (value.length !== 1) throw derError(field, `form factor must be 1 raw byte, got ${value.length}`);
  return value[0]!;
};

/** Reads the key attestation certificate's extensions. */
export function readPivClaims(cert: ParsedCertificate, failures: AttestationFailure[]): PivClaims {
  const req = (name: keyof typeof PIV_OID, required = true) => ({ oid: PIV_OID[name], name, required });
  const pol = readRawExtension(cert, req('policy'), policy, failures);
  const ff = readRawExtension(cert, req('formFactor', false), formFactor, failures);
  return {
    firmware: readRawExtension(cert, req('firmware'), pivFirmware, failures),
    serial: readRawExtension(cert, req('serial'), (v, f) => serialOf(decodeDer(v, f), f), failures),
    ...(pol === undefined ? {} : { pinPolicy: pol[0], touchPolicy: pol[1] }),
    ...(ff === undefined ? {} : { formFactor: ff }),
  };
}

/** `USB-C keychain`, with ` FIPS` / ` CSPN` when flagged; `unknown (0xNN)` for other values. */
export function formFactorName(byte: number): string {
  const name = FORM_FACTORS[byte & 0x0f] ?? `unknown (0x${byte.toString(16).padStart(2, '0')})`;
  return `${name}${byte & 0x80 ? ' FIPS' : ''}${byte & 0x40 ? ' CSPN' : ''}`;
}
