/**
 * Canonical JSON for transcript lines: RFC 8785 (JSON Canonicalization Scheme) restricted to the
 * values a transcript holds, so that a record has exactly one byte representation.
 *
 * - Values: `null`, `true`, `false`, integers with |n| ≤ 2^53 − 1, strings, arrays, objects. No
 *   floats, no `-0`, no `undefined` (an absent optional member is left out, never `null`).
 * - Objects: members sorted by the UTF-16 code units of their names (RFC 8785 §3.2.3; for the ASCII
 *   names we use this is plain byte order, as `jq -S` sorts), names unique.
 * - Strings: as ECMAScript `JSON.stringify` writes them (RFC 8785 §3.2.2.2): `\"`, `\\`, `\b`,
 *   `\f`, `\n`, `\r`, `\t`, other controls as `\u00xx`, everything else as UTF-8; unpaired
 *   surrogates are refused.
 * - No whitespace. At most {@link MAX_JSON_DEPTH} nested arrays and objects.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../errors.js';

/** A value canonical JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deepest nesting of arrays and objects accepted (a record's `data` is shallow). */
export const MAX_JSON_DEPTH = 16;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The canonical JSON text of `value`.
 *
 * @param field - path of the value, reported in errors (default `$`).
 * @throws UsageError `JSON_NOT_CANONICAL_VALUE` for a float, unsafe integer, `-0`, `undefined`,
 *   function, class instance or lone surrogate; `JSON_TOO_DEEP`.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown, field = '$'): string {
  return write(value, field, 0);
}

function write(value: unknown, field: string, depth: number): string {
  const bad = (what: string) =>
    new UsageError('JSON_NOT_CANONICAL_VALUE', `${field}: ${what} has no canonical JSON form here`, {
      field,
    });
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw bad(`the number ${String(value)}`);
      if (Object.is(value, -0)) throw bad('-0');
      return String(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw bad('a string with an unpaired surrogate');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw bad(`a ${typeof value}`);
  }
  if (depth >= MAX_JSON_DEPTH)
    throw new UsageError('JSON_TOO_DEEP', `${field}: nested deeper than ${MAX_JSON_DEPTH}`, { field });
  if (Array.isArray(value)) {
    return '[' + value.map((v, i) => write(v, `${field}[${i}]`, depth + 1)).join(',') + ']';
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw bad('a class instance');
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    '{' +
    entries
      .map(([k, v]) => {
        if (LONE_SURROGATE.test(k)) throw bad('a member name with an unpaired surrogate');
        return JSON.stringify(k) + ':' + write(v, `${field}.${k}`, depth + 1);
      })
      .join(',') +
    '}'
  );
}

/**
 * Parses one canonical JSON text and checks that it is canonical: re-encoding the parsed value
 * gives back the same text (duplicate member names, whitespace, floats, `\u0061` escapes, key
 * order all fail this).
 *
 * @throws MalformedError `JSON_SYNTAX` (not JSON), `JSON_NOT_CANONICAL` (JSON, but not its one
 *   canonical form: the message says how).
 */
export function parseCanonicalJson(text: string, field = '$'): JsonValue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MalformedError('JSON_SYNTAX', `${field}: not JSON (${(e as Error).message})`, { field });
  }
  let again: string;
  try {
    again = canonicalJson(value, field);
  } catch (e) {
    const why = e instanceof UsageError ? e.message : String(e);
    throw new MalformedError('JSON_NOT_CANONICAL', `${field}: not canonical JSON: ${why}`, { field });
  }
  if (again !== text) {
    let i = 0;
    while (i < text.length && text[i] === again[i]) i++;
    throw new MalformedError(
      'JSON_NOT_CANONICAL',
      `${field}: not canonical JSON (first difference at character ${i + 1}: key order, whitespace, escapes, number form or a duplicate member)`,
      { field },
    );
  }
  return value as JsonValue;
}
