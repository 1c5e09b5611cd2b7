/**
 * The ceremony's policy over a verified attestation: what a fleet key's evidence must show beyond
 * being authentic. Applied after {@link verifyAttestation}; returns the *extra* failures (codes the
 * result does not already carry), so `[...result.failures, ...extra]` is the full list.
 *
 * Profiles (DESIGN §2): `production` accepts hardware evidence only: it refuses level `emulated`.
 * `rehearsal` accepts every level. Under both: origin `generated`, exportable exactly `false`
 * (undefined is a failure), sensitive not `false`; and, when given, the attested key must be the
 * expected fleet key (`expectedPublicKey`, compared as keys, or `expectedSpki`, compared as DER
 * bytes) and the device serial the expected one.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes, hexEncode } from '../codec/index.js';
import { checkPublicKey, sha256 } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { failure } from './codes.js';
import { keyPropertyFailures } from './result.js';
import type { AttestationFailure, AttestationResult } from './types.js';
import { parseSpki } from './x509/spki.js';

/** The two trust profiles of a ceremony. */
export type AttestationProfile = 'production' | 'rehearsal';

/** What {@link checkAttestationPolicy} checks. */
export interface AttestationPolicy {
  profile: AttestationProfile;
  /** The fleet key this attestation must be for (raw key as the Hsm interface gives it). */
  expectedPublicKey?: { algorithm: 'ed25519' | 'p256' | 'x25519'; publicKey: Uint8Array };
  /**
   * The alternative to `expectedPublicKey` for any key type (RSA, P-384, P-521...): the DER
   * SubjectPublicKeyInfo the attested one must be, byte for byte. At most one of the two.
   */
  expectedSpki?: Uint8Array;
  /** The device serial the attestation must name. */
  expectedSerial?: string;
}

/**
 * The policy failures of `result` that it does not already report.
 *
 * @throws UsageError `ATTEST_POLICY_INVALID` for an unknown profile, both `expectedPublicKey` and
 *   `expectedSpki`, or an `expectedSpki` that is not a DER SubjectPublicKeyInfo.
 * @example
 * const extra = checkAttestationPolicy(result, { profile: 'production', expectedSerial: '31650425' });
 * const accepted = result.ok && extra.length === 0;
 */
export function checkAttestationPolicy(
  result: AttestationResult,
  policy: AttestationPolicy,
): AttestationFailure[] {
  if (policy.profile !== 'production' && policy.profile !== 'rehearsal') {
    throw new UsageError(
      'ATTEST_POLICY_INVALID',
      `profile must be production or rehearsal, got ${JSON.stringify(policy.profile)}`,
      {
        field: 'profile',
      },
    );
  }
  checkExpectedSpki(policy);
  const out: AttestationFailure[] = [];
  if (policy.profile === 'production' && result.level === 'emulated') {
    out.push(
      failure(
        'ATTEST_LEVEL_REFUSED',
        'production refuses this attestation: it comes from an emulated HSM, whose keys are ordinary files, so it proves nothing about hardware (accepted only under the rehearsal profile)',
      ),
    );
  }
  out.push(
    ...keyPropertyFailures({
      origin: result.origin,
      exportable: result.exportable,
      sensitive: result.sensitive,
    }),
  );
  if (policy.expectedPublicKey !== undefined) {
    const why = keyMismatch(result, policy.expectedPublicKey);
    if (why !== undefined) out.push(failure('ATTEST_PUBLIC_KEY_MISMATCH', why));
  }
  if (policy.expectedSpki !== undefined) {
    const why = spkiMismatch(result, policy.expectedSpki);
    if (why !== undefined) out.push(failure('ATTEST_PUBLIC_KEY_MISMATCH', why));
  }
  if (policy.expectedSerial !== undefined && !sameSerial(result.serial, policy.expectedSerial)) {
    out.push(
      failure(
        'ATTEST_SERIAL_MISMATCH',
        `the attestation names device serial ${JSON.stringify(result.serial)}, expected ${JSON.stringify(policy.expectedSerial)}`,
      ),
    );
  }
  const already = new Set(result.failures.map((f) => f.code));
  return out.filter((f) => !already.has(f.code));
}

const DECIMAL = /^[0-9]{1,40}$/;

/**
 * Whether two device serials name the same device: the same text, or, when both are decimal
 * numbers, the same number. PKCS#11 modules zero-pad the serial that attestations write without
 * padding (a YubiHSM 2's token reports serial 1234567 as `01234567`); anything else must match
 * exactly.
 * @example sameSerial('01234567', '1234567') === true; sameSerial('8938-1075-88BB', '8938-1075-88bb') === false
 */
export function sameSerial(a: string, b: string): boolean {
  return canonicalSerial(a) === canonicalSerial(b);
}

/**
 * The one spelling of a device serial {@link sameSerial} compares: a decimal serial without
 * leading zeros; any other serial as it is. Uniqueness checks use it, so two spellings of one
 * serial are one device.
 */
export function canonicalSerial(serial: string): string {
  return DECIMAL.test(serial) ? serial.replace(/^0+(?=.)/, '') : serial;
}

/** The caller's `expectedSpki`: alone, and a SubjectPublicKeyInfo (bad options are the caller's bug). */
function checkExpectedSpki(policy: AttestationPolicy): void {
  if (policy.expectedSpki === undefined) return;
  const bad = (why: string): never => {
    throw new UsageError('ATTEST_POLICY_INVALID', `expectedSpki ${why}`, { field: 'expectedSpki' });
  };
  if (policy.expectedPublicKey !== undefined) bad('and expectedPublicKey are alternatives: give one');
  if (!(policy.expectedSpki instanceof Uint8Array)) bad('must be bytes');
  try {
    parseSpki(policy.expectedSpki, 'expectedSpki');
  } catch (e) {
    bad(`is not a DER SubjectPublicKeyInfo: ${(e as Error).message}`);
  }
}

/** Why the attested SPKI is not the expected DER, or undefined when it is, byte for byte. */
function spkiMismatch(result: AttestationResult, expected: Uint8Array): string | undefined {
  if (result.publicKey === undefined) return 'the attestation names no public key';
  if (equalBytes(result.publicKey.spki, expected)) return undefined;
  return `the attested key (SPKI SHA-256 ${hexEncode(result.publicKey.sha256)}) is not the expected key (SPKI SHA-256 ${hexEncode(sha256(expected))})`;
}

const SPKI_TYPE = { ed25519: 'ed25519', x25519: 'x25519', p256: 'ec' } as const;

/** Why the attested key is not `expected`, or undefined when it is. */
function keyMismatch(
  result: AttestationResult,
  expected: NonNullable<AttestationPolicy['expectedPublicKey']>,
): string | undefined {
  if (result.publicKey === undefined) return 'the attestation names no public key';
  try {
    const key = parseSpki(result.publicKey.spki, 'publicKey.spki');
    if (key.type !== SPKI_TYPE[expected.algorithm] || (key.type === 'ec' && key.curve !== 'P-256')) {
      return `the attested key is ${key.type === 'ec' ? key.curve : key.type}, the expected key is ${expected.algorithm}`;
    }
    const same =
      expected.algorithm === 'p256'
        ? sameP256Point(key.publicKey, expected.publicKey)
        : equalBytes(key.publicKey, expected.publicKey);
    return same ? undefined : 'the attested key is not the expected fleet key';
  } catch (e) {
    return `the keys cannot be compared: ${(e as Error).message}`;
  }
}

/**
 * Whether two SEC 1 P-256 keys (65-byte uncompressed or 33-byte compressed; a certificate may
 * carry either form) are the same point. Both are first checked to be on the curve by the crypto
 * facade; then the point is equal exactly when x and the parity of y are: for one x the curve has
 * the two points (x, y) and (x, p - y), whose y differ in parity as p is odd and y = 0 is not on
 * P-256 (SEC 1 §2.3.3-2.3.4).
 *
 * @throws MalformedError `CRYPTO_BAD_LENGTH` / `CRYPTO_BAD_PUBLIC_KEY` for a key that is not one.
 */
function sameP256Point(attested: Uint8Array, expected: Uint8Array): boolean {
  checkPublicKey('p256', attested, 'publicKey.spki');
  checkPublicKey('p256', expected, 'expectedPublicKey');
  const yParity = (k: Uint8Array) => (k.length === 33 ? k[0]! : k[64]!) & 1;
  return (
    equalBytes(attested.subarray(1, 33), expected.subarray(1, 33)) && yParity(attested) === yParity(expected)
  );
}
