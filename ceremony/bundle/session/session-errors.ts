/**
 * How the session code raises its errors (docs/session-protocol.md, "Reason codes"): one helper
 * per error class, and the rule that turns anything wrong in what a *server sent* into a
 * VerificationError — a malformed reply, like a forged one, means the handshake failed (CLI exit
 * 1), while the client's own bad input stays a UsageError or MalformedError (exit 2).
 *
 * Messages name the field and the reason; they never carry key material.
 *
 * Portable: no `node:` imports.
 */
import { isCeremonyError, MalformedError, UsageError, VerificationError } from '../../errors.js';
import type { SessionErrorCode } from './protocol.js';

/** Throws a VerificationError: what the server sent does not verify. */
export function refuse(code: SessionErrorCode, field: string, reason: string, cause?: unknown): never {
  throw new VerificationError<SessionErrorCode>(code, `${field}: ${reason}`, { field, cause });
}

/** Throws a MalformedError: bytes that are not a well-formed protocol message. */
export function malformed(code: SessionErrorCode, field: string, reason: string, cause?: unknown): never {
  throw new MalformedError<SessionErrorCode>(code, `${field}: ${reason}`, { field, cause });
}

/** Throws a UsageError: bad options, a closed channel, an unreachable or refusing server. */
export function usage(code: SessionErrorCode, field: string, reason: string, cause?: unknown): never {
  throw new UsageError<SessionErrorCode>(code, `${field}: ${reason}`, { field, cause });
}

/**
 * Runs `f` on bytes that came from the server; a MalformedError from it becomes a
 * VerificationError with the same code, field and message (the original as `cause`).
 */
export function fromServer<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MalformedError) {
      throw new VerificationError(e.code, e.message, { field: e.field, cause: e });
    }
    throw e;
  }
}

/**
 * Runs `f`, a decoder; any typed error from it becomes a MalformedError `code` whose message keeps
 * the inner reason and code, e.g. `request.nonce: got 31 bytes, want 32 (FIELD_LENGTH)`.
 */
export function decoding<T>(code: SessionErrorCode, path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!isCeremonyError(e) || e.code === code || e.code === 'SESSION_VERSION_UNSUPPORTED') throw e;
    const field = e.field ?? path;
    const reason = e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
    throw new MalformedError<SessionErrorCode>(code, `${field}: ${reason} (${e.code})`, { field, cause: e });
  }
}
