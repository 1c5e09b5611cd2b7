/**
 * Building {@link AttestationResult}s, and the key-property checks every format applies the same
 * way (origin, exportability, sensitivity, challenge), so that the same fact gets the same code
 * whichever format reports it.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes, hexEncode } from '../codec/index.js';
import { failure } from './codes.js';
import type { AttestationCode } from './codes.js';
import type { AssuranceLevel, AttestationFailure, AttestationResult, KeyOrigin } from './types.js';

/**
 * The result for evidence that could not be verified at all (unknown format, unparseable
 * evidence): `ok` false, no vendor facts, origin `unknown`, exportability unknown, an empty chain
 * and no path, checked at `now` (`verificationTimeSource` `now`). The level is `emulated`, the
 * weakest, so nothing downstream reads more into it, unless the format's level is fixed whatever
 * the evidence (`pkcs11-attributes/v1` is always `pkcs11-attributes`).
 *
 * @param now - the caller's `options.now`.
 * @param more - `level` to report instead of `emulated`; `earlier` failures found before this one
 *   (they come first).
 */
export function failedResult(
  format: string,
  now: Date,
  code: AttestationCode,
  reason: string,
  more: { level?: AssuranceLevel; earlier?: readonly AttestationFailure[] } = {},
): AttestationResult {
  return {
    ok: false,
    format,
    level: more.level ?? 'emulated',
    vendor: '',
    model: '',
    serial: '',
    firmware: '',
    origin: 'unknown',
    exportable: undefined,
    chain: [],
    verificationTime: now,
    verificationTimeSource: 'now',
    failures: [...(more.earlier ?? []), failure(code, reason)],
  };
}

/** `{ path }` when there is one, `{}` otherwise: spread into a result (`path` is absent, never undefined). */
export function pathOf(path: Uint8Array[] | undefined): { path?: Uint8Array[] } {
  return path === undefined ? {} : { path };
}

/** `result` with `ok` set from its failures (true only when there are none). */
export function finish(result: Omit<AttestationResult, 'ok'>): AttestationResult {
  return { ok: result.failures.length === 0, ...result };
}

/**
 * Failures for the key properties every fleet key must have: generated inside the device, not
 * exportable (undefined counts as a failure), and, when the format says, sensitive.
 *
 * @param originDetail - what the evidence literally says, for the reason (e.g. `origin 0x02`).
 */
export function keyPropertyFailures(
  facts: { origin: KeyOrigin; exportable: boolean | undefined; sensitive?: boolean | undefined },
  originDetail = '',
): AttestationFailure[] {
  const out: AttestationFailure[] = [];
  const detail = originDetail === '' ? '' : ` (${originDetail})`;
  if (facts.origin === 'imported')
    out.push(failure('ATTEST_KEY_IMPORTED', `the key was imported, not generated in the device${detail}`));
  if (facts.origin === 'replicated') {
    out.push(
      failure(
        'ATTEST_KEY_IMPORTED',
        `the key was generated in another device and imported under wrap${detail}`,
      ),
    );
  }
  if (facts.origin === 'unknown')
    out.push(failure('ATTEST_ORIGIN_UNKNOWN', `the evidence gives no usable key origin${detail}`));
  if (facts.exportable === true)
    out.push(failure('ATTEST_KEY_EXPORTABLE', 'the private key can leave the device'));
  if (facts.exportable === undefined) {
    out.push(
      failure(
        'ATTEST_EXPORTABILITY_UNKNOWN',
        'the evidence does not say whether the private key can leave the device',
      ),
    );
  }
  if (facts.sensitive === false)
    out.push(failure('ATTEST_KEY_NOT_SENSITIVE', 'the private key is not marked sensitive'));
  return out;
}

/**
 * The challenge check: when `expected` is given, the attestation must carry exactly it.
 * `actual` is `'unsupported'` for formats that cannot carry a challenge.
 */
export function challengeFailures(
  expected: Uint8Array | undefined,
  actual: Uint8Array | undefined | 'unsupported',
): AttestationFailure[] {
  if (expected === undefined) return [];
  if (actual === 'unsupported') {
    return [
      failure('ATTEST_CHALLENGE_UNSUPPORTED', 'a challenge was expected, but this format cannot carry one'),
    ];
  }
  if (actual === undefined)
    return [failure('ATTEST_CHALLENGE_MISMATCH', 'a challenge was expected, the attestation carries none')];
  if (!equalBytes(expected, actual)) {
    return [
      failure(
        'ATTEST_CHALLENGE_MISMATCH',
        `challenge ${hexEncode(actual)} differs from the expected ${hexEncode(expected)}`,
      ),
    ];
  }
  return [];
}
