/**
 * Encoding and decoding witness statements in either ciphersuite (docs/statement.md). The two
 * forms are told apart by their first bytes: protobuf starts with tag `08`, bincode with the
 * little-endian u32 `02 00 00 00`.
 *
 * Portable: no `node:` imports.
 */
import { decodeBincode, encodeBincode } from './bincode.js';
import { CIPHERSUITE_PROTOBUF_ED25519, MAX_NAMESPACE_BYTES, normalizeMessage } from './message.js';
import type { Ciphersuite, SignatureMessage, SignatureMessageInput } from './message.js';
import { decodeProtobuf, encodeProtobuf } from './protobuf.js';
import { malformed } from './reader.js';

/** Largest encoded statement accepted by the decoder (bincode with the longest namespace). */
export const MAX_STATEMENT_BYTES = 68 + MAX_NAMESPACE_BYTES;

/**
 * Encodes a witness statement, byte-compatible with Plexi's `SignatureMessage::to_vec`.
 *
 * @param message - ciphersuite 1 (protobuf) or 2 (bincode); non-empty namespace of at most 1024
 *   UTF-8 bytes; timestamp (ms) and epoch in 0..2^64 − 1; 32-byte digest.
 * @returns the bytes the witness signs.
 * @throws UsageError `STATEMENT_CIPHERSUITE_UNSUPPORTED`, `STATEMENT_NAMESPACE_INVALID`,
 *   `STATEMENT_TIMESTAMP_INVALID`, `STATEMENT_EPOCH_INVALID`, `STATEMENT_DIGEST_INVALID`.
 * @example encodeSignatureMessage({ ciphersuite: 1, namespace: 'log1.example.com',
 *   timestamp: 1717084639921, epoch: 1, digest: new Uint8Array(32).fill(0x11) })
 */
export function encodeSignatureMessage(message: SignatureMessageInput): Uint8Array {
  const { message: m, namespaceBytes } = normalizeMessage(message);
  return m.ciphersuite === CIPHERSUITE_PROTOBUF_ED25519
    ? encodeProtobuf(m, namespaceBytes)
    : encodeBincode(m, namespaceBytes);
}

/**
 * Decodes a witness statement strictly: exactly the bytes {@link encodeSignatureMessage} would
 * produce for some statement, nothing else.
 *
 * @param bytes - the encoded statement.
 * @param ciphersuite - when given, the ciphersuite the caller expects.
 * @throws MalformedError `STATEMENT_TOO_LARGE`, `STATEMENT_CIPHERSUITE_UNSUPPORTED` (neither form),
 *   `STATEMENT_CIPHERSUITE_MISMATCH` (not the expected one), and the codes of the protobuf and
 *   bincode decoders (`STATEMENT_TRUNCATED`, `STATEMENT_VARINT_NONCANONICAL`,
 *   `STATEMENT_FIELD_UNEXPECTED`, `STATEMENT_NAMESPACE_INVALID`, `STATEMENT_DIGEST_INVALID`,
 *   `STATEMENT_TRAILING_BYTES`, ...).
 */
export function decodeSignatureMessage(bytes: Uint8Array, ciphersuite?: Ciphersuite): SignatureMessage {
  if (!(bytes instanceof Uint8Array)) malformed('STATEMENT_MALFORMED', 'statement', 'want a Uint8Array');
  if (bytes.length > MAX_STATEMENT_BYTES) {
    malformed('STATEMENT_TOO_LARGE', 'statement', `${bytes.length} bytes, want ≤ ${MAX_STATEMENT_BYTES}`);
  }
  let message: SignatureMessage;
  if (bytes[0] === 0x08) {
    message = decodeProtobuf(bytes);
  } else if (bytes.length >= 4 && bytes[0] === 0x02 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0) {
    message = decodeBincode(bytes);
  } else {
    malformed(
      'STATEMENT_CIPHERSUITE_UNSUPPORTED',
      'statement.ciphersuite',
      'neither protobuf (08 ..) nor bincode (02 00 00 00 ..)',
    );
  }
  if (ciphersuite !== undefined && message.ciphersuite !== ciphersuite) {
    malformed(
      'STATEMENT_CIPHERSUITE_MISMATCH',
      'statement.ciphersuite',
      `got ${message.ciphersuite}, want ${ciphersuite}`,
    );
  }
  return message;
}
