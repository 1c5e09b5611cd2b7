/**
 * Typed access to decoded CBOR values: each `expect*` checks one value's type and bounds and
 * names its dotted path in the error (`keys[2].publicKey`). Format decoders (fleet key set,
 * validation bundle, statements) use these after {@link decodeCbor}; see ./cbor-fields.ts for
 * reading a map's fields by key.
 *
 * Errors are MalformedError with codes `FIELD_TYPE` (wrong type), `FIELD_RANGE` (integer out of
 * bounds), `FIELD_LENGTH` (byte, text or array length), `FIELD_PATTERN` (text not matching).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';
import { utf8Encode } from './bytes.js';
import type { CborMap, CborValue } from './cbor-types.js';

/** The profile's name for the type of a value, used in errors ("got text string, want map"). */
export function cborTypeName(v: CborValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return v < 0 ? 'negative integer' : 'unsigned integer';
  if (typeof v === 'string') return 'text string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Uint8Array) return 'byte string';
  if (Array.isArray(v)) return 'array';
  return 'map';
}

function wrongType(v: CborValue, path: string, want: string): never {
  throw new MalformedError('FIELD_TYPE', `${path}: got ${cborTypeName(v)}, want ${want}`, { field: path });
}

/** Length bounds shared by byte strings, text strings (in UTF-8 bytes) and arrays. */
export interface LengthBounds {
  /** Exact length wanted. */
  length?: number;
  minLength?: number;
  maxLength?: number;
}

function checkLength(n: number, path: string, b: LengthBounds, unit: string): void {
  const bad =
    (b.length !== undefined && n !== b.length) ||
    (b.minLength !== undefined && n < b.minLength) ||
    (b.maxLength !== undefined && n > b.maxLength);
  if (!bad) return;
  const want =
    b.length !== undefined
      ? `${b.length}`
      : `${b.minLength ?? 0} … ${b.maxLength === undefined ? 'any' : String(b.maxLength)}`;
  throw new MalformedError('FIELD_LENGTH', `${path}: got ${n} ${unit}, want ${want}`, { field: path });
}

/** Returns `v` if it is a map. @throws MalformedError `FIELD_TYPE` otherwise. */
export function expectMap(v: CborValue, path: string): CborMap {
  if (v instanceof Map) return v;
  return wrongType(v, path, 'map');
}

/** Returns `v` if it is an array within the bounds. @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`. */
export function expectArray(v: CborValue, path: string, bounds: LengthBounds = {}): CborValue[] {
  if (!Array.isArray(v)) return wrongType(v, path, 'array');
  checkLength(v.length, path, bounds, 'items');
  return v;
}

/** Returns `v` if it is a byte string within the bounds. @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`. */
export function expectBytes(v: CborValue, path: string, bounds: LengthBounds = {}): Uint8Array<ArrayBuffer> {
  if (!(v instanceof Uint8Array)) return wrongType(v, path, 'byte string');
  checkLength(v.length, path, bounds, 'bytes');
  return v;
}

/**
 * Returns `v` if it is a text string whose UTF-8 length is within the bounds and that `pattern`
 * matches in full (the match must cover the whole string, anchors or not).
 *
 * @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`, `FIELD_PATTERN`.
 */
export function expectText(
  v: CborValue,
  path: string,
  opts: LengthBounds & { pattern?: RegExp } = {},
): string {
  if (typeof v !== 'string') return wrongType(v, path, 'text string');
  checkLength(utf8Encode(v, path).length, path, opts, 'UTF-8 bytes');
  if (opts.pattern !== undefined) {
    opts.pattern.lastIndex = 0;
    const m = opts.pattern.exec(v);
    opts.pattern.lastIndex = 0;
    if (m === null || m.index !== 0 || m[0].length !== v.length) {
      throw new MalformedError('FIELD_PATTERN', `${path}: does not match ${String(opts.pattern)}`, {
        field: path,
      });
    }
  }
  return v;
}

/**
 * Returns `v` as a `number` if it is an unsigned integer in `min … max`.
 *
 * @param opts - `min` (default 0) and `max` (default and upper limit: 2^53 − 1); use
 *   {@link expectUint64} for the full 64-bit range.
 * @throws MalformedError `FIELD_TYPE` for a non-integer or negative integer, `FIELD_RANGE`.
 */
export function expectUint(v: CborValue, path: string, opts: { min?: number; max?: number } = {}): number {
  if ((typeof v !== 'number' && typeof v !== 'bigint') || v < 0)
    return wrongType(v, path, 'unsigned integer');
  const min = opts.min ?? 0;
  const max = Math.min(opts.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (v < min || v > max) {
    throw new MalformedError('FIELD_RANGE', `${path}: got ${v}, want ${min} … ${max}`, { field: path });
  }
  return Number(v);
}

/**
 * Returns `v` as a `bigint` if it is an unsigned integer in `min … max`.
 *
 * @param opts - `min` (default 0n) and `max` (default 2^64 − 1).
 * @throws MalformedError `FIELD_TYPE` for a non-integer or negative integer, `FIELD_RANGE`.
 */
export function expectUint64(v: CborValue, path: string, opts: { min?: bigint; max?: bigint } = {}): bigint {
  if ((typeof v !== 'number' && typeof v !== 'bigint') || v < 0)
    return wrongType(v, path, 'unsigned integer');
  const n = BigInt(v);
  const min = opts.min ?? 0n;
  const max = opts.max ?? (1n << 64n) - 1n;
  if (n < min || n > max) {
    throw new MalformedError('FIELD_RANGE', `${path}: got ${n}, want ${min} … ${max}`, { field: path });
  }
  return n;
}

/** Returns `v` if it is a boolean. @throws MalformedError `FIELD_TYPE` otherwise. */
export function expectBool(v: CborValue, path: string): boolean {
  if (typeof v === 'boolean') return v;
  return wrongType(v, path, 'boolean');
}
