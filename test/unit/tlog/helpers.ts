/**
 * Test helpers for the tlog and statement suites: error assertions, fast-check run counts,
 * deterministic keys, hex, and the public vectors.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CeremonyError, MalformedError, UsageError, VerificationError } from '../../../ceremony/errors.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';

/** fast-check runs: CI-sized by default, scaled up with FLEET_LONG_TESTS=1. */
export function runs(ci: number, long = ci * 50): number {
  return process.env['FLEET_LONG_TESTS'] === '1' ? long : ci;
}

type ErrorClass = typeof MalformedError | typeof VerificationError | typeof UsageError;

/** Runs `fn`, asserts it throws `cls` with `code`, returns the error. */
export function throwsCode(fn: () => unknown, cls: ErrorClass, code: string): CeremonyError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${cls.name} ${code}`).toBeInstanceOf(cls);
  expect((caught as CeremonyError).code).toBe(code);
  return caught as CeremonyError;
}

/** Shorthands for the three classes. */
export const malformed = (fn: () => unknown, code: string): CeremonyError =>
  throwsCode(fn, MalformedError, code);
export const unverified = (fn: () => unknown, code: string): CeremonyError =>
  throwsCode(fn, VerificationError, code);
export const misuse = (fn: () => unknown, code: string): CeremonyError => throwsCode(fn, UsageError, code);

/** Runs `fn`; returns its result or the CeremonyError it throws. Any other exception fails the test. */
export function attempt<T>(fn: () => T): T | CeremonyError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CeremonyError) return e;
    throw e;
  }
}

/** Bytes from hex (test-only). */
export function h(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/** Hex of bytes (test-only). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** A deterministic Ed25519 key pair from a one-byte label (test-only). */
export function seededKey(label: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = new Uint8Array(32).fill(label);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/** Reads a JSON file under test/vectors. */
export function vector<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../vectors/${path}`, import.meta.url), 'utf8')) as T;
}

/** Every single-byte mutation of `bytes` (each byte XORed with `mask`). */
export function* byteMutations(bytes: Uint8Array, mask = 0x01): Generator<[number, Uint8Array]> {
  for (let i = 0; i < bytes.length; i++) {
    const m = bytes.slice();
    m[i] = m[i]! ^ mask;
    yield [i, m];
  }
}
