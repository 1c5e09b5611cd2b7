/**
 * The entry point of attestation verification: checks the caller's options, dispatches on
 * `evidence.format` through the registry (./registry.ts) and returns the format's normalised
 * {@link AttestationResult}.
 *
 * Bad *evidence* never throws: an unknown format, evidence that is not even an object, and a
 * verifier that throws or returns a result whose time source or path is not well-formed all
 * become a result with `ok: false` (codes `ATTEST_FORMAT_UNKNOWN`, `ATTEST_MALFORMED`,
 * `ATTEST_INTERNAL_ERROR`). Bad *options* are the caller's bug and throw a
 * {@link UsageError} `ATTEST_OPTIONS_INVALID`.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../errors.js';
import { failedResult } from './result.js';
import { findAttestationFormat } from './registry.js';
import type { AttestationResult, AttestationVerifyOptions, KeyAttestation } from './types.js';

/**
 * Verifies one attestation against pinned vendor roots.
 *
 * @throws UsageError `ATTEST_OPTIONS_INVALID` when `options` are not well-formed (a `now` that is
 *   not a valid Date, roots or challenge that are not bytes).
 * @example
 * const r = await verifyAttestation(att, { trustedRoots: [yubicoRoot], now: new Date() });
 * if (!r.ok) for (const f of r.failures) console.error(f.code, f.reason);
 */
export async function verifyAttestation(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  checkOptions(options);
  if (typeof evidence !== 'object' || evidence === null || typeof evidence.format !== 'string') {
    return failedResult(
      '',
      options.now,
      'ATTEST_MALFORMED',
      'evidence must be an object with a string `format`',
    );
  }
  const format = findAttestationFormat(evidence.format);
  if (format === undefined) {
    return failedResult(
      evidence.format,
      options.now,
      'ATTEST_FORMAT_UNKNOWN',
      `no verifier for format ${JSON.stringify(evidence.format)}`,
    );
  }
  let result: AttestationResult;
  try {
    result = await format.verify(evidence, options);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof MalformedError)
      return failedResult(format.id, options.now, 'ATTEST_MALFORMED', e.message);
    return failedResult(
      format.id,
      options.now,
      'ATTEST_INTERNAL_ERROR',
      `the ${format.id} verifier failed: ${String(e)}`,
    );
  }
  const bad = resultProblem(result, options);
  if (bad !== undefined) {
    return failedResult(
      format.id,
      options.now,
      'ATTEST_INTERNAL_ERROR',
      `the ${format.id} verifier returned a bad result: ${bad}`,
    );
  }
  // `ok` is true only when nothing failed, whatever a plug-in set.
  return { ...result, ok: result.ok && result.failures.length === 0 };
}

/**
 * Why a format's result cannot be passed on, or undefined: the fields callers rely on without
 * looking further must say what they claim: a result that is not ok names a failure;
 * `verificationTimeSource` `now` means exactly
 * `options.now`, and `attestation` is only possible when it was asked for; `path` is a list of
 * bytes.
 */
function resultProblem(r: AttestationResult, options: AttestationVerifyOptions): string | undefined {
  if (!(r.verificationTime instanceof Date) || Number.isNaN(r.verificationTime.getTime()))
    return 'verificationTime is not a valid Date';
  if (r.verificationTimeSource === 'now') {
    if (r.verificationTime.getTime() !== options.now.getTime())
      return 'verificationTimeSource is now, but verificationTime is not options.now';
  } else if (r.verificationTimeSource === 'attestation') {
    if (options.validateAtAttestationTime !== true)
      return 'verificationTimeSource is attestation, but validateAtAttestationTime was not set';
  } else
    return `verificationTimeSource ${JSON.stringify(r.verificationTimeSource)} is not now or attestation`;
  if (r.path !== undefined && !(Array.isArray(r.path) && r.path.every((c) => c instanceof Uint8Array)))
    return 'path is not a list of DER certificates';
  // Callers read "no failures" as "verified": a refusal must say why.
  if (r.ok !== true && (!Array.isArray(r.failures) || r.failures.length === 0))
    return 'ok is not true, and no failure says why';
  return undefined;
}

function checkOptions(options: AttestationVerifyOptions): void {
  const bad = (field: string, why: string): never => {
    throw new UsageError('ATTEST_OPTIONS_INVALID', `${field} ${why}`, { field });
  };
  if (typeof options !== 'object' || options === null) bad('options', 'must be an object');
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime()))
    bad('now', 'must be a valid Date');
  if (!Array.isArray(options.trustedRoots)) bad('trustedRoots', 'must be a list of DER certificates');
  options.trustedRoots.forEach((r, i) => {
    if (!(r instanceof Uint8Array)) bad(`trustedRoots[${i}]`, 'must be bytes');
  });
  if (options.expectedChallenge !== undefined && !(options.expectedChallenge instanceof Uint8Array)) {
    bad('expectedChallenge', 'must be bytes');
  }
  if (
    options.validateAtAttestationTime !== undefined &&
    typeof options.validateAtAttestationTime !== 'boolean'
  ) {
    bad('validateAtAttestationTime', 'must be a boolean');
  }
}
