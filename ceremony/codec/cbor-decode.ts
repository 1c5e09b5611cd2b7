/**
 * Strict deterministic-CBOR decoder (RFC 8949 §4.2.1; profile in docs/codec.md §1).
 *
 * One pass: every data item is checked against each rule of the profile as it is read, and its
 * value built only after its checks pass. Rules, with the RFC 8949 section each comes from:
 * - every head is complete and its argument fits the input (§3, §3.1; a declared length is never
 *   trusted beyond the bytes that remain, so nothing is allocated for it);
 * - additional information 28–30 is reserved (§3.1); 31 (indefinite length, break) is refused (§3.2,
 *   §4.2.1);
 * - arguments use the shortest form (§4.2.1);
 * - no tags (major type 6), no floats (major 7, ai 25–27), no simple values but false/true/null;
 * - text strings are valid UTF-8 (§3.1, §5.3.1);
 * - map keys are integers or text strings, strictly increasing in bytewise order of their
 *   encodings, hence unique (§4.2.1, §5.6);
 * - nesting of arrays and maps at most `maxDepth`; exactly one top-level item, no trailing bytes.
 *
 * Together these rules leave exactly one encoding per value, the one `encodeCbor` writes: a value
 * accepted here re-encodes to identical bytes. The property and differential tests check that on
 * random and mutated input against a slow reference decoder (test/unit/codec/cbor-fuzz.test.ts);
 * `verifyReencoding: true` also checks it at run time. Why this replaced "scanner, then cbor-x,
 * then re-encode", with the measurements: docs/codec.md §1.6.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';
import { equalBytes } from './bytes.js';
import { encodeCbor } from './cbor-encode.js';
import {
  CBOR_DEFAULT_MAX_BYTES,
  CBOR_DEFAULT_MAX_DEPTH,
  MAJOR,
  checkBytesOption,
  checkDepthOption,
} from './cbor-types.js';
import type { CborKey, CborMap, CborValue, DecodeCborOptions } from './cbor-types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Shortest-form lower bounds for additional information 24, 25, 26 (27: the high word is not 0). */
const MIN_ARG = [24, 0x100, 0x10000];

/** Text strings up to this many bytes are tried as ASCII in JavaScript before calling TextDecoder. */
const SHORT_TEXT = 32;

class Reader {
  pos = 0;
  constructor(
    /** A plain `Uint8Array` view of the input (never a `Buffer`, whose `slice` shares memory). */
    private readonly b: Uint8Array<ArrayBufferLike>,
    private readonly maxDepth: number,
    private readonly where: string,
    private readonly field: string | undefined,
  ) {}

  fail(code: string, at: number, reason: string): never {
    throw new MalformedError(code, `${this.where}CBOR at byte ${at}: ${reason}`, { field: this.field });
  }

  /** Requires `n` more bytes (a `bigint` `n` is never there); `what` is named in the error. */
  private need(n: number | bigint, at: number, what: string): void {
    const have = this.b.length - this.pos;
    if (n > have) this.fail('CBOR_TRUNCATED', at, `${what} needs ${n} bytes, ${have} remain`);
  }

  /**
   * The argument of a head with additional information `ai` ≥ 24 (§3.1), in its shortest form;
   * a `bigint` only above 2^53 − 1.
   */
  private arg(ai: number, major: number, start: number): number | bigint {
    if (ai === 31) {
      if (major >= MAJOR.bytes) this.fail('CBOR_INDEFINITE_LENGTH', start, 'indefinite length not allowed');
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
    const lo = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
    if (hi === 0) this.fail('CBOR_NON_SHORTEST', start, `argument ${lo} not in its shortest form`);
    const v = hi * 0x1_0000_0000 + lo;
    return Number.isSafeInteger(v) ? v : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reads one data item at `depth` enclosing containers. */
  item(depth: number): CborValue {
    const b = this.b;
    const start = this.pos;
    this.need(1, start, 'data item');
    const ib = b[this.pos++]!;
    const major = ib >> 5;
    const ai = ib & 31;
    if (major === MAJOR.simple) return this.simple(ib, ai, start);
    if (major === MAJOR.tag)
      this.fail('CBOR_TAG', start, `tag (initial byte 0x${ib.toString(16)}) not allowed`);
    const arg = ai < 24 ? ai : this.arg(ai, major, start);
    // A length or count that passes `need` is at most the input length: `Number(arg)` is exact.
    switch (major) {
      case MAJOR.uint:
        return arg;
      case MAJOR.negint: {
        if (typeof arg === 'number' && arg < Number.MAX_SAFE_INTEGER) return -1 - arg;
        const v = -1n - BigInt(arg);
        return v >= -Number.MAX_SAFE_INTEGER ? Number(v) : v;
      }
      case MAJOR.bytes: {
        this.need(arg, start, `byte string of length ${arg}`);
        const p = this.pos;
        this.pos += Number(arg);
        return b.slice(p, this.pos) as Uint8Array<ArrayBuffer>;
      }
      case MAJOR.text: {
        this.need(arg, start, `text string of length ${arg}`);
        const p = this.pos;
        this.pos += Number(arg);
        return this.text(p, this.pos, start);
      }
      case MAJOR.array: {
        this.enter(depth, start);
        this.need(arg, start, `array of ${arg} items`); // every item is at least 1 byte
        const out: CborValue[] = [];
        for (let i = 0, n = Number(arg); i < n; i++) out.push(this.item(depth + 1));
        return out;
      }
      default: // MAJOR.map
        this.enter(depth, start);
        this.need(typeof arg === 'bigint' ? arg * 2n : arg * 2, start, `map of ${arg} pairs`);
        return this.mapBody(Number(arg), depth + 1);
    }
  }

  /** Major type 7 (§3.3): only false, true and null; a float, break, reserved or other simple value is refused. */
  private simple(ib: number, ai: number, start: number): CborValue {
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

  /** The text string in bytes `p … end` of the input; `start` is its head. */
  private text(p: number, end: number, start: number): string {
    const b = this.b;
    if (end - p <= SHORT_TEXT) {
      // Short ASCII strings (map keys, identifiers) are most text: cheaper than a TextDecoder call.
      let s = '';
      for (let i = p; i < end; i++) {
        const c = b[i]!;
        if (c >= 0x80) return this.utf8(p, end, start);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.utf8(p, end, start);
  }

  private utf8(p: number, end: number, start: number): string {
    try {
      return utf8.decode(this.b.subarray(p, end));
    } catch {
      return this.fail('CBOR_INVALID_UTF8', start, 'text string is not valid UTF-8');
    }
  }

  private enter(depth: number, start: number): void {
    if (depth >= this.maxDepth) this.fail('CBOR_TOO_DEEP', start, `nesting deeper than ${this.maxDepth}`);
  }

  private mapBody(pairs: number, depth: number): CborMap {
    const out: CborMap = new Map();
    let prevStart = -1;
    let prevEnd = -1;
    for (let i = 0; i < pairs; i++) {
      const keyStart = this.pos;
      const major = (this.b[keyStart] ?? 0) >> 5; // a missing key is reported by item()
      if (major !== MAJOR.uint && major !== MAJOR.negint && major !== MAJOR.text) {
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

  /** Bytewise lexicographic order of the input ranges `a0 … a1` and `b0 … b1` (§4.2.1). */
  private compare(a0: number, a1: number, b0: number, b1: number): number {
    const b = this.b;
    const n = Math.min(a1 - a0, b1 - b0);
    for (let i = 0; i < n; i++) {
      const d = b[a0 + i]! - b[b0 + i]!;
      if (d !== 0) return d;
    }
    return a1 - a0 - (b1 - b0);
  }
}

/**
 * Decodes one deterministic-CBOR data item, refusing anything outside the profile; the first
 * violation in input order is reported, with its byte offset.
 *
 * @param bytes - the whole input: exactly one data item, nothing after it. A `Buffer` is read as
 *   the plain bytes it views.
 * @param options - `maxBytes` (default 1 MiB), `maxDepth` (default 16), `field` (names the input
 *   in errors), `verifyReencoding` (default false: also re-encode the value and compare).
 * @returns the value (see {@link CborValue}); maps are `Map`s in encoded key order; byte strings
 *   are fresh copies.
 * @throws MalformedError `FIELD_TYPE` (input not a `Uint8Array`), `CBOR_TOO_LARGE` (input longer
 *   than `maxBytes`, before parsing), `CBOR_TRUNCATED`, `CBOR_TRAILING_BYTES`, `CBOR_RESERVED`,
 *   `CBOR_INDEFINITE_LENGTH`, `CBOR_UNEXPECTED_BREAK`, `CBOR_NON_SHORTEST`, `CBOR_TAG`,
 *   `CBOR_FLOAT`, `CBOR_SIMPLE_VALUE`, `CBOR_INVALID_UTF8`, `CBOR_KEY_TYPE`,
 *   `CBOR_UNSORTED_KEYS`, `CBOR_DUPLICATE_KEY`, `CBOR_TOO_DEEP`; with `verifyReencoding`,
 *   `CBOR_NON_CANONICAL` if the value does not re-encode to the same bytes (not expected).
 * @throws UsageError `CBOR_BAD_OPTION` for an invalid option.
 * @example decodeCbor(Uint8Array.of(0xa1, 0x01, 0x61, 0x61)) // Map { 1 => 'a' }
 */
export function decodeCbor(bytes: Uint8Array, options: DecodeCborOptions = {}): CborValue {
  const maxBytes = checkBytesOption(options.maxBytes ?? CBOR_DEFAULT_MAX_BYTES);
  const maxDepth = checkDepthOption(options.maxDepth ?? CBOR_DEFAULT_MAX_DEPTH);
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
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const r = new Reader(view, maxDepth, where, field);
  const value = r.item(0);
  if (r.pos !== bytes.length) {
    r.fail('CBOR_TRAILING_BYTES', r.pos, `${bytes.length - r.pos} bytes after the data item`);
  }
  if (options.verifyReencoding === true && !equalBytes(encodeCbor(value, { maxDepth }), view)) {
    throw new MalformedError('CBOR_NON_CANONICAL', `${where}CBOR does not re-encode to identical bytes`, {
      field,
    });
  }
  return value;
}
