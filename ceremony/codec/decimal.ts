/**
 * Canonical unsigned decimal numbers, as used in text formats (C2SP checkpoints and tlog-proof
 * tree sizes and indexes, transcript counters).
 *
 * The one accepted form of a number is what {@link formatDecimal} prints: ASCII digits only, no
 * sign, no leading zero (except `0` itself), no whitespace, value at most 2^63 − 1 (the range of
 * the Go `int64` used by C2SP implementations). {@link parseDecimal} checks this by formatting the
 * parsed value back and comparing, as Go's `sumdb/tlog` does.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../errors.js';

/** The largest value a canonical decimal may hold: 2^63 − 1. */
export const MAX_DECIMAL = (1n << 63n) - 1n;

/** At most this many digits are read (2^63 − 1 has 19), so hostile input stays cheap. */
const MAX_DIGITS = 19;

/**
 * Parses a canonical unsigned decimal.
 *
 * @param text - the digits; nothing else is allowed.
 * @param field - dotted path named in errors (default `decimal`).
 * @returns the value, `0n ≤ value ≤ 2^63 − 1`.
 * @throws MalformedError `DECIMAL_EMPTY` for the empty string, `DECIMAL_BAD_CHARACTER` for any
 *   non-digit (sign, space, `_`, non-ASCII digit), `DECIMAL_LEADING_ZERO` for `0` before other digits,
 *   `DECIMAL_OUT_OF_RANGE` above 2^63 − 1.
 * @example parseDecimal('42') === 42n
 */
export function parseDecimal(text: string, field = 'decimal'): bigint {
  if (text.length === 0) {
    throw new MalformedError('DECIMAL_EMPTY', `${field}: empty, want decimal digits`, { field });
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      throw new MalformedError(
        'DECIMAL_BAD_CHARACTER',
        `${field}: character code ${c} at offset ${i} is not an ASCII digit`,
        { field },
      );
    }
  }
  if (text.length > 1 && text.charCodeAt(0) === 0x30) {
    throw new MalformedError('DECIMAL_LEADING_ZERO', `${field}: leading zero, want canonical form`, {
      field,
    });
  }
  if (text.length > MAX_DIGITS) {
    throw new MalformedError(
      'DECIMAL_OUT_OF_RANGE',
      `${field}: ${text.length} digits, want at most ${MAX_DIGITS} (value ≤ 2^63-1)`,
      { field },
    );
  }
  const value = BigInt(text);
  if (value > MAX_DECIMAL) {
    throw new MalformedError('DECIMAL_OUT_OF_RANGE', `${field}: ${text} exceeds 2^63-1`, { field });
  }
  if (formatDecimal(value) !== text) {
    // Unreachable given the checks above; kept as the canonical re-encoding guard.
    throw new MalformedError('DECIMAL_NON_CANONICAL', `${field}: does not re-encode identically`, { field });
  }
  return value;
}

/**
 * Formats a non-negative integer in canonical decimal (the inverse of {@link parseDecimal}).
 *
 * @param n - a `bigint` or a safe-integer `number`, `0 ≤ n ≤ 2^63 − 1`.
 * @throws UsageError `DECIMAL_OUT_OF_RANGE` for a negative, non-integer, unsafe or too large value.
 * @example formatDecimal(42n) === '42'
 */
export function formatDecimal(n: bigint | number): string {
  if (typeof n === 'number') {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new UsageError('DECIMAL_OUT_OF_RANGE', `got ${n}, want a non-negative safe integer`);
    }
    return String(n);
  }
  if (typeof n !== 'bigint' || n < 0n || n > MAX_DECIMAL) {
    throw new UsageError('DECIMAL_OUT_OF_RANGE', `got ${String(n)}, want 0 ≤ n ≤ 2^63-1`);
  }
  return n.toString(10);
}
