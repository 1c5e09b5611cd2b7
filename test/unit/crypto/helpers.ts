/**
 * Test helpers for the crypto suites: both backends, hex, the RFC vectors, error capture and
 * fast-check run counts.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { nativeBackend, portable } from '../../../ceremony/crypto/index.js';
import type { CryptoBackend } from '../../../ceremony/crypto/index.js';
import { CeremonyError } from '../../../ceremony/errors.js';

/** The native backend; these suites run under Node, where it must be available. */
export function native(): CryptoBackend {
  const backend = nativeBackend();
  if (backend === undefined) throw new Error('native crypto backend unavailable under Node');
  return backend;
}

/** Both backends, for `describe.each`. */
export const backends: readonly CryptoBackend[] = [portable, native()];

/** Whether the long (nightly) runs are requested. */
export const LONG = process.env['FLEET_LONG_TESTS'] === '1';

/** fast-check runs: CI-sized by default, scaled up with FLEET_LONG_TESTS=1. */
export function runs(ci: number, long = ci * 20): number {
  return LONG ? long : ci;
}

export function hex(text: string): Uint8Array {
  if (text.length % 2 !== 0) throw new Error(`odd hex length ${text.length}`);
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A fresh plain Uint8Array copy (node:crypto returns Buffers; compare like with like). */
export const plain = (b: Uint8Array): Uint8Array => new Uint8Array(b);

/** Reads a JSON vector file under test/vectors. */
export function vectors<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../vectors/${path}`, import.meta.url), 'utf8')) as T;
}

/** The outcome of a call: its value, or the CeremonyError's class, code and message. */
export type Outcome<T> = { ok: T } | { error: string; code: string; message: string };

/**
 * Runs `fn` and captures its outcome so two backends can be compared with `toEqual`. Exceptions
 * that are not CeremonyErrors fail the test (a backend leaked a library error).
 */
export function outcome<T>(fn: () => T): Outcome<T> {
  try {
    const value = fn();
    return { ok: value instanceof Uint8Array ? (plain(value) as T) : value };
  } catch (e) {
    if (!(e instanceof CeremonyError)) throw e;
    return { error: e.name, code: e.code, message: e.message };
  }
}

/** Asserts that `fn` throws a CeremonyError with `code`; returns it. */
export function throwsCode(fn: () => unknown, code: string): CeremonyError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a CeremonyError ${code}`).toBeInstanceOf(CeremonyError);
  expect((caught as CeremonyError).code).toBe(code);
  return caught as CeremonyError;
}

/** Flips bit `bit` (0-7) of byte `index` in a copy of `bytes`. */
export function flip(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const copy = plain(bytes);
  copy[index] = copy[index]! ^ (1 << bit);
  return copy;
}

/** Little-endian 32-byte encoding of `n`. */
export function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Big-endian 32-byte encoding of `n`. */
export function be32(n: bigint): Uint8Array {
  return le32(n).reverse();
}
