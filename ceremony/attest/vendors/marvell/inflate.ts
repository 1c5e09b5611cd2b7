/**
 * RFC 1951 DEFLATE decoder, after Mark Adler's `puff.c` (zlib contrib): slow, small and strict.
 *
 * Written here rather than using `DecompressionStream` because the gzip reader (./gzip.ts) must know
 * where the deflate stream ends (`DecompressionStream` silently ignores bytes after a member and
 * joins concatenated members), and because a synchronous decoder with an output bound is simpler
 * to bound against decompression bombs. Padding bits after the last block must be zero.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';

const MAXBITS = 15;

/** Canonical Huffman code: number of codes of each length, and the symbols in code order. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
}

const LEN_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** Order of the code length code lengths (RFC 1951 §3.2.7). */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function fail(reason: string): never {
  throw new MalformedError('DEFLATE_INVALID', `deflate stream: ${reason}`, { field: 'deflate' });
}

/**
 * Builds a canonical code from code lengths. Returns the number of unused codes (0 for a complete
 * code); throws for an over-subscribed one.
 */
function construct(h: Huffman, lengths: ArrayLike<number>, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[s]!]!++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left = left * 2 - h.count[len]!;
    if (left < 0) fail('over-subscribed Huffman code');
  }
  const offs = new Uint16Array(MAXBITS + 1);
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len]! + h.count[len]!;
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) h.symbol[offs[lengths[s]!]!++] = s;
  return left;
}

function huffman(n: number): Huffman {
  return { count: new Uint16Array(MAXBITS + 1), symbol: new Uint16Array(n) };
}

class State {
  pos = 0;
  private bitbuf = 0;
  private bitcnt = 0;
  out: Uint8Array;
  outcnt = 0;

  constructor(
    readonly input: Uint8Array,
    maxOutput: number,
  ) {
    this.out = new Uint8Array(maxOutput);
  }

  bits(need: number): number {
    let val = this.bitbuf;
    while (this.bitcnt < need) {
      if (this.pos >= this.input.length) fail('truncated');
      val |= this.input[this.pos++]! << this.bitcnt;
      this.bitcnt += 8;
    }
    this.bitbuf = val >>> need;
    this.bitcnt -= need;
    return val & ((1 << need) - 1);
  }

  /** Drops the bits left in the current byte; they must be zero. */
  align(): void {
    if (this.bitbuf !== 0) fail('non-zero padding bits');
    this.bitbuf = 0;
    this.bitcnt = 0;
  }

  put(byte: number): void {
    if (this.outcnt >= this.out.length) fail(`output exceeds ${this.out.length} bytes`);
    this.out[this.outcnt++] = byte;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAXBITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    fail('invalid Huffman code');
  }
}

function stored(s: State): void {
  s.align();
  const input = s.input;
  if (s.pos + 4 > input.length) fail('truncated stored block');
  const len = input[s.pos]! | (input[s.pos + 1]! << 8);
  const nlen = input[s.pos + 2]! | (input[s.pos + 3]! << 8);
  s.pos += 4;
  if (len !== (~nlen & 0xffff)) fail('stored block length check');
  if (s.pos + len > input.length) fail('truncated stored block');
  for (let i = 0; i < len; i++) s.put(input[s.pos++]!);
}

function codes(s: State, lencode: Huffman, distcode: Huffman): void {
  for (;;) {
    let symbol = s.decode(lencode);
    if (symbol < 256) {
      s.put(symbol);
      continue;
    }
    if (symbol === 256) return;
    symbol -= 257;
    if (symbol >= 29) fail('invalid length symbol');
    const len = LEN_BASE[symbol]! + s.bits(LEN_EXTRA[symbol]!);
    const dsym = s.decode(distcode);
    if (dsym >= 30) fail('invalid distance symbol');
    const dist = DIST_BASE[dsym]! + s.bits(DIST_EXTRA[dsym]!);
    if (dist > s.outcnt) fail('distance too far back');
    for (let i = 0; i < len; i++) s.put(s.out[s.outcnt - dist]!);
  }
}

let fixedTables: [Huffman, Huffman] | undefined;

function fixed(s: State): void {
  if (fixedTables === undefined) {
    const lengths = new Uint8Array(288);
    lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
    const lencode = huffman(288);
    construct(lencode, lengths, 288);
    const distcode = huffman(30);
    construct(distcode, new Uint8Array(30).fill(5), 30);
    fixedTables = [lencode, distcode];
  }
  codes(s, fixedTables[0], fixedTables[1]);
}

function dynamic(s: State): void {
  const nlen = s.bits(5) + 257;
  const ndist = s.bits(5) + 1;
  const ncode = s.bits(4) + 4;
  if (nlen > 286 || ndist > 30) fail('bad counts');
  const lengths = new Uint8Array(320);
  for (let i = 0; i < ncode; i++) lengths[CLEN_ORDER[i]!] = s.bits(3);
  const lencode = huffman(286);
  if (construct(lencode, lengths, 19) !== 0) fail('incomplete code length code');
  let index = 0;
  const codeLengths = new Uint8Array(nlen + ndist);
  while (index < nlen + ndist) {
    const symbol = s.decode(lencode);
    if (symbol < 16) {
      codeLengths[index++] = symbol;
      continue;
    }
    let len = 0;
    let repeat: number;
    if (symbol === 16) {
      if (index === 0) fail('repeat with no first length');
      len = codeLengths[index - 1]!;
      repeat = 3 + s.bits(2);
    } else if (symbol === 17) repeat = 3 + s.bits(3);
    else repeat = 11 + s.bits(7);
    if (index + repeat > nlen + ndist) fail('too many lengths');
    while (repeat--) codeLengths[index++] = len;
  }
  if (codeLengths[256] === 0) fail('no end-of-block code');
  const litErr = construct(lencode, codeLengths, nlen);
  if (litErr !== 0 && nlen !== lencode.count[0]! + lencode.count[1]!) fail('incomplete literal/length code');
  const distcode = huffman(30);
  const distErr = construct(distcode, codeLengths.subarray(nlen), ndist);
  if (distErr !== 0 && ndist !== distcode.count[0]! + distcode.count[1]!) fail('incomplete distance code');
  codes(s, lencode, distcode);
}

/**
 * Decodes a raw DEFLATE stream that starts at `input[0]`.
 *
 * @param maxOutput - the most bytes the stream may decode to (a bound against decompression bombs).
 * @returns the decoded bytes and the number of input bytes the stream used (up to and including the
 *   byte holding its last bit).
 * @throws MalformedError `DEFLATE_INVALID` for any invalid, truncated or over-long stream, and for
 *   non-zero padding bits after the last block.
 * @example inflateRaw(new Uint8Array([0x03, 0x00]), 16) // { output: Uint8Array [], consumed: 2 }
 */
export function inflateRaw(input: Uint8Array, maxOutput: number): { output: Uint8Array; consumed: number } {
  const s = new State(input, maxOutput);
  let last: number;
  do {
    last = s.bits(1);
    const type = s.bits(2);
    if (type === 0) stored(s);
    else if (type === 1) fixed(s);
    else if (type === 2) dynamic(s);
    else fail('invalid block type 3');
  } while (last === 0);
  s.align();
  return { output: s.out.slice(0, s.outcnt), consumed: s.pos };
}
