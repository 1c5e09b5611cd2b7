/**
 * A slow, deliberately simple reference decoder for the CBOR profile (docs/codec.md), written
 * apart from ceremony/codec to check it differentially. It follows RFC 8949 §3 literally with
 * bigint arithmetic, checks determinism (§4.2.1) by rebuilding each head in its shortest form and
 * comparing bytes, and each map by comparing its keys' byte ranges.
 *
 * It names the first violation in input order with the code of docs/codec.md §1.3, so the
 * differential tests compare codes too. Where two rules meet at one head, the order is the
 * documented one: a container's depth before its declared count; a declared count is checked
 * against the bytes that remain (an array of n items needs n, a map 2n) before any item is read;
 * a map key's major type before the key is read.
 */
import type { CborKey, CborValue } from '../../../ceremony/codec/index.js';

export type ReferenceOutcome = { ok: true; value: CborValue } | { ok: false; code: string };

class Reject extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function shortestHead(major: number, arg: bigint): number[] {
  const mt = major << 5;
  const be = (n: number): number[] =>
    Array.from({ length: n }, (_, i) => Number((arg >> BigInt(8 * (n - 1 - i))) & 0xffn));
  if (arg < 24n) return [mt | Number(arg)];
  if (arg < 0x100n) return [mt | 24, ...be(1)];
  if (arg < 0x10000n) return [mt | 25, ...be(2)];
  if (arg < 0x100000000n) return [mt | 26, ...be(4)];
  return [mt | 27, ...be(8)];
}

function toNumberIfSafe(n: bigint): number | bigint {
  return n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n;
}

export function referenceDecode(bytes: Uint8Array, maxDepth = 16): ReferenceOutcome {
  let pos = 0;
  const remaining = (): bigint => BigInt(bytes.length - pos);
  const take = (n: bigint): Uint8Array<ArrayBuffer> => {
    if (n > remaining()) throw new Reject('CBOR_TRUNCATED');
    const out = new Uint8Array(bytes.subarray(pos, pos + Number(n)));
    pos += Number(n);
    return out;
  };
  const item = (depth: number): CborValue => {
    const start = pos;
    const ib = take(1n)[0]!;
    const major = ib >> 5;
    const ai = ib & 31;
    if (major === 7) {
      if (ai === 20) return false;
      if (ai === 21) return true;
      if (ai === 22) return null;
      if (ai >= 25 && ai <= 27) throw new Reject('CBOR_FLOAT');
      if (ai === 31) throw new Reject('CBOR_UNEXPECTED_BREAK');
      if (ai >= 28) throw new Reject('CBOR_RESERVED');
      throw new Reject('CBOR_SIMPLE_VALUE'); // undefined, simple values 0–19, 23, and f8 xx
    }
    if (major === 6) throw new Reject('CBOR_TAG');
    if (ai === 31) throw new Reject(major <= 1 ? 'CBOR_RESERVED' : 'CBOR_INDEFINITE_LENGTH');
    if (ai > 27) throw new Reject('CBOR_RESERVED');
    let arg = BigInt(ai);
    if (ai >= 24) arg = [...take(1n << BigInt(ai - 24))].reduce((a, b) => a * 256n + BigInt(b), 0n);
    const head = bytes.slice(start, pos);
    const want = shortestHead(major, arg);
    if (head.length !== want.length || head.some((b, i) => b !== want[i])) {
      throw new Reject('CBOR_NON_SHORTEST');
    }
    if (major === 0) return toNumberIfSafe(arg);
    if (major === 1) return toNumberIfSafe(-1n - arg);
    if (major === 2) return take(arg);
    if (major === 3) {
      const raw = take(arg);
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
      } catch {
        throw new Reject('CBOR_INVALID_UTF8');
      }
    }
    if (depth >= maxDepth) throw new Reject('CBOR_TOO_DEEP');
    if ((major === 4 ? arg : 2n * arg) > remaining()) throw new Reject('CBOR_TRUNCATED');
    if (major === 4) {
      const out: CborValue[] = [];
      for (let i = 0n; i < arg; i++) out.push(item(depth + 1));
      return out;
    }
    const out = new Map<CborKey, CborValue>();
    let prev: number[] | undefined;
    for (let i = 0n; i < arg; i++) {
      const keyStart = pos;
      const keyMajor = pos < bytes.length ? bytes[pos]! >> 5 : 0; // a missing key: item() says so
      if (keyMajor !== 0 && keyMajor !== 1 && keyMajor !== 3) throw new Reject('CBOR_KEY_TYPE');
      const key = item(depth + 1) as CborKey;
      const kb = [...bytes.slice(keyStart, pos)];
      if (prev !== undefined) {
        const order = compare(prev, kb);
        if (order === 0) throw new Reject('CBOR_DUPLICATE_KEY');
        if (order > 0) throw new Reject('CBOR_UNSORTED_KEYS');
      }
      prev = kb;
      out.set(key, item(depth + 1));
    }
    return out;
  };
  try {
    const value = item(0);
    return pos === bytes.length ? { ok: true, value } : { ok: false, code: 'CBOR_TRAILING_BYTES' };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, code: e.code };
    throw e;
  }
}

/** Bytewise lexicographic order (RFC 8949 §4.2.1): negative, zero or positive. */
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
