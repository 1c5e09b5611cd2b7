/**
 * Strict reading of JSON configuration values: each reader names the dotted path it reads and
 * records a problem instead of throwing, so one pass reports every bad field at once (as
 * sigstore-js validates structure). {@link JsonReader.done} throws them together.
 */
import { base64Decode, hexDecode } from '../../codec/index.js';
import { UsageError } from '../../errors.js';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Collects problems found while reading one JSON document. */
export class JsonReader {
  readonly problems: { field: string; reason: string }[] = [];

  constructor(
    readonly file: string | undefined,
    readonly code: string,
  ) {}

  /** Records a problem; returns undefined so callers can `return r.bad(...)`. */
  bad(field: string, reason: string): undefined {
    this.problems.push({ field, reason });
    return undefined;
  }

  /** An object with exactly the given keys (required ones present, no others). */
  object(
    v: unknown,
    field: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): JsonObject | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.bad(field, 'want an object');
    const o = v as JsonObject;
    for (const k of Object.keys(o)) {
      if (!required.includes(k) && !optional.includes(k)) this.bad(`${field}.${k}`, 'unknown field');
    }
    for (const k of required) if (!(k in o)) this.bad(`${field}.${k}`, 'missing');
    return o;
  }

  array(v: unknown, field: string, max = 1000): unknown[] | undefined {
    if (!Array.isArray(v)) return this.bad(field, 'want an array');
    if (v.length > max) return this.bad(field, `${v.length} items, want at most ${max}`);
    return v;
  }

  string(v: unknown, field: string, pattern?: RegExp, what = 'a non-empty string'): string | undefined {
    if (typeof v !== 'string' || v === '' || v.length > 4096) return this.bad(field, `want ${what}`);
    if (pattern !== undefined && !pattern.test(v))
      return this.bad(field, `got ${JSON.stringify(v)}, want ${what}`);
    return v;
  }

  oneOf<T extends string>(v: unknown, field: string, values: readonly T[]): T | undefined {
    if (typeof v !== 'string' || !values.includes(v as T)) {
      return this.bad(field, `got ${JSON.stringify(v)}, want one of ${values.join(', ')}`);
    }
    return v as T;
  }

  boolean(v: unknown, field: string): boolean | undefined {
    if (typeof v !== 'boolean') return this.bad(field, 'want true or false');
    return v;
  }

  integer(v: unknown, field: string, min: number, max: number): number | undefined {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      return this.bad(field, `got ${JSON.stringify(v)}, want an integer in ${min}..${max}`);
    }
    return v;
  }

  hex(v: unknown, field: string, lengths: readonly number[]): Uint8Array | undefined {
    if (typeof v !== 'string') return this.bad(field, 'want lowercase hex');
    try {
      const b = hexDecode(v, field);
      if (!lengths.includes(b.length))
        return this.bad(field, `got ${b.length} bytes, want ${lengths.join(' or ')}`);
      return b;
    } catch {
      return this.bad(field, 'want lowercase hex with an even number of digits');
    }
  }

  base64(v: unknown, field: string): Uint8Array | undefined {
    if (typeof v !== 'string') return this.bad(field, 'want canonical base64');
    try {
      return base64Decode(v, field);
    } catch {
      return this.bad(field, 'want canonical base64');
    }
  }

  /** Throws every problem found, in one UsageError whose field is the first bad path. */
  done(): void {
    if (this.problems.length === 0) return;
    const lines = this.problems.slice(0, 20).map((p) => `${p.field}: ${p.reason}`);
    const more = this.problems.length > 20 ? ` (and ${this.problems.length - 20} more)` : '';
    throw new UsageError(this.code, `${lines.join('; ')}${more}`, {
      field: this.problems[0]!.field,
      ...(this.file === undefined ? {} : { file: this.file }),
    });
  }
}
