/**
 * The well-formedness and determinism scanner: walks every data item of an input once and checks
 * each rule of the profile (docs/codec.md) before any value is built.
 *
 * Rules, with the RFC 8949 section each comes from:
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
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';
import { compareBytes, isUtf8 } from './bytes.js';
import { MAJOR } from './cbor-types.js';

/** Shortest-form lower bounds for additional information 24, 25, 26, 27 (§4.2.1). */
const MIN_ARG = [24, 0x100, 0x10000, 0x1_0000_0000];

class Scanner {
  pos = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly field: string | undefined,
  ) {}

  fail(code: string, at: number, reason: string): never {
    const where = this.field === undefined ? '' : `${this.field}: `;
    throw new MalformedError(code, `${where}CBOR at byte ${at}: ${reason}`, { field: this.field });
  }

  private need(n: number, at: number, what: string): void {
    const have = this.bytes.length - this.pos;
    if (n > have) this.fail('CBOR_TRUNCATED', at, `${what} needs ${n} bytes, ${have} remain`);
  }

  /** Reads one head; returns its major type and argument (a float64 is exact up to 2^53). */
  private head(): { major: number; ai: number; arg: number; start: number } {
    const start = this.pos;
    this.need(1, start, 'data item');
    const ib = this.bytes[this.pos++]!;
    const major = ib >> 5;
    const ai = ib & 31;
    if (major === MAJOR.tag)
      this.fail('CBOR_TAG', start, `tag (initial byte 0x${ib.toString(16)}) not allowed`);
    if (major === MAJOR.simple) {
      if (ai >= 25 && ai <= 27)
        this.fail('CBOR_FLOAT', start, `float (initial byte 0x${ib.toString(16)}) not allowed`);
      if (ai === 31)
        this.fail('CBOR_UNEXPECTED_BREAK', start, 'break stop code outside an indefinite-length item');
      if (ai >= 28) this.fail('CBOR_RESERVED', start, `reserved additional information ${ai}`);
      if (ai < 20 || ai > 22)
        this.fail('CBOR_SIMPLE_VALUE', start, `simple value (initial byte 0x${ib.toString(16)}) not allowed`);
      return { major, ai, arg: ai, start };
    }
    if (ai < 24) return { major, ai, arg: ai, start };
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
    let arg = 0;
    for (let i = 0; i < size; i++) arg = arg * 256 + this.bytes[this.pos++]!;
    if (arg < MIN_ARG[ai - 24]!)
      this.fail('CBOR_NON_SHORTEST', start, `argument ${arg} not in its shortest form`);
    return { major, ai, arg, start };
  }

  /** Scans one data item at `depth` enclosing containers; returns its major type. */
  item(depth: number): number {
    const { major, arg, start } = this.head();
    switch (major) {
      case MAJOR.bytes:
      case MAJOR.text: {
        this.need(arg, start, `${major === MAJOR.bytes ? 'byte' : 'text'} string of length ${arg}`);
        if (major === MAJOR.text && !isUtf8(this.bytes.subarray(this.pos, this.pos + arg))) {
          this.fail('CBOR_INVALID_UTF8', start, 'text string is not valid UTF-8');
        }
        this.pos += arg;
        break;
      }
      case MAJOR.array:
        this.enter(depth, start);
        this.need(arg, start, `array of ${arg} items`); // every item is at least 1 byte
        for (let i = 0; i < arg; i++) this.item(depth + 1);
        break;
      case MAJOR.map:
        this.enter(depth, start);
        this.need(arg * 2, start, `map of ${arg} pairs`);
        this.mapBody(arg, depth + 1);
        break;
      default: // integers, false/true/null: the head is the whole item
        break;
    }
    return major;
  }

  private enter(depth: number, start: number): void {
    if (depth >= this.maxDepth) this.fail('CBOR_TOO_DEEP', start, `nesting deeper than ${this.maxDepth}`);
  }

  private mapBody(pairs: number, depth: number): void {
    let prev: Uint8Array | undefined;
    for (let i = 0; i < pairs; i++) {
      const keyStart = this.pos;
      const major = (this.bytes[keyStart] ?? 0) >> 5; // a missing key is reported by item()
      if (major !== MAJOR.uint && major !== MAJOR.negint && major !== MAJOR.text) {
        this.fail(
          'CBOR_KEY_TYPE',
          keyStart,
          `map key of major type ${major}, want an integer or a text string`,
        );
      }
      this.item(depth);
      const key = this.bytes.subarray(keyStart, this.pos);
      if (prev !== undefined) {
        const order = compareBytes(prev, key);
        if (order === 0) this.fail('CBOR_DUPLICATE_KEY', keyStart, 'duplicate map key');
        if (order > 0)
          this.fail('CBOR_UNSORTED_KEYS', keyStart, 'map key not in bytewise order of encodings');
      }
      prev = key;
      this.item(depth);
    }
  }
}

/**
 * Checks that `bytes` is exactly one data item of the profile (docs/codec.md), throwing the first
 * violation with its byte offset. Precondition: `0 ≤ maxDepth`; the caller has bounded the size.
 *
 * @throws MalformedError `CBOR_TRUNCATED`, `CBOR_TRAILING_BYTES`, `CBOR_RESERVED`,
 *   `CBOR_INDEFINITE_LENGTH`, `CBOR_UNEXPECTED_BREAK`, `CBOR_NON_SHORTEST`, `CBOR_TAG`,
 *   `CBOR_FLOAT`, `CBOR_SIMPLE_VALUE`, `CBOR_INVALID_UTF8`, `CBOR_KEY_TYPE`,
 *   `CBOR_UNSORTED_KEYS`, `CBOR_DUPLICATE_KEY`, `CBOR_TOO_DEEP`.
 */
export function scanCbor(bytes: Uint8Array, maxDepth: number, field?: string): void {
  const s = new Scanner(bytes, maxDepth, field);
  s.item(0);
  if (s.pos !== bytes.length) {
    s.fail('CBOR_TRAILING_BYTES', s.pos, `${bytes.length - s.pos} bytes after the data item`);
  }
}
