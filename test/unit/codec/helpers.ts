/**
 * Test helpers for the codec suites: error assertions, fast-check run counts, hex literals, an
 * RFC 8949 §8 diagnostic-notation printer, and the expected decoded form of an encoder input.
 */
import { expect } from 'vitest';
import { MalformedError } from '../../../ceremony/errors.js';
import type { CborInput, CborKey, CborValue } from '../../../ceremony/codec/index.js';

/** fast-check runs: CI-sized by default, scaled up with FLEET_LONG_TESTS=1. */
export function runs(ci: number, long = ci * 50): number {
  return process.env['FLEET_LONG_TESTS'] === '1' ? long : ci;
}

/** Bytes from a hex literal (test-only; spaces allowed for readability). */
export function h(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/** Runs `fn`, asserts it throws a MalformedError with `code`, and returns the error. */
export function malformed(fn: () => unknown, code: string): MalformedError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected MalformedError ${code}`).toBeInstanceOf(MalformedError);
  expect((caught as MalformedError).code).toBe(code);
  return caught as MalformedError;
}

/** Runs `fn` and returns its result, or the MalformedError it throws; any other throw fails the test. */
export function attempt<T>(fn: () => T): T | MalformedError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MalformedError) return e;
    throw e;
  }
}

/** RFC 8949 §8 diagnostic notation of a decoded value (test oracle for Appendix A). */
export function diag(v: CborValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `h'${Buffer.from(v).toString('hex')}'`;
  if (Array.isArray(v)) return `[${v.map(diag).join(', ')}]`;
  return `{${[...v].map(([k, x]) => `${diag(k)}: ${diag(x)}`).join(', ')}}`;
}

/** What decoding the encoding of `v` must give: safe bigints as numbers, objects as Maps, -0 as 0. */
export function expectedDecoded(v: CborInput): CborValue {
  if (typeof v === 'bigint') return v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v;
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return Uint8Array.from(v);
  if (Array.isArray(v)) return (v as readonly CborInput[]).map(expectedDecoded);
  const entries: [CborKey, CborInput][] = v instanceof Map ? [...v] : Object.entries(v);
  return new Map(entries.map(([k, x]) => [expectedDecoded(k) as CborKey, expectedDecoded(x)]));
}
