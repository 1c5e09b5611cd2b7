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
import { p256 } from '@noble/curves/nist.js';
import { equalBytes } from '../codec/index.js';
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
    // P-256 points compare in uncompressed form (a certificate may carry the compressed one).
    const norm = (k: Uint8Array) =>
      expected.algorithm === 'p256' ? p256.Point.fromBytes(k).toBytes(false) : k;
    if (!equalBytes(norm(key.publicKey), norm(expected.publicKey)))
      return 'the attested key is not the expected fleet key';
    return undefined;
  } catch (e) {
    return `the keys cannot be compared: ${(e as Error).message}`;
  }
}
