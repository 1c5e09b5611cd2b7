/**
 * DDDS, the self-describing encoding of nShield warrants, as far as warrants use it: small
 * integers, short strings and symbols, lists, maps, byte blocks and big-endian integers.
 *
 * Tag octets (high nibble = type, low nibble = count or length): `0x00–0x1f` the integer itself;
 * `0x2n` string of n bytes; `0x3n` symbol of n bytes; `0x9n` list of n values; `0xBn` map of n
 * key/value pairs; `0xC4 len` symbol; `0xC5 len` bytes; `0xD5 len16` bytes; `0xF4 value` unsigned
 * integer whose value is a byte block, big-endian. Any other tag is refused, as are repeated map
 * keys, nesting deeper than 8 and trailing bytes.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';

/** A DDDS symbol (an identifier such as `Payload` or `ECDSA`), kept apart from strings. */
export class Sym {
  constructor(readonly name: string) {}
}

/** A decoded DDDS value. Maps keep their keys in encoded order. */
export type DddsValue = bigint | string | Sym | Uint8Array | DddsValue[] | DddsMap;

/** A DDDS map; keys are symbols or strings, named by `name` (symbol) or `"text"` (string). */
export class DddsMap {
  constructor(readonly entries: ReadonlyArray<readonly [string, DddsValue]>) {}

  /** The value under the symbol `name`, or undefined. */
  get(name: string): DddsValue | undefined {
    return this.entries.find(([k]) => k === name)?.[1];
  }
}

const MAX_DEPTH = 8;

function fail(field: string, reason: string): never {
  throw new MalformedError('NSHIELD_DDDS_INVALID', `${field}: ${reason}`, { field });
}

class Reader {
  pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly field: string,
  ) {}

  take(n: number): Uint8Array {
    if (n > this.b.length - this.pos) fail(this.field, 'truncated DDDS data');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  ascii(n: number): string {
    const bytes = this.take(n);
    for (const c of bytes) if (c < 0x20 || c > 0x7e) fail(this.field, 'DDDS text is not printable ASCII');
    return String.fromCharCode(...bytes);
  }

  value(depth: number): DddsValue {
    if (depth > MAX_DEPTH) fail(this.field, 'DDDS nesting too deep');
    const tag = this.take(1)[0]!;
    const low = tag & 0x0f;
    if (tag < 0x20) return BigInt(tag);
    if (tag < 0x30) return this.ascii(low);
    if (tag < 0x40) return new Sym(this.ascii(low));
    if (tag >= 0x90 && tag < 0xa0) {
      const list: DddsValue[] = [];
      for (let i = 0; i < low; i++) list.push(this.value(depth + 1));
      return list;
    }
    if (tag >= 0xb0 && tag < 0xc0) {
      const entries: [string, DddsValue][] = [];
      for (let i = 0; i < low; i++) {
        const key = this.value(depth + 1);
        const name =
          key instanceof Sym ? key.name : typeof key === 'string' ? JSON.stringify(key) : undefined;
        if (name === undefined) fail(this.field, 'DDDS map key is not a symbol or string');
        if (entries.some(([k]) => k === name)) fail(this.field, `DDDS map key ${name} repeated`);
        entries.push([name, this.value(depth + 1)]);
      }
      return new DddsMap(entries);
    }
    switch (tag) {
      case 0xc4:
        return new Sym(this.ascii(this.take(1)[0]!));
      case 0xc5:
        return this.take(this.take(1)[0]!);
      case 0xd5: {
        const n = this.take(2);
        return this.take((n[0]! << 8) | n[1]!);
      }
      case 0xf4: {
        const be = this.value(depth + 1);
        if (!(be instanceof Uint8Array)) fail(this.field, 'DDDS integer is not a byte block');
        if (be.length === 0 || be[0] === 0) fail(this.field, 'DDDS integer is not in its shortest form');
        let v = 0n;
        for (const x of be) v = (v << 8n) | BigInt(x);
        return v;
      }
      default:
        fail(this.field, `unsupported DDDS tag 0x${tag.toString(16)}`);
    }
  }
}

/**
 * Decodes one DDDS value that fills `bytes`.
 *
 * @throws MalformedError `NSHIELD_DDDS_INVALID` naming `field`.
 * @example decodeDdds(new Uint8Array([0x92, 0x01, 0x22, 0x68, 0x69]), 'x') // [1n, 'hi']
 */
export function decodeDdds(bytes: Uint8Array, field: string): DddsValue {
  const r = new Reader(bytes, field);
  const v = r.value(0);
  if (r.pos !== bytes.length) fail(field, `${bytes.length - r.pos} trailing bytes after the DDDS value`);
  return v;
}

/** True when `v` is the symbol `name`. */
export function isSym(v: DddsValue | undefined, name: string): boolean {
  return v instanceof Sym && v.name === name;
}
