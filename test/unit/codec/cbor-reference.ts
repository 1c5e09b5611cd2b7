/**
 * A slow, deliberately simple reference decoder for the CBOR profile (docs/codec.md), written
 * apart from ceremony/codec to check it differentially. It follows RFC 8949 §3 literally with
 * bigint arithmetic, and checks determinism (§4.2.1) by rebuilding each head in its shortest form
 * and comparing bytes, and each map by comparing its keys' byte ranges.
 *
 * Returns the decoded value, or `undefined` when the input is outside the profile.
 */
import type { CborKey, CborValue } from '../../../ceremony/codec/index.js';

class Reject extends Error {}

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

export function referenceDecode(bytes: Uint8Array, maxDepth = 16): CborValue | undefined {
  let pos = 0;
  const take = (n: bigint): Uint8Array<ArrayBuffer> => {
    if (BigInt(pos) + n > BigInt(bytes.length)) throw new Reject();
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
      throw new Reject(); // floats, undefined, other simple values, break
    }
    if (major === 6 || ai > 27) throw new Reject(); // tags; reserved and indefinite
    let arg = BigInt(ai);
    if (ai >= 24) arg = [...take(1n << BigInt(ai - 24))].reduce((a, b) => a * 256n + BigInt(b), 0n);
    const head = bytes.slice(start, pos);
    const want = shortestHead(major, arg);
    if (head.length !== want.length || head.some((b, i) => b !== want[i])) throw new Reject();
    if (major === 0) return toNumberIfSafe(arg);
    if (major === 1) return toNumberIfSafe(-1n - arg);
    if (major === 2) return take(arg);
    if (major === 3) {
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(take(arg));
      } catch {
        throw new Reject();
      }
    }
    if (depth >= maxDepth) throw new Reject();
    if (major === 4) {
      const out: CborValue[] = [];
      for (let i = 0n; i < arg; i++) out.push(item(depth + 1));
      return out;
    }
    const out = new Map<CborKey, CborValue>();
    let prev: number[] | undefined;
    for (let i = 0n; i < arg; i++) {
      const keyStart = pos;
      const key = item(depth + 1);
      if (typeof key !== 'number' && typeof key !== 'bigint' && typeof key !== 'string') throw new Reject();
      const kb = [...bytes.slice(keyStart, pos)];
      if (prev !== undefined && !lessThan(prev, kb)) throw new Reject();
      prev = kb;
      out.set(key, item(depth + 1));
    }
    return out;
  };
  try {
    const v = item(0);
    return pos === bytes.length ? v : undefined;
  } catch (e) {
    if (e instanceof Reject) return undefined;
    throw e;
  }
}

/** Strict bytewise lexicographic order (RFC 8949 §4.2.1). */
function lessThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}
