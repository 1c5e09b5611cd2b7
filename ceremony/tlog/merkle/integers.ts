/**
 * Tree sizes and leaf indexes as the public API takes them, and the few bit operations the proof
 * algorithms need (Go's `math/bits` Len64, OnesCount64, TrailingZeros64).
 *
 * Verification accepts the full range of RFC 9162 sizes (`bigint` up to 2^63-1); proof generation
 * and stored-hash storage work on `number`s (a log of up to 2^52 entries).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../errors.js';

/** A tree size or leaf index: a non-negative safe integer `number`, or a `bigint` in 0..2^63-1. */
export type TreeInt = bigint | number;

/** The largest size or index verification accepts: 2^63-1. */
export const MAX_TREE_INT = (1n << 63n) - 1n;

/** The largest leaf count proof generation and stored-hash storage support: 2^52. */
export const MAX_STORED_LEAVES = 2 ** 52;

const TWO_32 = 2 ** 32;
const MASK_32 = 0xffffffffn;

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return String(value);
  return typeof value;
}

/**
 * Validates a size or index and returns it as a `bigint`.
 *
 * @param field - the argument's name, used in the error.
 * @throws MalformedError `MERKLE_BAD_INTEGER` unless `value` is a non-negative safe integer
 *   `number` or a `bigint` in 0..2^63-1.
 */
export function toTreeBigInt(value: TreeInt, field: string): bigint {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  } else if (typeof value === 'bigint') {
    if (value >= 0n && value <= MAX_TREE_INT) return value;
  }
  throw new MalformedError(
    'MERKLE_BAD_INTEGER',
    `${field}: got ${describe(value)}, want a non-negative safe integer or a bigint in 0..2^63-1`,
    { field },
  );
}

/**
 * Validates a size or index and returns it as a `number`, for proof generation and storage.
 *
 * @param max - the largest accepted value (inclusive); defaults to {@link MAX_STORED_LEAVES}.
 * @throws MalformedError `MERKLE_BAD_INTEGER` unless `value` is an integer in 0..max (`number` or
 *   `bigint`).
 */
export function toTreeNumber(value: TreeInt, field: string, max: number = MAX_STORED_LEAVES): number {
  if (typeof value === 'number') {
    // `value === 0` also catches -0, which is returned as +0.
    if (Number.isSafeInteger(value) && value >= 0 && value <= max) return value === 0 ? 0 : value;
  } else if (typeof value === 'bigint') {
    if (value >= 0n && value <= BigInt(max)) return Number(value);
  }
  throw new MalformedError(
    'MERKLE_BAD_INTEGER',
    `${field}: got ${describe(value)}, want an integer in 0..${max}`,
    {
      field,
    },
  );
}

/** Number of bits needed to represent `x` (0 for 0). Requires 0 <= x < 2^64. Go: bits.Len64. */
export function bitLen64(x: bigint): number {
  const hi = Number(x >> 32n);
  if (hi !== 0) return 64 - Math.clz32(hi);
  return 32 - Math.clz32(Number(x & MASK_32));
}

function onesCount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of one bits in `x`. Requires 0 <= x < 2^64. Go: bits.OnesCount64. */
export function onesCount64(x: bigint): number {
  return onesCount32(Number(x >> 32n)) + onesCount32(Number(x & MASK_32));
}

function trailingZeros32(v: number): number {
  // Isolate the lowest set bit, then count the zeros below it.
  return 31 - Math.clz32(v & -v);
}

/** Number of trailing zero bits in `x` (64 for 0). Requires 0 <= x < 2^64. Go: bits.TrailingZeros64. */
export function trailingZeros64(x: bigint): number {
  const lo = Number(x & MASK_32);
  if (lo !== 0) return trailingZeros32(lo);
  const hi = Number(x >> 32n);
  return hi === 0 ? 64 : 32 + trailingZeros32(hi);
}

/** Trailing zero bits of a safe integer `x` (53 for 0). Requires 0 <= x <= 2^53-1. */
export function trailingZerosNumber(x: number): number {
  const lo = x % TWO_32;
  if (lo !== 0) return trailingZeros32(lo);
  const hi = Math.floor(x / TWO_32);
  return hi === 0 ? 53 : 32 + trailingZeros32(hi);
}

/**
 * Bit `i` of `x`, with `x` given as its low and high 32-bit halves (`lo`, `hi`, each 0..2^32-1).
 * Requires 0 <= i < 64.
 */
export function bitAt(lo: number, hi: number, i: number): number {
  return i < 32 ? (lo >>> i) & 1 : (hi >>> (i - 32)) & 1;
}

/** The low and high 32-bit halves of `x`, as numbers. Requires 0 <= x < 2^64. */
export function halves(x: bigint): [lo: number, hi: number] {
  return [Number(x & MASK_32), Number(x >> 32n)];
}
