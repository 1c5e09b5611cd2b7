/**
 * Strict deterministic-CBOR decoder (RFC 8949 §4.2.1; profile in docs/codec.md).
 *
 * Three independent layers, each enough to refuse what the previous one missed:
 * 1. our scanner (./cbor-scan.ts) checks every rule of the profile, naming the byte offset;
 * 2. cbor-x, a widely used codec, builds the values;
 * 3. our encoder re-encodes those values, and the bytes must be identical to the input.
 *
 * Portable: no `node:` imports; cbor-x has a browser build.
 */
import { Decoder } from 'cbor-x';
import { MalformedError } from '../errors.js';
import { equalBytes } from './bytes.js';
import { encodeCbor } from './cbor-encode.js';
import { scanCbor } from './cbor-scan.js';
import {
  CBOR_DEFAULT_MAX_BYTES,
  CBOR_DEFAULT_MAX_DEPTH,
  checkBytesOption,
  checkDepthOption,
} from './cbor-types.js';
import type { CborKey, CborValue, DecodeCborOptions } from './cbor-types.js';

/** Maps as `Map` (integer and text keys), no record extension; 64-bit integers come as `bigint`. */
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/**
 * Converts what cbor-x returns into the profile's value model: `bigint`s that are safe integers
 * become `number`s; byte strings become fresh plain `Uint8Array`s (cbor-x may return a `Buffer`
 * sharing memory with the input). Depth is already bounded by the scanner.
 */
function normalize(v: unknown): CborValue {
  if (typeof v === 'bigint')
    return v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Map) {
    const out = new Map<CborKey, CborValue>();
    for (const [k, x] of v as Map<unknown, unknown>) out.set(normalize(k) as CborKey, normalize(x));
    return out;
  }
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  // Unreachable after the scanner; a typed error rather than a wrong value if it ever happens.
  throw new MalformedError('CBOR_NON_CANONICAL', `CBOR decoded to an unexpected ${typeof v}`);
}

/**
 * Decodes one deterministic-CBOR data item, refusing anything outside the profile.
 *
 * @param bytes - the whole input: exactly one data item, nothing after it.
 * @param options - `maxBytes` (default 1 MiB), `maxDepth` (default 16), `field` (names the input
 *   in errors).
 * @returns the value (see {@link CborValue}); maps are `Map`s in encoded key order.
 * @throws MalformedError `CBOR_TOO_LARGE` (input longer than `maxBytes`), and every scanner code:
 *   `CBOR_TRUNCATED`, `CBOR_TRAILING_BYTES`, `CBOR_RESERVED`, `CBOR_INDEFINITE_LENGTH`,
 *   `CBOR_UNEXPECTED_BREAK`, `CBOR_NON_SHORTEST`, `CBOR_TAG`, `CBOR_FLOAT`, `CBOR_SIMPLE_VALUE`,
 *   `CBOR_INVALID_UTF8`, `CBOR_KEY_TYPE`, `CBOR_UNSORTED_KEYS`, `CBOR_DUPLICATE_KEY`,
 *   `CBOR_TOO_DEEP`; `CBOR_NON_CANONICAL` if the value does not re-encode to the same bytes.
 * @throws UsageError `CBOR_BAD_OPTION` for an invalid option.
 * @example decodeCbor(Uint8Array.of(0xa1, 0x01, 0x61, 0x61)) // Map { 1 => 'a' }
 */
export function decodeCbor(bytes: Uint8Array, options: DecodeCborOptions = {}): CborValue {
  const maxBytes = checkBytesOption(options.maxBytes ?? CBOR_DEFAULT_MAX_BYTES);
  const maxDepth = checkDepthOption(options.maxDepth ?? CBOR_DEFAULT_MAX_DEPTH);
  const field = options.field;
  const where = field === undefined ? '' : `${field}: `;
  if (bytes.length > maxBytes) {
    throw new MalformedError(
      'CBOR_TOO_LARGE',
      `${where}CBOR input of ${bytes.length} bytes, limit ${maxBytes}`,
      {
        field,
      },
    );
  }
  scanCbor(bytes, maxDepth, field);
  let value: CborValue;
  try {
    // A fresh view: cbor-x caches a `dataView` property on the array it is given, and the
    // caller's array must not change.
    value = normalize(decoder.decode(bytes.subarray(0)));
  } catch (cause) {
    throw new MalformedError(
      'CBOR_NON_CANONICAL',
      `${where}CBOR decoder refused input the scanner accepted`,
      {
        field,
        cause,
      },
    );
  }
  if (!equalBytes(encodeCbor(value, { maxDepth }), bytes)) {
    throw new MalformedError('CBOR_NON_CANONICAL', `${where}CBOR does not re-encode to identical bytes`, {
      field,
    });
  }
  return value;
}
