/**
 * The witness statement: Cloudflare Plexi's `SignatureMessage` (plexi_core/src/lib.rs,
 * plexi_core/src/proto/specs/types.proto): ciphersuite, namespace, timestamp in milliseconds,
 * epoch and a 32-byte digest. Ciphersuite 0x0001 is protobuf + Ed25519, 0x0002 bincode + Ed25519.
 * See docs/statement.md for the bytes.
 *
 * Portable: no `node:` imports.
 */
import { UsageError } from '../errors.js';

/** Ciphersuite 0x0001: protobuf (proto2) encoding, Ed25519 signature. */
export const CIPHERSUITE_PROTOBUF_ED25519 = 1;
/** Ciphersuite 0x0002: bincode (legacy config) encoding, Ed25519 signature. */
export const CIPHERSUITE_BINCODE_ED25519 = 2;

/** The ciphersuites this library encodes and decodes. */
export type Ciphersuite = typeof CIPHERSUITE_PROTOBUF_ED25519 | typeof CIPHERSUITE_BINCODE_ED25519;

/** Longest namespace accepted, in UTF-8 bytes. */
export const MAX_NAMESPACE_BYTES = 1024;
/** Digest length: SHA-256. */
export const DIGEST_SIZE = 32;
/** Largest timestamp and epoch: 2^64 − 1 (Rust `u64`). */
export const MAX_U64 = (1n << 64n) - 1n;

/** A decoded, validated witness statement. */
export interface SignatureMessage {
  ciphersuite: Ciphersuite;
  /** Non-empty, at most {@link MAX_NAMESPACE_BYTES} UTF-8 bytes. */
  namespace: string;
  /** Milliseconds since the Unix epoch, 0..2^64 − 1. */
  timestamp: bigint;
  /** Epoch number, 0..2^64 − 1. */
  epoch: bigint;
  /** 32 bytes (SHA-256 of what the witness signs for, e.g. the fleet key set). */
  digest: Uint8Array;
}

/** What the encoder takes: numbers may be `number` (safe integers) or `bigint`. */
export interface SignatureMessageInput {
  ciphersuite: number;
  namespace: string;
  timestamp: bigint | number;
  epoch: bigint | number;
  digest: Uint8Array;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const encoder = new TextEncoder();

function usage(code: string, field: string, reason: string): never {
  throw new UsageError(code, `${field}: ${reason}`, { field });
}

function toU64(n: bigint | number, code: string, field: string): bigint {
  if (
    typeof n === 'number'
      ? Number.isSafeInteger(n) && n >= 0
      : typeof n === 'bigint' && n >= 0n && n <= MAX_U64
  ) {
    return BigInt(n);
  }
  usage(code, field, `got ${String(n)}, want an integer in 0..2^64-1 (a number must be a safe integer)`);
}

/**
 * Checks a statement before encoding and returns it with bigint numbers and a copied digest.
 *
 * @returns the namespace's UTF-8 bytes too.
 * @throws UsageError `STATEMENT_CIPHERSUITE_UNSUPPORTED`, `STATEMENT_NAMESPACE_INVALID` (empty, too
 *   long, lone surrogate), `STATEMENT_TIMESTAMP_INVALID`, `STATEMENT_EPOCH_INVALID`,
 *   `STATEMENT_DIGEST_INVALID` (not 32 bytes).
 */
export function normalizeMessage(input: SignatureMessageInput): {
  message: SignatureMessage;
  namespaceBytes: Uint8Array;
} {
  if (typeof input !== 'object' || input === null)
    usage('STATEMENT_MALFORMED', 'statement', 'want an object');
  const { ciphersuite, namespace, digest } = input;
  if (ciphersuite !== CIPHERSUITE_PROTOBUF_ED25519 && ciphersuite !== CIPHERSUITE_BINCODE_ED25519) {
    usage(
      'STATEMENT_CIPHERSUITE_UNSUPPORTED',
      'statement.ciphersuite',
      `got ${String(ciphersuite)}, want 1 or 2`,
    );
  }
  if (typeof namespace !== 'string' || namespace === '' || LONE_SURROGATE.test(namespace)) {
    usage('STATEMENT_NAMESPACE_INVALID', 'statement.namespace', 'want a non-empty, well-formed string');
  }
  const namespaceBytes = encoder.encode(namespace);
  if (namespaceBytes.length > MAX_NAMESPACE_BYTES) {
    usage(
      'STATEMENT_NAMESPACE_INVALID',
      'statement.namespace',
      `${namespaceBytes.length} bytes, want ≤ ${MAX_NAMESPACE_BYTES}`,
    );
  }
  const timestamp = toU64(input.timestamp, 'STATEMENT_TIMESTAMP_INVALID', 'statement.timestamp');
  const epoch = toU64(input.epoch, 'STATEMENT_EPOCH_INVALID', 'statement.epoch');
  if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_SIZE) {
    usage('STATEMENT_DIGEST_INVALID', 'statement.digest', `want ${DIGEST_SIZE} bytes`);
  }
  return { message: { ciphersuite, namespace, timestamp, epoch, digest: digest.slice() }, namespaceBytes };
}
