/**
 * A tiny DER writer for test fixtures (X.690 §8): enough to encode the emulated profile's
 * extension values and hand-made certificate parts. Written apart from the library's encoders
 * so that fixtures do not share code with what they test.
 */

/** TLV with a one-byte tag. */
export function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const c = Uint8Array.from(content);
  const n = c.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...len, ...c]);
}

export const seq = (...items: Uint8Array[]): Uint8Array =>
  tlv(
    0x30,
    items.flatMap((i) => [...i]),
  );
export const utf8 = (s: string): Uint8Array => tlv(0x0c, [...new TextEncoder().encode(s)]);
export const octets = (b: Uint8Array | number[]): Uint8Array => tlv(0x04, [...b]);
export const bool = (b: boolean): Uint8Array => tlv(0x01, [b ? 0xff : 0x00]);
export const enumerated = (n: number): Uint8Array => tlv(0x0a, [n]);
export const integer = (n: number): Uint8Array => {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, bytes);
};
/** OBJECT IDENTIFIER from dotted text (arcs of any size). */
export const oid = (dotted: string): Uint8Array => {
  const arcs = dotted.split('.').map(BigInt);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, out);
};
/** GeneralizedTime `YYYYMMDDHHMMSSZ`. */
export const generalizedTime = (d: Date): Uint8Array =>
  tlv(0x18, [
    ...new TextEncoder().encode(
      d
        .toISOString()
        .replace(/[-:T]/g, '')
        .replace(/\.\d{3}Z$/, 'Z'),
    ),
  ]);
/** UTCTime `YYMMDDHHMMSSZ`. */
export const utcTime = (d: Date): Uint8Array =>
  tlv(0x17, [
    ...new TextEncoder().encode(
      d
        .toISOString()
        .slice(2)
        .replace(/[-:T]/g, '')
        .replace(/\.\d{3}Z$/, 'Z'),
    ),
  ]);

/** Hex to bytes (test convenience; accepts spaces). */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}
