/**
 * Ciphersuite 0x0001: the statement as Plexi's proto2 `SignatureMessage`
 * (plexi_core/src/proto/specs/types.proto), fields in order, each present exactly once:
 *
 *     08 varint(ciphersuite)          field 1, uint32
 *     12 varint(len) namespace        field 2, string
 *     18 varint(timestamp)            field 3, uint64
 *     22 varint(len) 08 varint(epoch) field 4, message Epoch { optional uint64 inner = 1 }
 *     2a 20 digest                    field 5, bytes (32)
 *
 * The decoder accepts this one form only: canonical varints, no other field, no trailing byte.
 *
 * Portable: no `node:` imports.
 */
import { CIPHERSUITE_PROTOBUF_ED25519, DIGEST_SIZE, MAX_NAMESPACE_BYTES, MAX_U64 } from './message.js';
import type { SignatureMessage } from './message.js';
import { malformed, Reader } from './reader.js';

/** Protobuf varint of a value in 0..2^64 − 1. */
export function encodeVarint(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Encodes a validated statement as protobuf. Requires `message` from `normalizeMessage`.
 */
export function encodeProtobuf(message: SignatureMessage, namespaceBytes: Uint8Array): Uint8Array {
  const epoch = concat([Uint8Array.of(0x08), encodeVarint(message.epoch)]);
  return concat([
    Uint8Array.of(0x08),
    encodeVarint(BigInt(message.ciphersuite)),
    Uint8Array.of(0x12),
    encodeVarint(BigInt(namespaceBytes.length)),
    namespaceBytes,
    Uint8Array.of(0x18),
    encodeVarint(message.timestamp),
    Uint8Array.of(0x22),
    encodeVarint(BigInt(epoch.length)),
    epoch,
    Uint8Array.of(0x2a),
    encodeVarint(BigInt(message.digest.length)),
    message.digest,
  ]);
}

function expectTag(r: Reader, tag: number, field: string): void {
  const at = r.pos;
  const got = r.byte(field);
  if (got !== tag) {
    malformed(
      'STATEMENT_FIELD_UNEXPECTED',
      field,
      `got tag 0x${got.toString(16).padStart(2, '0')} at offset ${at}, want 0x${tag.toString(16).padStart(2, '0')}`,
    );
  }
}

/**
 * Decodes the protobuf form strictly.
 *
 * @throws MalformedError `STATEMENT_FIELD_UNEXPECTED` (a tag other than the next expected one),
 *   `STATEMENT_VARINT_NONCANONICAL`, `STATEMENT_VARINT_OUT_OF_RANGE`, `STATEMENT_TRUNCATED`,
 *   `STATEMENT_CIPHERSUITE_MISMATCH` (not 1), `STATEMENT_NAMESPACE_INVALID`,
 *   `STATEMENT_EPOCH_INVALID` (the Epoch sub-message is not exactly `08 varint`),
 *   `STATEMENT_DIGEST_INVALID` (not 32 bytes), `STATEMENT_TRAILING_BYTES`.
 */
export function decodeProtobuf(bytes: Uint8Array): SignatureMessage {
  const r = new Reader(bytes);
  expectTag(r, 0x08, 'statement.ciphersuite');
  const suite = r.varint('statement.ciphersuite', 0xffffffffn);
  if (suite !== BigInt(CIPHERSUITE_PROTOBUF_ED25519)) {
    malformed(
      'STATEMENT_CIPHERSUITE_MISMATCH',
      'statement.ciphersuite',
      `got ${suite} in protobuf form, want 1`,
    );
  }
  expectTag(r, 0x12, 'statement.namespace');
  const nsLen = r.varint('statement.namespace', MAX_U64);
  if (nsLen === 0n || nsLen > BigInt(MAX_NAMESPACE_BYTES)) {
    malformed(
      'STATEMENT_NAMESPACE_INVALID',
      'statement.namespace',
      `length ${nsLen}, want 1..${MAX_NAMESPACE_BYTES}`,
    );
  }
  const namespace = Reader.utf8(r.take(Number(nsLen), 'statement.namespace'), 'statement.namespace');
  expectTag(r, 0x18, 'statement.timestamp');
  const timestamp = r.varint('statement.timestamp', MAX_U64);
  expectTag(r, 0x22, 'statement.epoch');
  const epochLen = r.varint('statement.epoch', MAX_U64);
  if (epochLen < 2n || epochLen > 11n) {
    malformed('STATEMENT_EPOCH_INVALID', 'statement.epoch', `sub-message length ${epochLen}, want 2..11`);
  }
  const sub = new Reader(r.take(Number(epochLen), 'statement.epoch'));
  expectTag(sub, 0x08, 'statement.epoch.inner');
  const epoch = sub.varint('statement.epoch.inner', MAX_U64);
  if (sub.pos !== sub.bytes.length) {
    malformed(
      'STATEMENT_EPOCH_INVALID',
      'statement.epoch',
      `sub-message length ${epochLen}, want ${sub.pos}`,
    );
  }
  expectTag(r, 0x2a, 'statement.digest');
  const digestLen = r.varint('statement.digest', MAX_U64);
  if (digestLen !== BigInt(DIGEST_SIZE)) {
    malformed('STATEMENT_DIGEST_INVALID', 'statement.digest', `got ${digestLen} bytes, want ${DIGEST_SIZE}`);
  }
  const digest = r.take(DIGEST_SIZE, 'statement.digest').slice();
  r.end('statement');
  return { ciphersuite: CIPHERSUITE_PROTOBUF_ED25519, namespace, timestamp, epoch, digest };
}
