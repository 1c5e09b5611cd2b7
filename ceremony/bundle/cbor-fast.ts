/**
 * A one-pass decoder for the project's deterministic CBOR profile (docs/codec.md §1), for the
 * client's hot path: verifying a validation bundle decodes two CBOR items per call, and the
 * codec's `decodeCbor` (scanner, cbor-x, then a full re-encode compared byte for byte) spends
 * most of its time re-encoding, several times the cost of the signature checks it precedes.
 *
 * This decoder checks every rule of the profile as it reads (shortest heads, definite lengths, no
 * tags, floats or other simple values, valid UTF-8, integer or text map keys strictly increasing
 * in bytewise order of their encodings, bounded depth, exactly one item), so a value it returns
 * is the one `decodeCbor` returns for the same bytes, and it refuses what `decodeCbor` refuses,
 * with the same `CBOR_*` codes. The test suite checks that agreement on random and mutated input
 * (test/unit/bundle/cbor-fast.test.ts).
 *
 * Portable: no `node:` imports.
 */
import { CBOR_DEFAULT_MAX_BYTES, CBOR_DEFAULT_MAX_DEPTH } from '../codec/index.js';
import type { CborKey, CborMap, CborValue, DecodeCborOptions } from '../codec/index.js';
import { MalformedError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Shortest-form lower bounds for additional information 24, 25, 26 (27 is checked as a bigint). */
const MIN_ARG = [24, 0x100, 0x10000];

class Reader {
  pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly maxDepth: number,
    private readonly where: string,
    private readonly field: string | undefined,
  ) {}

  fail(code: string, at: number, reason: string): never {
    throw new MalformedError(code, `${this.where}CBOR at byte ${at}: ${reason}`, { field: this.field });
  }

  need(n: number, at: number, what: string): void {
    const have = this.b.length - this.pos;
    if (n > have) this.fail('CBOR_TRUNCATED', at, `${what} needs ${n} bytes, ${have} remain`);
  }

  /** The argument of a head whose additional information is `ai` (0 … 27); bigint only above 2^53 − 1. */
  arg(ai: number, major: number, start: number): number | bigint {
    if (ai < 24) return ai;
    if (ai === 31) {
      if (major >= 2) this.fail('CBOR_INDEFINITE_LENGTH', start, 'indefinite length not allowed');
      this.fail(
        'CBOR_RESERVED',
        start,
        `additional information 31 is not well-formed for major type ${major}`,
      );
    }
    if (ai > 27) this.fail('CBOR_RESERVED', start, `reserved additional information ${ai}`);
    const size = 1 << (ai - 24);
    this.need(size, start, 'argument');
    const b = this.b;
    let p = this.pos;
    this.pos += size;
    if (ai < 27) {
      let v = 0;
      for (let i = 0; i < size; i++) v = v * 256 + b[p++]!;
      if (v < MIN_ARG[ai - 24]!)
        this.fail('CBOR_NON_SHORTEST', start, `argument ${v} not in its shortest form`);
      return v;
    }
    const hi = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    p += 4;
    const lo = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    if (hi === 0) this.fail('CBOR_NON_SHORTEST', start, `argument ${lo} not in its shortest form`);
    const v = hi * 0x1_0000_0000 + lo;
    return Number.isSafeInteger(v) ? v : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A length (string, array, map) as a number; lengths beyond the input are truncation. */
  length(ai: number, major: number, start: number): number {
    const n = this.arg(ai, major, start);
    return typeof n === 'bigint' ? this.fail('CBOR_TRUNCATED', start, `length ${n} exceeds the input`) : n;
  }

  item(depth: number): CborValue {
    const start = this.pos;
    this.need(1, start, 'data item');
    const ib = this.b[this.pos++]!;
    const major = ib >> 5;
    const ai = ib & 31;
    switch (major) {
      case 0:
        return this.arg(ai, major, start);
      case 1: {
        const n = this.arg(ai, major, start);
        if (typeof n === 'number' && n < Number.MAX_SAFE_INTEGER) return -1 - n;
        const v = -1n - BigInt(n);
        return v >= -Number.MAX_SAFE_INTEGER ? Number(v) : v;
      }
      case 2:
      case 3: {
        const n = this.length(ai, major, start);
        this.need(n, start, `${major === 2 ? 'byte' : 'text'} string of length ${n}`);
        const slice = this.b.subarray(this.pos, this.pos + n);
        this.pos += n;
        if (major === 2) return slice.slice();
        try {
          return utf8.decode(slice);
        } catch {
          return this.fail('CBOR_INVALID_UTF8', start, 'text string is not valid UTF-8');
        }
      }
      case 4: {
        const n = this.length(ai, major, start);
        this.enter(depth, start);
        this.need(n, start, `array of ${n} items`);
        const out: CborValue[] = new Array<CborValue>(n);
        for (let i = 0; i < n; i++) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const n = this.length(ai, major, start);
        this.enter(depth, start);
        this.need(n * 2, start, `map of ${n} pairs`);
        return this.mapBody(n, depth + 1);
      }
      case 6:
        return this.fail('CBOR_TAG', start, `tag (initial byte 0x${ib.toString(16)}) not allowed`);
      default:
        return this.simple(ib, ai, start);
    }
  }

  simple(ib: number, ai: number, start: number): CborValue {
    if (ai === 20) return false;
    if (ai === 21) return true;
    if (ai === 22) return null;
    if (ai >= 25 && ai <= 27)
      this.fail('CBOR_FLOAT', start, `float (initial byte 0x${ib.toString(16)}) not allowed`);
    if (ai === 31)
      this.fail('CBOR_UNEXPECTED_BREAK', start, 'break stop code outside an indefinite-length item');
    if (ai >= 28) this.fail('CBOR_RESERVED', start, `reserved additional information ${ai}`);
    return this.fail(
      'CBOR_SIMPLE_VALUE',
      start,
      `simple value (initial byte 0x${ib.toString(16)}) not allowed`,
    );
  }

  enter(depth: number, start: number): void {
    if (depth >= this.maxDepth) this.fail('CBOR_TOO_DEEP', start, `nesting deeper than ${this.maxDepth}`);
  }

  mapBody(pairs: number, depth: number): CborMap {
    const out: CborMap = new Map();
    let prevStart = -1;
    let prevEnd = -1;
    for (let i = 0; i < pairs; i++) {
      const keyStart = this.pos;
      const major = (this.b[keyStart] ?? 0) >> 5; // a missing key is reported by item()
      if (major !== 0 && major !== 1 && major !== 3) {
        this.fail(
          'CBOR_KEY_TYPE',
          keyStart,
          `map key of major type ${major}, want an integer or a text string`,
        );
      }
      const key = this.item(depth) as CborKey;
      if (prevStart >= 0) {
        const order = this.compare(prevStart, prevEnd, keyStart, this.pos);
        if (order === 0) this.fail('CBOR_DUPLICATE_KEY', keyStart, 'duplicate map key');
        if (order > 0)
          this.fail('CBOR_UNSORTED_KEYS', keyStart, 'map key not in bytewise order of encodings');
      }
      prevStart = keyStart;
      prevEnd = this.pos;
      out.set(key, this.item(depth));
    }
    return out;
  }

  /** Bytewise order of two ranges of the input. */
  compare(a0: number, a1: number, b0: number, b1: number): number {
    const n = Math.min(a1 - a0, b1 - b0);
    for (let i = 0; i < n; i++) {
      const d = this.b[a0 + i]! - this.b[b0 + i]!;
      if (d !== 0) return d;
    }
    return a1 - a0 - (b1 - b0);
  }
}

/**
 * Decodes one deterministic-CBOR data item in one pass; same value model, limits, options and
 * `CBOR_*` error codes as the codec's `decodeCbor` (docs/codec.md §1.3), without its final
 * re-encoding (every rule is checked while reading).
 *
 * @param bytes - exactly one data item.
 * @throws MalformedError `CBOR_TOO_LARGE`, `CBOR_TRUNCATED`, `CBOR_TRAILING_BYTES`,
 *   `CBOR_RESERVED`, `CBOR_INDEFINITE_LENGTH`, `CBOR_UNEXPECTED_BREAK`, `CBOR_NON_SHORTEST`,
 *   `CBOR_TAG`, `CBOR_FLOAT`, `CBOR_SIMPLE_VALUE`, `CBOR_INVALID_UTF8`, `CBOR_KEY_TYPE`,
 *   `CBOR_UNSORTED_KEYS`, `CBOR_DUPLICATE_KEY`, `CBOR_TOO_DEEP`.
 */
export function decodeCborFast(bytes: Uint8Array, options: DecodeCborOptions = {}): CborValue {
  const maxBytes = options.maxBytes ?? CBOR_DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? CBOR_DEFAULT_MAX_DEPTH;
  const field = options.field;
  const where = field === undefined ? '' : `${field}: `;
  if (!(bytes instanceof Uint8Array)) {
    throw new MalformedError('FIELD_TYPE', `${where}want a Uint8Array`, { field });
  }
  if (bytes.length > maxBytes) {
    throw new MalformedError(
      'CBOR_TOO_LARGE',
      `${where}CBOR input of ${bytes.length} bytes, limit ${maxBytes}`,
      {
        field,
      },
    );
  }
  const r = new Reader(bytes, maxDepth, where, field);
  const value = r.item(0);
  if (r.pos !== bytes.length) {
    r.fail('CBOR_TRAILING_BYTES', r.pos, `${bytes.length - r.pos} bytes after the data item`);
  }
  return value;
}
