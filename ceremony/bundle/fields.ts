/**
 * Reading CBOR maps whose keys are the small integers 0 … n − 1 under *named* dotted paths: the
 * wire carries `3`, the error says `fleetKeySet.keys[2].publicKey`. Same error codes as the codec's
 * field readers (docs/codec.md §1.5); paths are only built when a check fails, because clients run
 * these readers on every bundle they verify.
 *
 * Portable: no `node:` imports.
 */
import { cborTypeName } from '../codec/index.js';
import type { CborMap, CborValue } from '../codec/index.js';
import { MalformedError, UsageError } from '../errors.js';

/** A map's key table: field name → integer key; the keys are exactly 0 … n − 1. */
export type KeyTable = Readonly<Record<string, number>>;

/** Throws a MalformedError `code` naming `path` and the reason. */
export function malformed(code: string, path: string, reason: string, cause?: unknown): never {
  throw new MalformedError(code, `${path}: ${reason}`, { field: path, cause });
}

function wrongType(v: CborValue, path: string, want: string): never {
  return malformed('FIELD_TYPE', path, `got ${cborTypeName(v)}, want ${want}`);
}

/** Returns `v` if it is a map. @throws MalformedError `FIELD_TYPE`. */
export function asMap(v: CborValue, path: string): CborMap {
  return v instanceof Map ? v : wrongType(v, path, 'map');
}

/** Returns `v` if it is an array of `min … max` items. @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`. */
export function asArray(v: CborValue, path: string, min: number, max: number): CborValue[] {
  if (!Array.isArray(v)) return wrongType(v, path, 'array');
  if (v.length < min || v.length > max)
    malformed('FIELD_LENGTH', path, `got ${v.length} items, want ${min} … ${max}`);
  return v;
}

/** Returns `v` if it is a byte string of `min … max` bytes. @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`. */
export function asBytes(v: CborValue, path: string, min: number, max = min): Uint8Array {
  if (!(v instanceof Uint8Array)) return wrongType(v, path, 'byte string');
  if (v.length < min || v.length > max) {
    malformed('FIELD_LENGTH', path, `got ${v.length} bytes, want ${min === max ? min : `${min} … ${max}`}`);
  }
  return v;
}

/**
 * Returns `v` if it is a text string matched in full by `pattern` (an anchored, ASCII-only
 * pattern that also bounds the length). @throws MalformedError `FIELD_TYPE`, `FIELD_PATTERN`.
 */
export function asText(v: CborValue, path: string, pattern: RegExp): string {
  if (typeof v !== 'string') return wrongType(v, path, 'text string');
  if (!pattern.test(v)) malformed('FIELD_PATTERN', path, `does not match ${String(pattern)}`);
  return v;
}

/** Returns `v` if it is an unsigned integer in `min … max` (≤ 2^53 − 1). @throws MalformedError `FIELD_TYPE`, `FIELD_RANGE`. */
export function asUint(v: CborValue, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || v < 0) {
    return typeof v === 'bigint' && v > 0n
      ? malformed('FIELD_RANGE', path, `got ${v}, want ${min} … ${max}`)
      : wrongType(v, path, 'unsigned integer');
  }
  if (v < min || v > max) malformed('FIELD_RANGE', path, `got ${v}, want ${min} … ${max}`);
  return v;
}

/** Returns `v` as a bigint if it is an unsigned integer ≥ `min` (≤ 2^64 − 1). @throws MalformedError `FIELD_TYPE`, `FIELD_RANGE`. */
export function asUint64(v: CborValue, path: string, min = 0n): bigint {
  if ((typeof v !== 'number' && typeof v !== 'bigint') || v < 0)
    return wrongType(v, path, 'unsigned integer');
  const n = BigInt(v);
  if (n < min) malformed('FIELD_RANGE', path, `got ${n}, want ${min} … 2^64-1`);
  return n;
}

/**
 * Checks that a map has exactly the keys of `table` (0 … n − 1), or also lacks the `optional`
 * ones. Unknown keys are reported first (all listed), then missing ones.
 *
 * @throws MalformedError `FIELD_UNKNOWN`, `FIELD_MISSING` (named paths).
 */
export function checkKeys(
  map: CborMap,
  path: string,
  table: KeyTable,
  optional: readonly string[] = [],
): void {
  const n = Object.keys(table).length;
  let known = 0;
  for (const k of map.keys()) if (typeof k === 'number' && k < n) known++;
  if (known !== map.size) {
    const names = [...map.keys()]
      .filter((k) => !(typeof k === 'number' && k < n))
      .map((k) => `${path}.${String(k)}`);
    throw new MalformedError('FIELD_UNKNOWN', `unknown field(s): ${names.join(', ')}`, { field: names[0] });
  }
  if (known === n) return;
  const missing = Object.keys(table).filter((name) => !map.has(table[name]!) && !optional.includes(name));
  if (missing.length > 0) {
    const names = missing.map((name) => `${path}.${name}`);
    throw new MalformedError('FIELD_MISSING', `missing required field(s): ${names.join(', ')}`, {
      field: names[0],
    });
  }
}

/**
 * Runs `f`, turning its MalformedErrors into UsageErrors with the same code, message and field:
 * an encoder validates its caller's value with the decoder's rules, but a bad value from a caller
 * is a usage error, not malformed input.
 */
export function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MalformedError) throw new UsageError(e.code, e.message, { field: e.field, cause: e });
    throw e;
  }
}

/** Throws a UsageError `code` naming `path` and the reason. */
export function usage(code: string, path: string, reason: string): never {
  throw new UsageError(code, `${path}: ${reason}`, { field: path });
}

/** Reverse lookup of an enum table (name → code) for the encoder. @throws UsageError `code`. */
export function codeOf<N extends string>(
  table: Readonly<Record<N, number>>,
  name: unknown,
  code: string,
  path: string,
): number {
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name)) return table[name as N];
  return usage(code, path, `got ${JSON.stringify(name)}, want one of ${Object.keys(table).join(', ')}`);
}

/** An enum table's names indexed by code, for {@link nameOf}. */
export function namesByCode<N extends string>(table: Readonly<Record<N, number>>): (N | undefined)[] {
  const out: (N | undefined)[] = [];
  for (const [name, v] of Object.entries(table) as [N, number][]) out[v] = name;
  return out;
}

/** Forward lookup (code → name) for the decoder. @throws MalformedError `FIELD_TYPE`, `code`. */
export function nameOf<N extends string>(
  names: readonly (N | undefined)[],
  v: CborValue,
  code: string,
  path: string,
): N {
  const name = typeof v === 'number' ? names[v] : undefined;
  if (name !== undefined) return name;
  asUint(v, path);
  const want = names.flatMap((n, i) => (n === undefined ? [] : [`${i} (${n})`])).join(', ');
  return malformed(code, path, `got ${String(v)}, want ${want}`);
}
