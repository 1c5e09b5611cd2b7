/**
 * nCore marshalling, as the nShield module writes certificates, keys and signatures: little-endian
 * 32-bit words, length-prefixed little-endian bignums, 20-byte SHA-1 hashes and NUL-terminated
 * strings padded to a word. A reader that refuses truncation, impossible counts and trailing bytes.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';

/** Largest bignum accepted (bytes): 8192-bit keys. */
const MAX_BIGNUM_BYTES = 1024;

/** A cursor over nCore bytes; `field` names the input in errors. */
export class NcoreReader {
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly field: string,
  ) {}

  /** Throws a MalformedError `NSHIELD_NCORE_INVALID` naming the field. */
  fail(reason: string): never {
    throw new MalformedError('NSHIELD_NCORE_INVALID', `${this.field}: ${reason}`, { field: this.field });
  }

  raw(n: number): Uint8Array {
    if (n < 0 || n > this.bytes.length - this.pos) this.fail('truncated nCore data');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32(): number {
    const w = this.raw(4);
    return (w[0]! | (w[1]! << 8) | (w[2]! << 16) | (w[3]! << 24)) >>> 0;
  }

  /** A word that must have one value (a type or a flags word the verifier does not support otherwise). */
  expect(value: number, what: string): void {
    const got = this.u32();
    if (got !== value) this.fail(`${what} is ${got}, want ${value}`);
  }

  /** A count of items that each take at least `size` bytes (so a bad count cannot loop long). */
  count(size: number): number {
    const n = this.u32();
    if (n > (this.bytes.length - this.pos) / size) this.fail(`count ${n} exceeds the data`);
    return n;
  }

  bignum(): bigint {
    const n = this.u32();
    if (n > MAX_BIGNUM_BYTES) this.fail(`bignum of ${n} bytes`);
    const le = this.raw(n);
    let v = 0n;
    for (let i = le.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(le[i]!);
    return v;
  }

  hash(): Uint8Array {
    return this.raw(20);
  }

  /** An M_ASCIIString: length (counting a terminating NUL), bytes, padding to a word. */
  string(): string {
    const n = this.u32();
    const bytes = this.raw(n);
    const pad = this.raw((4 - (n % 4)) % 4);
    if (pad.some((b) => b !== 0)) this.fail('non-zero string padding');
    const text = bytes[n - 1] === 0 ? bytes.subarray(0, n - 1) : bytes;
    for (const c of text) if (c < 0x20 || c > 0x7e) this.fail('string is not printable ASCII');
    return String.fromCharCode(...text);
  }

  end(): void {
    if (this.pos !== this.bytes.length) this.fail(`${this.bytes.length - this.pos} trailing bytes`);
  }
}

/** Key hash mechanism of an M_KeyHashEx: SHA-1. */
export const MECH_SHA1_HASH = 44;

/**
 * Reads a whole M_KeyHashEx (mechanism word, then the 20-byte hash) and returns the hash.
 *
 * @throws MalformedError `NSHIELD_NCORE_INVALID` for another mechanism or length.
 */
export function readKeyHashEx(bytes: Uint8Array, field: string): Uint8Array {
  const r = new NcoreReader(bytes, field);
  r.expect(MECH_SHA1_HASH, 'key hash mechanism');
  const h = r.hash();
  r.end();
  return h;
}
