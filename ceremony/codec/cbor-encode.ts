/**
 * Deterministic CBOR encoder: RFC 8949 §4.2.1 "core deterministic encoding requirements".
 *
 * - integers and lengths in their shortest form (§4.2.1, first bullet; §3.1 argument sizes);
 * - definite lengths only (no indefinite-length items, §3.2.1);
 * - map keys sorted bytewise lexicographically by their deterministic encodings, no duplicates;
 * - no floats, no tags, no simple values but `false`, `true`, `null` (our profile, docs/codec.md).
 *
 * The encoder is our own (about a hundred lines) so that every byte it writes follows the rules
 * above; cbor-x, a general-purpose codec, writes some integers as floats or in long forms.
 * {@link decodeCbor} re-encodes with this encoder as its final canonicality check.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../errors.js';
import { compareBytes, utf8Encode } from './bytes.js';
import { CBOR_DEFAULT_MAX_DEPTH, MAJOR, checkDepthOption } from './cbor-types.js';
import type { CborInput, CborKey, EncodeCborOptions } from './cbor-types.js';

const MAX_U64 = (1n << 64n) - 1n;

/** A growable output buffer. */
class Writer {
  private buf: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Writes a head (§3): major type and argument in the shortest form (§4.2.1). */
  head(major: number, arg: number | bigint): void {
    const mt = major << 5;
    if (typeof arg === 'number' && arg < 24) this.byte(mt | arg);
    else if (typeof arg === 'number' && arg < 0x100) this.bytesOf(mt | 24, arg, 1);
    else if (typeof arg === 'number' && arg < 0x10000) this.bytesOf(mt | 25, arg, 2);
    else if (typeof arg === 'number' && arg < 0x1_0000_0000) this.bytesOf(mt | 26, arg, 4);
    else {
      const v = BigInt(arg);
      if (v < 0x1_0000_0000n) {
        this.head(major, Number(v));
        return;
      }
      this.reserve(9);
      this.buf[this.length] = mt | 27;
      new DataView(this.buf.buffer).setBigUint64(this.length + 1, v, false);
      this.length += 9;
    }
  }

  private bytesOf(first: number, arg: number, n: 1 | 2 | 4): void {
    this.reserve(1 + n);
    this.buf[this.length++] = first;
    for (let i = n - 1; i >= 0; i--) this.buf[this.length++] = Math.floor(arg / 2 ** (8 * i)) & 0xff;
  }

  /** A copy of the bytes written. */
  result(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }

  /** The bytes written, without copying (for a writer about to be dropped). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

function fail(code: string, path: readonly (string | number)[], reason: string): never {
  const field = formatPath(path);
  throw new UsageError(code, `${field}: ${reason}`, { field });
}

function formatPath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `.${seg}`;
  return out;
}

function isPlainObject(v: object): v is Record<string, CborInput> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

class Encoder {
  out = new Writer();
  private readonly path: (string | number)[] = [];
  constructor(private readonly maxDepth: number) {}

  integer(v: number | bigint): void {
    if (typeof v === 'number') {
      if (!Number.isInteger(v))
        fail('CBOR_FLOAT', this.path, `${v} is not an integer; floats are not in the profile`);
      if (!Number.isSafeInteger(v))
        fail('CBOR_UNSAFE_INTEGER', this.path, `${v} is not a safe integer; use a bigint`);
      if (v >= 0) this.out.head(MAJOR.uint, v);
      else this.out.head(MAJOR.negint, -1 - v);
      return;
    }
    if (v > MAX_U64 || v < -MAX_U64 - 1n) {
      fail('CBOR_INTEGER_RANGE', this.path, `${v} is outside -2^64 … 2^64-1`);
    }
    if (v >= 0n) this.out.head(MAJOR.uint, v);
    else this.out.head(MAJOR.negint, -1n - v);
  }

  text(s: string): void {
    let b: Uint8Array;
    try {
      b = utf8Encode(s);
    } catch (e) {
      if (e instanceof MalformedError)
        fail('CBOR_INVALID_TEXT', this.path, 'text string has an unpaired surrogate');
      throw e;
    }
    this.out.head(MAJOR.text, b.length);
    this.out.bytes(b);
  }

  value(v: CborInput, depth: number): void {
    if (v === null) return this.out.byte(0xf6);
    switch (typeof v) {
      case 'boolean':
        return this.out.byte(v ? 0xf5 : 0xf4);
      case 'number':
      case 'bigint':
        return this.integer(v);
      case 'string':
        return this.text(v);
      case 'object':
        break;
      default:
        fail('CBOR_UNSUPPORTED_VALUE', this.path, `${typeof v} is not encodable`);
    }
    if (v instanceof Uint8Array) {
      this.out.head(MAJOR.bytes, v.length);
      return this.out.bytes(v);
    }
    if (depth >= this.maxDepth) fail('CBOR_TOO_DEEP', this.path, `nesting deeper than ${this.maxDepth}`);
    if (Array.isArray(v)) return this.array(v as readonly CborInput[], depth + 1);
    if (v instanceof Map) return this.map([...(v as ReadonlyMap<CborKey, CborInput>)], depth + 1);
    if (isPlainObject(v)) return this.map(Object.entries(v), depth + 1);
    fail('CBOR_UNSUPPORTED_VALUE', this.path, `${Object.prototype.toString.call(v)} is not encodable`);
  }

  array(items: readonly CborInput[], depth: number): void {
    this.out.head(MAJOR.array, items.length);
    for (let i = 0; i < items.length; i++) {
      this.path.push(i);
      this.value(items[i]!, depth);
      this.path.pop();
    }
  }

  map(entries: [CborKey, CborInput][], depth: number): void {
    const keyed = entries.map(([k, v]) => ({ key: k, enc: this.key(k), value: v }));
    keyed.sort((a, b) => compareBytes(a.enc, b.enc));
    this.out.head(MAJOR.map, keyed.length);
    for (let i = 0; i < keyed.length; i++) {
      const e = keyed[i]!;
      if (i > 0 && compareBytes(keyed[i - 1]!.enc, e.enc) === 0) {
        fail('CBOR_DUPLICATE_KEY', this.path, `duplicate map key ${String(e.key)}`);
      }
      this.out.bytes(e.enc);
      this.path.push(String(e.key));
      this.value(e.value, depth);
      this.path.pop();
    }
  }

  /** Encodes a map key on its own, for sorting (§4.2.1: order of the encoded keys). */
  private key(k: CborKey): Uint8Array {
    if (typeof k !== 'number' && typeof k !== 'bigint' && typeof k !== 'string') {
      fail('CBOR_KEY_TYPE', this.path, `map key of type ${typeof k}, want an integer or a text string`);
    }
    const outer = this.out;
    const keyOut = new Writer(typeof k === 'string' ? k.length * 3 + 9 : 9);
    this.out = keyOut;
    try {
      this.value(k, 0);
    } finally {
      this.out = outer;
    }
    return keyOut.view();
  }
}

/**
 * Encodes a value as deterministic CBOR (RFC 8949 §4.2.1, profile in docs/codec.md).
 *
 * Plain objects become maps with text keys; `Map`s may mix integer and text keys; keys are sorted
 * by their encodings whatever the insertion order. `-0` encodes as `0`.
 *
 * @param value - see {@link CborInput}; must not be cyclic (the depth bound stops cycles).
 * @throws UsageError with a `field` path like `$.keys[2].pub`: `CBOR_FLOAT` (non-integer number),
 *   `CBOR_UNSAFE_INTEGER` (integral `number` beyond 2^53 − 1: pass a `bigint`),
 *   `CBOR_INTEGER_RANGE` (`bigint` outside −2^64 … 2^64 − 1), `CBOR_INVALID_TEXT` (unpaired
 *   surrogate), `CBOR_KEY_TYPE`, `CBOR_DUPLICATE_KEY` (e.g. `1` and `1n` in one `Map`),
 *   `CBOR_TOO_DEEP`, `CBOR_UNSUPPORTED_VALUE` (`undefined`, functions, symbols, class instances
 *   such as `Date`), `CBOR_BAD_OPTION`.
 * @example encodeCbor(new Map([[1, 'a']])) // a1 01 61 61
 */
export function encodeCbor(value: CborInput, options: EncodeCborOptions = {}): Uint8Array<ArrayBuffer> {
  const maxDepth = checkDepthOption(options.maxDepth ?? CBOR_DEFAULT_MAX_DEPTH);
  const enc = new Encoder(maxDepth);
  enc.value(value, 0);
  return enc.out.result();
}
