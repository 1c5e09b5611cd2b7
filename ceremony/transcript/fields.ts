/**
 * Strict readers for the JSON members of transcript records: each names the line and the member
 * it refuses, so a tampered or hand-edited transcript gets a precise error.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';
import type { JsonValue } from './canonical-json.js';
import type { JsonObject } from './records.js';

/** Where a value sits: `line 12 data.plan[3].id`. */
export type At = string;

/** Throws MalformedError `TRANSCRIPT_BAD_FIELD` naming `at`. */
export function badField(at: At, reason: string): never {
  throw new MalformedError('TRANSCRIPT_BAD_FIELD', `${at}: ${reason}`, { field: at });
}

function typeName(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** `v` as an object whose members are within `required` ∪ `optional`, all required present. */
export function obj(
  v: JsonValue | undefined,
  at: At,
  required: string[],
  optional: string[] = [],
): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v))
    badField(at, `got ${typeName(v)}, want an object`);
  for (const k of required) if (!(k in v)) badField(`${at}.${k}`, 'missing');
  for (const k of Object.keys(v))
    if (!required.includes(k) && !optional.includes(k)) badField(`${at}.${k}`, 'unknown member');
  return v;
}

/** `v` as a non-empty string of at most `max` characters, matching `pattern` when given. */
export function str(v: JsonValue | undefined, at: At, pattern?: RegExp, max = 4096): string {
  if (typeof v !== 'string') badField(at, `got ${typeName(v)}, want a string`);
  if (v.length === 0 || v.length > max) badField(at, `length ${v.length}, want 1 to ${max}`);
  if (pattern !== undefined && !pattern.test(v))
    badField(at, `${JSON.stringify(v.slice(0, 80))} is malformed`);
  return v;
}

/** `v` as an integer in `[min, max]`. */
export function int(v: JsonValue | undefined, at: At, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) badField(at, `got ${typeName(v)}, want an integer`);
  if (v < min || v > max) badField(at, `${v} is outside ${min}..${max}`);
  return v;
}

/** `v` as an array of at most `max` items. */
export function arr(v: JsonValue | undefined, at: At, max = 10_000): JsonValue[] {
  if (!Array.isArray(v)) badField(at, `got ${typeName(v)}, want an array`);
  if (v.length > max) badField(at, `${v.length} items, at most ${max}`);
  return v;
}

/** Lowercase hex of exactly `bytes` bytes. */
export function hex(v: JsonValue | undefined, at: At, bytes: number): string {
  return str(v, at, new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
}

/** Ids of ceremonies, steps and participants. */
export const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Names of step outputs (`toolSha256`, `digest`). */
export const OUTPUT_NAME = /^[a-z][A-Za-z0-9-]{0,62}$/;
