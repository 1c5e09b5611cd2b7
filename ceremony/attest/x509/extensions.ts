/**
 * The two standard extensions path validation needs (RFC 5280 §4.2.1.9 basicConstraints and
 * §4.2.1.3 keyUsage), and a helper that reads a private extension exactly once with a decoder.
 *
 * Portable: no `node:` imports.
 */
import type { AttestationFailure } from '../types.js';
import { failure } from '../codes.js';
import type { ParsedCertificate } from './certificate.js';
import { findExtension } from './certificate.js';
import type { DerElement } from './der.js';
import { TAG, decodeDer, derError, derSequence } from './der.js';
import { derBitStringBits, derBoolean, derInteger } from './der-values.js';

/** id-ce-basicConstraints. */
export const BASIC_CONSTRAINTS = '2.5.29.19';
/** id-ce-keyUsage. */
export const KEY_USAGE = '2.5.29.15';
/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BIT = { digitalSignature: 0, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 } as const;

/** A decoded basicConstraints value. */
export interface BasicConstraintsValue {
  ca: boolean;
  pathLen?: number;
}

/**
 * basicConstraints of `cert`, or undefined when absent. `cA FALSE` written out explicitly (not DER)
 * is read as false: it can only make a certificate *less* capable.
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 */
export function basicConstraints(cert: ParsedCertificate, field: string): BasicConstraintsValue | undefined {
  const ext = findExtension(cert, BASIC_CONSTRAINTS);
  if (ext === undefined) return undefined;
  const items = derSequence(decodeDer(ext.value, field), field, 0, 2);
  let ca = false;
  let next = 0;
  if (items[0]?.tag === TAG.BOOLEAN) {
    ca = derBoolean(items[0], `${field}.cA`);
    next = 1;
  }
  const rest = items.slice(next);
  if (rest.length === 0) return { ca };
  if (rest.length > 1) throw derError(field, 'unexpected elements');
  const pathLen = derInteger(rest[0]!, `${field}.pathLenConstraint`);
  if (pathLen < 0n || pathLen > 255n)
    throw derError(`${field}.pathLenConstraint`, `pathLen ${pathLen} out of range`);
  return { ca, pathLen: Number(pathLen) };
}

/**
 * keyUsage of `cert` as bits (bit 0 = digitalSignature), or undefined when absent.
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 */
export function keyUsage(cert: ParsedCertificate, field: string): boolean[] | undefined {
  const ext = findExtension(cert, KEY_USAGE);
  return ext === undefined ? undefined : derBitStringBits(decodeDer(ext.value, field), field);
}

/**
 * Reads private extension `oid` of `cert` with `decode`, adding a failure (and returning
 * undefined) when it is absent and `required`, critical when `mustBeNonCritical`, or undecodable.
 * (Each OID is present at most once: the certificate parser refuses duplicates.)
 */
export function readExtension<T>(
  cert: ParsedCertificate,
  spec: { oid: string; name: string; required: boolean; mustBeNonCritical?: boolean },
  decode: (value: DerElement, field: string) => T,
  failures: AttestationFailure[],
): T | undefined {
  return readRawExtension(cert, spec, (value, field) => decode(decodeDer(value, field), field), failures);
}

/**
 * Like {@link readExtension} for extensions whose value is *not* DER (raw bytes, as YubiKey PIV
 * writes some): `decode` gets the extnValue content itself.
 */
export function readRawExtension<T>(
  cert: ParsedCertificate,
  spec: { oid: string; name: string; required: boolean; mustBeNonCritical?: boolean },
  decode: (value: Uint8Array, field: string) => T,
  failures: AttestationFailure[],
): T | undefined {
  const ext = findExtension(cert, spec.oid);
  const where = `${spec.name} (${spec.oid}) in '${cert.subject}'`;
  if (ext === undefined) {
    if (spec.required) failures.push(failure('ATTEST_EXTENSION_MISSING', `${where} is missing`));
    return undefined;
  }
  if (ext.critical && spec.mustBeNonCritical === true) {
    failures.push(
      failure('ATTEST_EXTENSION_INVALID', `${where} is marked critical; the profile says non-critical`),
    );
    return undefined;
  }
  try {
    return decode(ext.value, spec.name);
  } catch (e) {
    failures.push(failure('ATTEST_EXTENSION_INVALID', `${where}: ${(e as Error).message}`));
    return undefined;
  }
}
