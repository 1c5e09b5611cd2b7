/**
 * Error codes of the witness (everything under ceremony/witness/ but the audit log, whose codes are
 * in ./log/codes.ts), and the one table that maps a refused request onto its HTTP status.
 *
 * A refusal is a {@link WitnessError}: it carries its `status`, so the server never guesses. Its
 * `code` is what clients see in the reply body `{ "error": CODE, "message": ... }`.
 */
import { CeremonyError } from '../errors.js';
import type { ErrorDetails } from '../errors.js';

/** Every reason the witness refuses a request, with its HTTP status. */
export const WITNESS_REFUSALS = {
  // 400: the request cannot be understood
  REQUEST_MALFORMED: 400,
  SUBMISSION_MALFORMED: 400,
  DIGEST_INVALID: 400,
  DIGEST_MISMATCH: 400,
  FLEET_KEY_SET_MALFORMED: 400,
  FLEET_KEY_SET_NAMESPACE_MISMATCH: 400,
  FLEET_KEY_SET_EPOCH_MISMATCH: 400,
  ATTESTATION_MISSING: 400,
  ATTESTATION_UNEXPECTED: 400,
  COUNTERSIGNATURE_MALFORMED: 400,
  CHECKPOINT_REQUEST_MALFORMED: 400,
  CHECKPOINT_OLD_SIZE_TOO_LARGE: 400,
  // 401: who is asking is not established
  AUTH_MISSING: 401,
  AUTH_MALFORMED: 401,
  AUTH_UNKNOWN_OPERATOR: 401,
  AUTH_TIMESTAMP_SKEW: 401,
  AUTH_SIGNATURE_INVALID: 401,
  AUTH_REPLAY: 401,
  // 403: known, but not allowed
  OPERATOR_NOT_AUTHORIZED: 403,
  CHECKPOINT_SIGNATURE_REFUSED: 403,
  // 404
  NAMESPACE_UNKNOWN: 404,
  EPOCH_UNKNOWN: 404,
  RESOURCE_UNKNOWN: 404,
  CHECKPOINT_ORIGIN_UNKNOWN: 404,
  // 409: the witness's state forbids it
  NAMESPACE_OFFLINE: 409,
  EPOCH_ALREADY_SIGNED: 409,
  EPOCH_SKIPPED: 409,
  ROOT_MISMATCH: 409,
  DIGEST_ALREADY_SIGNED: 409,
  PREVIOUS_DIGEST_MISMATCH: 409,
  COUNTERSIGNATURE_EXISTS: 409,
  CHECKPOINT_OLD_SIZE_MISMATCH: 409,
  // 413
  BODY_TOO_LARGE: 413,
  // 415
  CONTENT_TYPE_UNSUPPORTED: 415,
  // 422: well-formed, but the content fails a check
  VALIDITY_INVALID: 422,
  ATTESTATION_REFUSED: 422,
  COUNTERSIGNATURE_INVALID: 422,
  CHECKPOINT_EMPTY_ROOT_INVALID: 422,
  CHECKPOINT_PROOF_INVALID: 422,
  CHECKPOINT_ROOT_MISMATCH: 422,
  // 429
  RATE_LIMITED: 429,
} as const;

/** A code of {@link WITNESS_REFUSALS}. */
export type WitnessRefusalCode = keyof typeof WITNESS_REFUSALS;

/** Codes of the witness's own operations (configuration, keys, state), not of HTTP requests. */
export type WitnessUsageErrorCode =
  | 'WITNESS_CONFIG_MISSING'
  | 'WITNESS_CONFIG_MALFORMED'
  | 'WITNESS_CONFIG_INVALID'
  | 'WITNESS_OUTPUT_EXISTS'
  | 'WITNESS_KEY_MISSING'
  | 'WITNESS_KEY_INVALID'
  | 'WITNESS_KEY_MISMATCH'
  | 'WITNESS_KEY_ROTATION_INVALID'
  | 'WITNESS_NAMESPACE_EXISTS'
  | 'WITNESS_NAMESPACE_INVALID'
  | 'WITNESS_OPERATOR_CONFLICT'
  | 'WITNESS_HSM_REQUIRED'
  | 'WITNESS_STATE_UNREADABLE'
  | 'WITNESS_LISTEN_INVALID'
  | 'WITNESS_URL_INVALID'
  | 'WITNESS_HTTP_FAILED'
  | 'WITNESS_REPLY_INVALID';

/** The witness's state and its log disagree (a crash left something recovery cannot explain). */
export type WitnessVerificationErrorCode = 'WITNESS_STATE_LOG_MISMATCH';

/** Optional details of a refusal, sent to the client with the code. */
export interface RefusalDetails extends ErrorDetails {
  /** Attestation or policy failures, one line each (no secrets). */
  failures?: { code: string; reason: string; field?: string }[];
  /** Extra HTTP headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** A body other than the JSON error (the tlog-witness 409 reply). */
  body?: { contentType: string; text: string };
}

/**
 * A request the witness refuses. `status` is the HTTP status from {@link WITNESS_REFUSALS}; the
 * CLI treats it as exit 1 (the request is wrong).
 */
export class WitnessError extends CeremonyError<WitnessRefusalCode> {
  override readonly name = 'WitnessError';
  readonly exitCode = 1 as const;
  readonly status: number;
  readonly failures: NonNullable<RefusalDetails['failures']>;
  readonly headers: Record<string, string>;
  readonly body: RefusalDetails['body'];

  constructor(code: WitnessRefusalCode, message: string, details: RefusalDetails = {}) {
    super(code, message, details);
    this.status = WITNESS_REFUSALS[code];
    this.failures = details.failures ?? [];
    this.headers = details.headers ?? {};
    this.body = details.body;
  }
}

/** Throws a {@link WitnessError} naming `field` in its message. */
export function refuse(
  code: WitnessRefusalCode,
  field: string,
  reason: string,
  details: RefusalDetails = {},
): never {
  throw new WitnessError(code, `${field}: ${reason}`, { field, ...details });
}
