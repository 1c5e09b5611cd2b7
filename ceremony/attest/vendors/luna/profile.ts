/**
 * What the certificates of a Luna PKC bundle say, by role: the extended key usages Thales assigns
 * each position (arc 1.3.6.1.4.1.12383.1), and the private extensions of the proof-of-origin (leaf)
 * and device-authentication certificates (arc 1.3.6.1.4.1.12383.2), whose values are raw bytes, not
 * DER:
 *
 * - `.2.1`: HSM serial number, u32 little-endian (`D6 F3 07 00` = 521174);
 * - `.2.3`: firmware, two u16 little-endian, minor then major (`54 00 07 00` = 84, 7), which Thales
 *   tools print as 7.8.4;
 * - `.2.4`, `.2.5`, `.2.6`, `.2.7`: not documented; not read.
 *
 * Portable: no `node:` imports.
 */
import { failure } from '../../codes.js';
import type { AttestationFailure } from '../../types.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import { findExtension } from '../../x509/certificate.js';
import { decodeDer, derSequence } from '../../x509/der.js';
import { derOid } from '../../x509/der-values.js';

/** id-ce-extKeyUsage, which Luna marks critical on every certificate. */
export const EXT_KEY_USAGE = '2.5.29.37';
const ARC = '1.3.6.1.4.1.12383';
const SERIAL = `${ARC}.2.1`;
const FIRMWARE = `${ARC}.2.3`;

/** The EKU each position of a bundle must carry, leaf first, for each of the two PKIs. */
export const ROLE_EKUS = {
  /** proof of origin ← device authentication ← hardware origin ← manufacturing integrity ← Chrysalis-ITS root */
  rsa: ['1.13', '1.12', '1.8', '1.7', '1.1'].map((s) => `${ARC}.${s}`),
  /** proof of origin ← hardware origin ← SafeNet ECC manufacturing integrity root */
  ecc: ['1.13', '1.15', '1.14'].map((s) => `${ARC}.${s}`),
} as const;

/** The EKU OIDs of `cert` (RFC 5280 §4.2.1.12), or undefined when absent or malformed. */
export function extendedKeyUsages(cert: ParsedCertificate): string[] | undefined {
  const ext = findExtension(cert, EXT_KEY_USAGE);
  if (ext === undefined) return undefined;
  try {
    return derSequence(decodeDer(ext.value, 'extKeyUsage'), 'extKeyUsage', 1).map((e) =>
      derOid(e, 'extKeyUsage'),
    );
  } catch {
    return undefined;
  }
}

/**
 * Checks that the path (leaf first, ending at the root) is one of the two Luna PKIs, position by
 * position, by EKU. Returns the PKI's name, pushing a failure if neither fits.
 */
export function checkRoles(
  path: readonly ParsedCertificate[],
  failures: AttestationFailure[],
): 'rsa' | 'ecc' | undefined {
  const ekus = path.map(extendedKeyUsages);
  for (const pki of ['rsa', 'ecc'] as const) {
    const want = ROLE_EKUS[pki];
    if (
      ekus.length === want.length &&
      ekus.every((e, i) => e !== undefined && e.length === 1 && e[0] === want[i])
    )
      return pki;
  }
  const got = ekus
    .map((e) => (e === undefined ? '-' : e.map((o) => o.slice(ARC.length + 1)).join('+')))
    .join(', ');
  failures.push(
    failure(
      'ATTEST_EXTENSION_INVALID',
      `the extended key usages of the path (${got}) are not a Luna PKC chain`,
    ),
  );
  return undefined;
}

function raw(cert: ParsedCertificate, oid: string, length: number): Uint8Array | undefined {
  const ext = findExtension(cert, oid);
  return ext !== undefined && ext.value.length === length && !ext.critical ? ext.value : undefined;
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);

/** The HSM serial (`.2.1`), or undefined when absent or not 4 bytes. */
export function hsmSerial(cert: ParsedCertificate): string | undefined {
  const v = raw(cert, SERIAL, 4);
  return v === undefined ? undefined : String((u16(v, 0) | (u16(v, 2) << 16)) >>> 0);
}

/** The firmware version (`.2.3`), as Thales prints it, or undefined. */
export function firmware(cert: ParsedCertificate): string | undefined {
  const v = raw(cert, FIRMWARE, 4);
  if (v === undefined) return undefined;
  const minor = u16(v, 0);
  const major = u16(v, 2);
  return minor < 100 ? `${major}.${Math.floor(minor / 10)}.${minor % 10}` : `${major}.${minor}`;
}
