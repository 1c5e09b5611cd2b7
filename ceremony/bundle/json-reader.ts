/**
 * Strict reading of small JSON documents (the trust file): bounded size, duplicate object keys
 * refused (`JSON.parse` silently keeps the last one, so two reviewers could read two different
 * files), unknown members refused, every error naming the file and the JSON path (`$.witness.log_key`).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';

/** A JSON value as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Builds the errors of one document: codes prefixed, messages and `file` naming the input. */
export class JsonReader {
  constructor(
    readonly prefix: string,
    readonly file: string | undefined,
  ) {}

  fail(code: string, path: string, reason: string, cause?: unknown): never {
    const where = this.file === undefined ? '' : `${this.file}: `;
    throw new MalformedError(`${this.prefix}_${code}`, `${where}${path}: ${reason}`, {
      field: path,
      ...(this.file === undefined ? {} : { file: this.file }),
      cause,
    });
  }

  /** Parses `text` (at most `maxLength` UTF-16 units); refuses duplicate keys. */
  parse(text: string, maxLength: number): Json {
    if (typeof text !== 'string') this.fail('JSON_INVALID', '$', 'want JSON text');
    if (text.length > maxLength) this.fail('TOO_LARGE', '$', `${text.length} characters, limit ${maxLength}`);
    let value: Json;
    try {
      value = JSON.parse(text) as Json;
    } catch (cause) {
      this.fail(
        'JSON_INVALID',
        '$',
        `not JSON (${cause instanceof Error ? cause.message : String(cause)})`,
        cause,
      );
    }
    this.checkDuplicateKeys(text);
    return value;
  }

  /** Scans JSON text already accepted by JSON.parse for an object with a repeated key. */
  private checkDuplicateKeys(text: string): void {
    const stack: (Set<string> | null)[] = [];
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '{') {
        stack.push(new Set());
        expectKey = true;
      } else if (c === '[') {
        stack.push(null);
      } else if (c === '}' || c === ']') {
        stack.pop();
        expectKey = false;
      } else if (c === ',') {
        expectKey = stack[stack.length - 1] instanceof Set;
      } else if (c === '"') {
        let j = i + 1;
        while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        if (expectKey) {
          const key = JSON.parse(text.slice(i, j + 1)) as string;
          const keys = stack[stack.length - 1]!;
          if (keys.has(key))
            this.fail('DUPLICATE_KEY', '$', `object key ${JSON.stringify(key)} appears twice`);
          keys.add(key);
          expectKey = false;
        }
        i = j;
      }
    }
  }

  /** `v` as an object with only the listed members, the `required` ones present. */
  object(
    v: Json | undefined,
    path: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail('FIELD_TYPE', path, `got ${kind(v)}, want an object`);
    for (const k of Object.keys(v)) {
      if (!required.includes(k) && !optional.includes(k)) {
        this.fail(
          'FIELD_UNKNOWN',
          `${path}.${k}`,
          `unknown field; allowed: ${[...required, ...optional].join(', ')}`,
        );
      }
    }
    for (const k of required)
      if (!(k in v)) this.fail('FIELD_MISSING', `${path}.${k}`, 'missing required field');
    return v;
  }

  /** `v` as an array of `min … max` items. */
  array(v: Json | undefined, path: string, min: number, max: number): Json[] {
    if (!Array.isArray(v)) this.fail('FIELD_TYPE', path, `got ${kind(v)}, want an array`);
    if (v.length < min || v.length > max)
      this.fail('FIELD_LENGTH', path, `got ${v.length} items, want ${min} … ${max}`);
    return v;
  }

  /** `v` as a string of at most `max` characters. */
  string(v: Json | undefined, path: string, max = 4096): string {
    if (typeof v !== 'string') this.fail('FIELD_TYPE', path, `got ${kind(v)}, want a string`);
    if (v.length > max) this.fail('FIELD_LENGTH', path, `got ${v.length} characters, want at most ${max}`);
    return v;
  }

  /** `v` as an integer in `min … max`. */
  integer(v: Json | undefined, path: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      this.fail('FIELD_TYPE', path, `got ${kind(v)}, want an integer`);
    if (v < min || v > max) this.fail('FIELD_RANGE', path, `got ${v}, want ${min} … ${max}`);
    return v;
  }

  /** `v` as a boolean. */
  boolean(v: Json | undefined, path: string): boolean {
    if (typeof v !== 'boolean') this.fail('FIELD_TYPE', path, `got ${kind(v)}, want true or false`);
    return v;
  }
}

function kind(v: Json | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return 'a non-integer number';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/**
 * Parses an ISO 8601 UTC time, `YYYY-MM-DDTHH:MM:SS[.sss]Z`, to milliseconds since the Unix
 * epoch; refuses offsets other than `Z`, impossible dates (`2025-02-30`) and leap seconds.
 *
 * @returns the time, or undefined when the text is not such a time.
 */
export function parseIsoUtc(text: string): number | undefined {
  const m = ISO_UTC.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0'));
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  const same =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return same && y >= 1970 ? t : undefined;
}
