/**
 * The key policy of `pkcs11-attributes/v1`: what the recorded attributes must say for the key to
 * count as generated inside the token and unable to leave it. Each violated rule is one failure
 * with its own code; all are collected.
 *
 * | rule | failure code |
 * | --- | --- |
 * | every attribute reported (not null) | `ATTEST_ATTRIBUTE_MISSING` |
 * | `CKA_KEY_TYPE` fits the algorithm | `ATTEST_ATTRIBUTE_MISMATCH` |
 * | `CKA_LOCAL` true | `ATTEST_KEY_IMPORTED` |
 * | `CKA_KEY_GEN_MECHANISM` is the algorithm's key-pair generation mechanism | `ATTEST_KEY_GEN_MECHANISM_MISMATCH` |
 * | `CKA_SENSITIVE` true | `ATTEST_KEY_NOT_SENSITIVE` |
 * | `CKA_ALWAYS_SENSITIVE` true | `ATTEST_KEY_WAS_NOT_SENSITIVE` |
 * | `CKA_EXTRACTABLE` false | `ATTEST_KEY_EXPORTABLE` |
 * | `CKA_NEVER_EXTRACTABLE` true | `ATTEST_KEY_WAS_EXTRACTABLE` |
 *
 * Portable: no `node:` imports.
 */
import type { AttestationFailure, KeyOrigin } from '../types.js';
import type { Pkcs11KeyFacts } from './statement.js';

/** `CKK_*` and key-pair generation `CKM_*` of each algorithm (PKCS#11 v3.0 §2.3, §2.3.5). */
export const PKCS11_ALGORITHMS = {
  ed25519: { keyType: 0x40, keyGenMechanism: 0x1055 },
  p256: { keyType: 0x03, keyGenMechanism: 0x1040 },
} as const;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Every policy violation of `key`, in the order of the table above. */
export function checkKeyPolicy(key: Pkcs11KeyFacts): AttestationFailure[] {
  const a = key.attributes;
  const want = PKCS11_ALGORITHMS[key.algorithm];
  const failures: AttestationFailure[] = [];
  const fail = (code: string, reason: string): void => {
    failures.push({ code, reason });
  };
  for (const [name, value] of Object.entries(a)) {
    if (value === null) fail('ATTEST_ATTRIBUTE_MISSING', `${name} was not reported by the token`);
  }
  if (key.keyType !== want.keyType) {
    fail(
      'ATTEST_ATTRIBUTE_MISMATCH',
      `CKA_KEY_TYPE is ${hex(key.keyType)}, want ${hex(want.keyType)} for ${key.algorithm}`,
    );
  }
  if (a.CKA_LOCAL === false)
    fail('ATTEST_KEY_IMPORTED', 'CKA_LOCAL is false: the key was not generated on the token');
  if (a.CKA_KEY_GEN_MECHANISM !== null && a.CKA_KEY_GEN_MECHANISM !== want.keyGenMechanism) {
    fail(
      'ATTEST_KEY_GEN_MECHANISM_MISMATCH',
      `CKA_KEY_GEN_MECHANISM is ${hex(a.CKA_KEY_GEN_MECHANISM)}, want ${hex(want.keyGenMechanism)} for ${key.algorithm}`,
    );
  }
  if (a.CKA_SENSITIVE === false)
    fail('ATTEST_KEY_NOT_SENSITIVE', 'CKA_SENSITIVE is false: the key value may be read');
  if (a.CKA_ALWAYS_SENSITIVE === false) {
    fail('ATTEST_KEY_WAS_NOT_SENSITIVE', 'CKA_ALWAYS_SENSITIVE is false: the key was readable at some time');
  }
  if (a.CKA_EXTRACTABLE === true)
    fail('ATTEST_KEY_EXPORTABLE', 'CKA_EXTRACTABLE is true: the key may be wrapped out');
  if (a.CKA_NEVER_EXTRACTABLE === false) {
    fail(
      'ATTEST_KEY_WAS_EXTRACTABLE',
      'CKA_NEVER_EXTRACTABLE is false: the key was extractable at some time',
    );
  }
  return failures;
}

/**
 * Where the key came from, by the token's word: `generated` when `CKA_LOCAL` is true and the
 * generation mechanism is the algorithm's; `imported` when `CKA_LOCAL` is false; else `unknown`.
 */
export function keyOrigin(key: Pkcs11KeyFacts): KeyOrigin {
  const a = key.attributes;
  if (a.CKA_LOCAL === false) return 'imported';
  if (a.CKA_LOCAL === true && a.CKA_KEY_GEN_MECHANISM === PKCS11_ALGORITHMS[key.algorithm].keyGenMechanism) {
    return 'generated';
  }
  return 'unknown';
}

/**
 * Whether the key could have left the token, by the token's word: false only when
 * `CKA_EXTRACTABLE` is false and `CKA_NEVER_EXTRACTABLE` is true; undefined when either is missing.
 */
export function keyExportable(key: Pkcs11KeyFacts): boolean | undefined {
  const a = key.attributes;
  if (a.CKA_EXTRACTABLE === null || a.CKA_NEVER_EXTRACTABLE === null) return undefined;
  return a.CKA_EXTRACTABLE || !a.CKA_NEVER_EXTRACTABLE;
}
