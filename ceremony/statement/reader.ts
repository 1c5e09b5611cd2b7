/**
 * A bounds-checked cursor over untrusted statement bytes, shared by the protobuf and bincode
 * decoders. Every read that would run past the end throws `STATEMENT_TRUNCATED`.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Throws a MalformedError naming the field. */
export function malformed(code: string, field: string, reason: string, cause?: unknown): never {
  throw new MalformedError(code, `${field}: ${reason}`, { field, cause });
}

/** Cursor over `bytes`; `pos` is the next byte to read. */
export class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** Takes `n` bytes (a view, not a copy). */
  take(n: number, field: string): Uint8Array {
    if (n > this.bytes.length - this.pos) {
      malformed(
        'STATEMENT_TRUNCATED',
        field,
        `want ${n} bytes at offset ${this.pos}, ${this.bytes.length - this.pos} left`,
      );
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Takes one byte. */
  byte(field: string): number {
    return this.take(1, field)[0]!;
  }

  /** Takes a little-endian u32. */
  u32le(field: string): number {
    const b = this.take(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }

  /** Takes a little-endian u64. */
  u64le(field: string): bigint {
    const b = this.take(8, field);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }

  /**
   * Takes a canonical protobuf varint (at most 10 bytes, no redundant trailing zero group) whose
   * value is at most `max`.
   */
  varint(field: string, max: bigint): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte(field);
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0)
          malformed('STATEMENT_VARINT_NONCANONICAL', field, 'varint has a redundant trailing zero byte');
        if (value > max) malformed('STATEMENT_VARINT_OUT_OF_RANGE', field, `got ${value}, want ≤ ${max}`);
        return value;
      }
    }
    malformed('STATEMENT_VARINT_OUT_OF_RANGE', field, 'varint longer than 10 bytes');
  }

  /** Decodes bytes as strict UTF-8. */
  static utf8(bytes: Uint8Array, field: string): string {
    try {
      return decoder.decode(bytes);
    } catch (cause) {
      malformed('STATEMENT_NAMESPACE_INVALID', field, 'not valid UTF-8', cause);
    }
  }

  /** Requires that every byte was read. */
  end(field: string): void {
    if (this.pos !== this.bytes.length) {
      malformed(
        'STATEMENT_TRAILING_BYTES',
        field,
        `${this.bytes.length - this.pos} unexpected byte(s) at offset ${this.pos}`,
      );
    }
  }
}
