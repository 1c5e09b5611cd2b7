/**
 * Reading the fields of a decoded CBOR map strictly: the set of keys is checked once with
 * {@link expectFields} (unknown keys refused, required keys present), then each field is read
 * with a typed getter that names its dotted path in errors.
 *
 * Optional fields: `map.has(key) ? getText(map, key, path) : undefined`.
 *
 * @example
 * const m = expectMap(decodeCbor(bytes), 'keySet');
 * expectFields(m, 'keySet', { required: ['version', 'epoch'], optional: ['note'] });
 * const epoch = getUint64(m, 'epoch', 'keySet');
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';
import {
  expectArray,
  expectBool,
  expectBytes,
  expectMap,
  expectText,
  expectUint,
  expectUint64,
} from './cbor-expect.js';
import type { LengthBounds } from './cbor-expect.js';
import type { CborKey, CborMap, CborValue } from './cbor-types.js';

/** Integer keys are stored as `number` when safe (the decoded model), so `1n` finds key `1`. */
function normKey(key: CborKey): CborKey {
  return typeof key === 'bigint' && key >= -Number.MAX_SAFE_INTEGER && key <= Number.MAX_SAFE_INTEGER
    ? Number(key)
    : key;
}

/** The dotted path of a map's field: `path.key` (integer keys too: `bundle.3`); `key` alone at the root `''`. */
export function fieldPath(path: string, key: CborKey): string {
  return path === '' ? String(key) : `${path}.${String(key)}`;
}

/**
 * Checks a map's keys: every `required` key present, no key outside `required` ∪ `optional`.
 * Every offending key is listed in the message; `field` names the first.
 *
 * @throws MalformedError `FIELD_UNKNOWN` if any key is unknown, else `FIELD_MISSING` if any
 *   required key is absent.
 */
export function expectFields(
  map: CborMap,
  path: string,
  spec: { required: readonly CborKey[]; optional?: readonly CborKey[] },
): void {
  const allowed = new Set<CborKey>([...spec.required, ...(spec.optional ?? [])].map(normKey));
  const unknown = [...map.keys()].filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    const names = unknown.map((k) => fieldPath(path, k));
    throw new MalformedError('FIELD_UNKNOWN', `unknown field(s): ${names.join(', ')}`, { field: names[0] });
  }
  const missing = spec.required.filter((k) => !map.has(normKey(k)));
  if (missing.length > 0) {
    const names = missing.map((k) => fieldPath(path, k));
    throw new MalformedError('FIELD_MISSING', `missing required field(s): ${names.join(', ')}`, {
      field: names[0],
    });
  }
}

/**
 * Returns the value of a required field.
 *
 * @throws MalformedError `FIELD_MISSING` if the key is absent.
 */
export function getField(map: CborMap, key: CborKey, path: string): CborValue {
  const v = map.get(normKey(key));
  if (v === undefined) {
    const field = fieldPath(path, key);
    throw new MalformedError('FIELD_MISSING', `${field}: missing required field`, { field });
  }
  return v;
}

/** A required map field. @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`. */
export function getMap(map: CborMap, key: CborKey, path: string): CborMap {
  return expectMap(getField(map, key, path), fieldPath(path, key));
}

/** A required array field. @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_LENGTH`. */
export function getArray(map: CborMap, key: CborKey, path: string, bounds?: LengthBounds): CborValue[] {
  return expectArray(getField(map, key, path), fieldPath(path, key), bounds);
}

/** A required byte-string field. @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_LENGTH`. */
export function getBytes(
  map: CborMap,
  key: CborKey,
  path: string,
  bounds?: LengthBounds,
): Uint8Array<ArrayBuffer> {
  return expectBytes(getField(map, key, path), fieldPath(path, key), bounds);
}

/**
 * A required text field; lengths count UTF-8 bytes; `pattern` must match the whole string.
 *
 * @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_LENGTH`, `FIELD_PATTERN`.
 */
export function getText(
  map: CborMap,
  key: CborKey,
  path: string,
  opts?: LengthBounds & { pattern?: RegExp },
): string {
  return expectText(getField(map, key, path), fieldPath(path, key), opts);
}

/** A required unsigned integer field as a `number` (≤ 2^53 − 1). @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_RANGE`. */
export function getUint(
  map: CborMap,
  key: CborKey,
  path: string,
  opts?: { min?: number; max?: number },
): number {
  return expectUint(getField(map, key, path), fieldPath(path, key), opts);
}

/** A required unsigned integer field as a `bigint` (≤ 2^64 − 1). @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`, `FIELD_RANGE`. */
export function getUint64(
  map: CborMap,
  key: CborKey,
  path: string,
  opts?: { min?: bigint; max?: bigint },
): bigint {
  return expectUint64(getField(map, key, path), fieldPath(path, key), opts);
}

/** A required boolean field. @throws MalformedError `FIELD_MISSING`, `FIELD_TYPE`. */
export function getBool(map: CborMap, key: CborKey, path: string): boolean {
  return expectBool(getField(map, key, path), fieldPath(path, key));
}
