/**
 * Argument checks every crypto backend runs, in the same order, before any arithmetic: so both
 * backends refuse the same inputs with the same {@link CryptoErrorCode} and the same message.
 *
 * Messages name the algorithm and the parameter (`ed25519 publicKey: got 31 bytes, want 32`) and
 * never contain key bytes.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../errors.js';

/**
 * Error codes of the crypto facade.
 *
 * - `CRYPTO_BAD_TYPE`: an argument is not a `Uint8Array`.
 * - `CRYPTO_BAD_LENGTH`: a key, signature or digest has the wrong number of bytes.
 * - `CRYPTO_BAD_PUBLIC_KEY`: a public key is not a canonical encoding of a point on the curve.
 * - `CRYPTO_WEAK_PUBLIC_KEY`: a public key is a small-order point (Ed25519 and X25519 keys that
 *   would let one signature verify for many messages, or force an all-zero shared secret).
 * - `CRYPTO_BAD_SECRET_KEY`: a P-256 secret scalar is 0 or not below the group order n.
 * - `CRYPTO_ZERO_SHARED_SECRET`: X25519 would give the all-zero shared secret (RFC 7748 §6.1).
 * - `CRYPTO_BAD_ARGUMENT`: a non-byte argument is out of range (e.g. a negative random length).
 * - `CRYPTO_SPKI_MALFORMED`: DER SubjectPublicKeyInfo bytes are not in their one accepted form.
 * - `CRYPTO_SPKI_UNKNOWN_ALGORITHM`: a well-formed SubjectPublicKeyInfo names another algorithm.
 * - `CRYPTO_SELF_TEST_FAILED`: the native backend failed its known-answer self-test.
 */
export type CryptoErrorCode =
  | 'CRYPTO_BAD_TYPE'
  | 'CRYPTO_BAD_LENGTH'
  | 'CRYPTO_BAD_PUBLIC_KEY'
  | 'CRYPTO_WEAK_PUBLIC_KEY'
  | 'CRYPTO_BAD_SECRET_KEY'
  | 'CRYPTO_ZERO_SHARED_SECRET'
  | 'CRYPTO_BAD_ARGUMENT'
  | 'CRYPTO_SPKI_MALFORMED'
  | 'CRYPTO_SPKI_UNKNOWN_ALGORITHM'
  | 'CRYPTO_SELF_TEST_FAILED';

/** A {@link MalformedError} with a crypto code; `field` is the parameter name, e.g. `publicKey`. */
export function cryptoError(
  code: CryptoErrorCode,
  field: string,
  message: string,
): MalformedError<CryptoErrorCode> {
  return new MalformedError<CryptoErrorCode>(code, message, { field });
}

/** A short, secret-free description of a value's type for error messages. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/**
 * Whether `value` is a Uint8Array, including one from another realm (an iframe, a `vm` context)
 * whose constructor is not this realm's `Uint8Array`; a `Buffer` is one too.
 */
function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor?.name === 'Uint8Array')
  );
}

/**
 * Asserts that `value` is a `Uint8Array` (a `Buffer` is one too, and so is a Uint8Array from
 * another realm).
 *
 * @param what - `<algorithm> <parameter>`, e.g. `ed25519 message`; the parameter becomes `field`.
 * @throws MalformedError `CRYPTO_BAD_TYPE` otherwise.
 */
export function checkBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw cryptoError('CRYPTO_BAD_TYPE', fieldOf(what), `${what}: got ${typeName(value)}, want Uint8Array`);
  }
}

/**
 * Asserts that `value` is a `Uint8Array` of exactly one of the `lengths`.
 *
 * @param what - `<algorithm> <parameter>`, e.g. `ed25519 publicKey`.
 * @param note - optional words after the wanted length, e.g. `(uncompressed) or 33 (compressed)`.
 * @throws MalformedError `CRYPTO_BAD_TYPE` or `CRYPTO_BAD_LENGTH` (`got 31 bytes, want 32`).
 */
export function checkLength(
  value: unknown,
  length: number,
  what: string,
  note?: string,
): asserts value is Uint8Array {
  checkBytes(value, what);
  if (value.length !== length) {
    const want = note === undefined ? String(length) : `${length} ${note}`;
    throw cryptoError('CRYPTO_BAD_LENGTH', fieldOf(what), `${what}: got ${value.length} bytes, want ${want}`);
  }
}

/**
 * Asserts that a requested random length is a safe integer in `[0, max]`.
 *
 * @throws UsageError `CRYPTO_BAD_ARGUMENT` otherwise (a caller bug, not bad input).
 */
export function checkRandomLength(length: unknown, max: number): asserts length is number {
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0 || length > max) {
    throw new UsageError<CryptoErrorCode>(
      'CRYPTO_BAD_ARGUMENT',
      `randomBytes length: got ${String(length)}, want an integer in [0, ${max}]`,
      { field: 'length' },
    );
  }
}

/** Largest `randomBytes` request either backend serves (node's `randomFillSync` limit is 2^31-1). */
export const MAX_RANDOM_BYTES = 2 ** 30;

/** `ed25519 publicKey` → `publicKey`. */
function fieldOf(what: string): string {
  const space = what.lastIndexOf(' ');
  return space < 0 ? what : what.slice(space + 1);
}
