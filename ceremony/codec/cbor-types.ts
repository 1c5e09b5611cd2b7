/**
 * The value model of the project's CBOR profile (deterministic CBOR, RFC 8949 §4.2.1; the exact
 * rules are in docs/codec.md).
 *
 * | CBOR (RFC 8949 §3.1)          | decoded as                                     | encodable from            |
 * | ----------------------------- | ---------------------------------------------- | ------------------------- |
 * | major 0/1 integer             | `number` if a safe integer, else `bigint`      | safe-integer `number`, `bigint` in −2^64 … 2^64 − 1 |
 * | major 2 byte string           | `Uint8Array` (a fresh copy)                    | `Uint8Array`              |
 * | major 3 text string           | `string`                                       | `string` (well-formed Unicode) |
 * | major 4 array                 | `CborValue[]`                                  | any array                 |
 * | major 5 map                   | `Map` with integer or text keys, in encoded order | `Map`, or a plain object (text keys) |
 * | simple 20/21/22               | `false` / `true` / `null`                      | same                      |
 *
 * Not in the profile, refused in both directions: floats, tags, `undefined` and other simple
 * values, indefinite lengths, map keys other than integers and text strings.
 *
 * Portable: no `node:` imports.
 */
import { UsageError } from '../errors.js';

/** A map key: an integer (major type 0/1) or a text string (major type 3). */
export type CborKey = number | bigint | string;

/** A decoded CBOR map. Keys keep the order of the encoding (the deterministic order). */
export type CborMap = Map<CborKey, CborValue>;

/** A decoded CBOR data item. */
export type CborValue =
  number | bigint | string | Uint8Array<ArrayBuffer> | boolean | null | CborValue[] | CborMap;

/** A plain object encoded as a map with text keys (own enumerable string keys only). */
export interface CborObject {
  readonly [key: string]: CborInput;
}

/**
 * What {@link encodeCbor} accepts: the decoded model, plus read-only arrays, `ReadonlyMap`s and
 * plain objects (objects whose prototype is `Object.prototype` or `null`).
 */
export type CborInput =
  | number
  | bigint
  | string
  | Uint8Array
  | boolean
  | null
  | readonly CborInput[]
  | ReadonlyMap<CborKey, CborInput>
  | CborObject;

/** Options of {@link decodeCbor}. */
export interface DecodeCborOptions {
  /** Largest accepted input, in bytes. Default {@link CBOR_DEFAULT_MAX_BYTES} (1 MiB). */
  maxBytes?: number;
  /** Deepest accepted nesting of arrays and maps. Default {@link CBOR_DEFAULT_MAX_DEPTH} (16). */
  maxDepth?: number;
  /** Name of the input, used as the error's `field` (e.g. `bundle.fleetKeySet`). */
  field?: string;
  /**
   * Also re-encode the decoded value and require the input's exact bytes (`CBOR_NON_CANONICAL`).
   * Default false: the decoder's rules already leave one encoding per value, which the test suite
   * checks; this is a run-time cross-check by independent code, at several times the cost.
   */
  verifyReencoding?: boolean;
}

/** Options of {@link encodeCbor}. */
export interface EncodeCborOptions {
  /** Deepest nesting of arrays and maps allowed. Default {@link CBOR_DEFAULT_MAX_DEPTH} (16). */
  maxDepth?: number;
}

/** Default bound on the input size of {@link decodeCbor}: 1 MiB. */
export const CBOR_DEFAULT_MAX_BYTES = 1 << 20;

/** Default bound on the nesting depth of arrays and maps: 16 levels. */
export const CBOR_DEFAULT_MAX_DEPTH = 16;

/** Largest `maxDepth` either direction accepts (keeps recursion far from the stack limit). */
export const CBOR_MAX_DEPTH_LIMIT = 256;

/** RFC 8949 §3.1 major types (internal; not re-exported). */
export const MAJOR = {
  uint: 0,
  negint: 1,
  bytes: 2,
  text: 3,
  array: 4,
  map: 5,
  tag: 6,
  simple: 7,
} as const;

/**
 * Internal (not re-exported): returns `maxDepth` if it is an integer in 0 … {@link CBOR_MAX_DEPTH_LIMIT}.
 *
 * @throws UsageError `CBOR_BAD_OPTION` otherwise.
 */
export function checkDepthOption(maxDepth: number): number {
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0 || maxDepth > CBOR_MAX_DEPTH_LIMIT) {
    throw new UsageError(
      'CBOR_BAD_OPTION',
      `maxDepth: got ${maxDepth}, want an integer 0 … ${CBOR_MAX_DEPTH_LIMIT}`,
    );
  }
  return maxDepth;
}

/**
 * Internal (not re-exported): returns `maxBytes` if it is a positive safe integer.
 *
 * @throws UsageError `CBOR_BAD_OPTION` otherwise.
 */
export function checkBytesOption(maxBytes: number): number {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new UsageError('CBOR_BAD_OPTION', `maxBytes: got ${maxBytes}, want a positive integer`);
  }
  return maxBytes;
}
