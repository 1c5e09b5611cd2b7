/**
 * Validity windows of pinned keys in the trust file: `not_before` and `not_after`, ISO 8601 UTC,
 * the window being `[not_before, not_after)`. A witness key is judged at the statement's
 * timestamp, so statements signed before a rotation keep verifying (docs/trust-file.md).
 *
 * Portable: no `node:` imports.
 */
import { parseIsoUtc } from './json-reader.js';
import type { JsonObject, JsonReader } from './json-reader.js';

/** A validity window in milliseconds since the Unix epoch; an absent bound is open. */
export interface TimeWindow {
  notBefore?: number;
  notAfter?: number;
}

/**
 * Reads `not_before` / `not_after` of a trust-file object.
 *
 * @param requireNotBefore - whether `not_before` must be present (witness statement keys).
 * @throws MalformedError `TRUST_TIME_INVALID`, `TRUST_VALIDITY_INVALID` (not_before ≥ not_after),
 *   `TRUST_FIELD_MISSING`, `TRUST_FIELD_TYPE`.
 */
export function readValidity(
  r: JsonReader,
  o: JsonObject,
  path: string,
  requireNotBefore: boolean,
): TimeWindow {
  const time = (name: 'not_before' | 'not_after'): number | undefined => {
    const v = o[name];
    if (v === undefined) {
      if (name === 'not_before' && requireNotBefore)
        r.fail('FIELD_MISSING', `${path}.${name}`, 'missing required field');
      return undefined;
    }
    const text = r.string(v, `${path}.${name}`, 64);
    const t = parseIsoUtc(text);
    if (t === undefined) {
      r.fail(
        'TIME_INVALID',
        `${path}.${name}`,
        `got ${JSON.stringify(text)}, want ISO 8601 UTC like 2025-06-01T00:00:00Z`,
      );
    }
    return t;
  };
  const notBefore = time('not_before');
  const notAfter = time('not_after');
  if (notBefore !== undefined && notAfter !== undefined && notBefore >= notAfter) {
    r.fail('VALIDITY_INVALID', `${path}.not_after`, 'not after not_before');
  }
  return {
    ...(notBefore === undefined ? {} : { notBefore }),
    ...(notAfter === undefined ? {} : { notAfter }),
  };
}

/** Whether `t` lies in the window `[notBefore, notAfter)`. */
export function inWindow(w: TimeWindow, t: number): boolean {
  return (w.notBefore === undefined || t >= w.notBefore) && (w.notAfter === undefined || t < w.notAfter);
}
