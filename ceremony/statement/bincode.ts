/**
 * Ciphersuite 0x0002: the statement as Plexi's `SignatureMessage` in bincode with the legacy
 * configuration (fixed-width little-endian integers, u64 length prefixes):
 *
 *     u32le ciphersuite (2)
 *     u64le len || namespace (UTF-8)
 *     u64le timestamp
 *     u64le epoch
 *     u64le len (32) || digest
 *
 * Portable: no `node:` imports.
 */
import { CIPHERSUITE_BINCODE_ED25519, DIGEST_SIZE, MAX_NAMESPACE_BYTES } from './message.js';
import type { SignatureMessage } from './message.js';
import { malformed, Reader } from './reader.js';

/** Encodes a validated statement as bincode. Requires `message` from `normalizeMessage`. */
export function encodeBincode(message: SignatureMessage, namespaceBytes: Uint8Array): Uint8Array {
  const n = namespaceBytes.length;
  const out = new Uint8Array(4 + 8 + n + 8 + 8 + 8 + DIGEST_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, message.ciphersuite, true);
  view.setBigUint64(4, BigInt(n), true);
  out.set(namespaceBytes, 12);
  view.setBigUint64(12 + n, message.timestamp, true);
  view.setBigUint64(20 + n, message.epoch, true);
  view.setBigUint64(28 + n, BigInt(DIGEST_SIZE), true);
  out.set(message.digest, 36 + n);
  return out;
}

/**
 * Decodes the bincode form strictly.
 *
 * @throws MalformedError `STATEMENT_TRUNCATED`, `STATEMENT_CIPHERSUITE_MISMATCH` (not 2),
 *   `STATEMENT_NAMESPACE_INVALID` (empty, over the limit, not UTF-8), `STATEMENT_DIGEST_INVALID`
 *   (length prefix not 32), `STATEMENT_TRAILING_BYTES`.
 */
export function decodeBincode(bytes: Uint8Array): SignatureMessage {
  const r = new Reader(bytes);
  const suite = r.u32le('statement.ciphersuite');
  if (suite !== CIPHERSUITE_BINCODE_ED25519) {
    malformed(
      'STATEMENT_CIPHERSUITE_MISMATCH',
      'statement.ciphersuite',
      `got ${suite} in bincode form, want 2`,
    );
  }
  const nsLen = r.u64le('statement.namespace');
  if (nsLen === 0n || nsLen > BigInt(MAX_NAMESPACE_BYTES)) {
    malformed(
      'STATEMENT_NAMESPACE_INVALID',
      'statement.namespace',
      `length ${nsLen}, want 1..${MAX_NAMESPACE_BYTES}`,
    );
  }
  const namespace = Reader.utf8(r.take(Number(nsLen), 'statement.namespace'), 'statement.namespace');
  const timestamp = r.u64le('statement.timestamp');
  const epoch = r.u64le('statement.epoch');
  const digestLen = r.u64le('statement.digest');
  if (digestLen !== BigInt(DIGEST_SIZE)) {
    malformed('STATEMENT_DIGEST_INVALID', 'statement.digest', `length ${digestLen}, want ${DIGEST_SIZE}`);
  }
  const digest = r.take(DIGEST_SIZE, 'statement.digest').slice();
  r.end('statement');
  return { ciphersuite: CIPHERSUITE_BINCODE_ED25519, namespace, timestamp, epoch, digest };
}
