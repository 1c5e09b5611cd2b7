/**
 * The ceremony's policy over a verified attestation: what a fleet key's evidence must show beyond
 * being authentic. Applied after {@link verifyAttestation}; returns the *extra* failures (codes the
 * result does not already carry), so `[...result.failures, ...extra]` is the full list.
 *
 * Profiles (DESIGN §2): `production` accepts hardware evidence only: it refuses level `emulated`.
 * `rehearsal` accepts every level. Under both: origin `generated`, exportable exactly `false`
 * (undefined is a failure), sensitive not `false`; and, when given, the attested key must be the
 * expected fleet key and the device serial the expected one.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../codec/index.js';
import { checkPublicKey } from '../crypto/index.js';
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
  /** The device serial the attestation must name. */
  expectedSerial?: string;
}

/**
 * The policy failures of `result` that it does not already report.
 *
 * @throws UsageError `ATTEST_POLICY_INVALID` for an unknown profile.
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
  if (policy.expectedSerial !== undefined && result.serial !== policy.expectedSerial) {
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
