/**
 * The witness log's entry (docs/formats.md, "Witness log entry"): every statement the witness
 * signs is appended to its RFC 9162 log as the deterministic CBOR map
 *
 *     { 0: 1 (entry version), 1: statement message bytes, 2: Ed25519 signature (64 bytes),
 *       3: witness key id (0 … 255, Plexi's last byte of the public key) }
 *
 * and the Merkle leaf hash is `SHA-256(0x00 || entry)`. The witness (appending) and clients
 * (verifying inclusion) call the same function, so they cannot disagree on the bytes.
 *
 * Portable: no `node:` imports.
 */
import { decodeCbor } from '../codec/index.js';
import type { CborValue } from '../codec/index.js';
import { MAX_STATEMENT_BYTES } from '../statement/index.js';
import { hashLeaf } from '../tlog/index.js';
import { asBytes, asMap, asUint, asUsage, checkKeys, malformed } from './fields.js';

/** Version of the log entry encoding. */
export const WITNESS_LOG_ENTRY_VERSION = 1;

const ENTRY_KEYS = { version: 0, statement: 1, signature: 2, keyId: 3 } as const;
const ROOT = 'logEntry';

/** One witness log entry: a signed witness statement. */
export interface WitnessLogEntry {
  /** The encoded statement (Plexi `SignatureMessage`), exactly as signed. */
  statement: Uint8Array;
  /** The witness's 64-byte Ed25519 signature over `statement`. */
  signature: Uint8Array;
  /** The witness key id (last byte of its public key), 0 … 255. */
  keyId: number;
}

/**
 * Decodes and checks a log entry's bytes (lengths and ranges; the statement is not decoded).
 *
 * @throws MalformedError `CBOR_*`, `FIELD_*`, `LOG_ENTRY_VERSION_UNSUPPORTED`.
 */
export function decodeWitnessLogEntry(bytes: Uint8Array): WitnessLogEntry {
  const m = asMap(decodeCbor(bytes, { maxBytes: MAX_STATEMENT_BYTES + 256, maxDepth: 1, field: ROOT }), ROOT);
  checkKeys(m, ROOT, ENTRY_KEYS);
  const version = asUint(m.get(ENTRY_KEYS.version)!, `${ROOT}.version`);
  if (version !== WITNESS_LOG_ENTRY_VERSION) {
    malformed(
      'LOG_ENTRY_VERSION_UNSUPPORTED',
      `${ROOT}.version`,
      `got ${version}, want ${WITNESS_LOG_ENTRY_VERSION}`,
    );
  }
  return checkEntry(m.get(ENTRY_KEYS.statement)!, m.get(ENTRY_KEYS.signature)!, m.get(ENTRY_KEYS.keyId)!);
}

function checkEntry(statement: CborValue, signature: CborValue, keyId: CborValue): WitnessLogEntry {
  return {
    statement: asBytes(statement, `${ROOT}.statement`, 1, MAX_STATEMENT_BYTES),
    signature: asBytes(signature, `${ROOT}.signature`, 64),
    keyId: asUint(keyId, `${ROOT}.keyId`, 0, 255),
  };
}

/**
 * The bytes of the witness log entry for a signed statement (the Merkle leaf *data*; hash it
 * with `hashLeaf`, or use {@link witnessLogLeafHash}).
 *
 * @param entry - statement bytes (1 … `MAX_STATEMENT_BYTES`), 64-byte signature, key id 0 … 255.
 * @throws UsageError `FIELD_TYPE`, `FIELD_LENGTH`, `FIELD_RANGE` naming `logEntry.<field>`.
 * @example tree.append(witnessLogLeaf({ statement, signature, keyId: statementKeyId(witnessPublicKey) }))
 */
export function witnessLogLeaf(entry: WitnessLogEntry): Uint8Array {
  asUsage(() => {
    const e = (entry ?? {}) as Partial<Record<keyof WitnessLogEntry, CborValue>>;
    const k = e.keyId;
    checkEntry(
      e.statement ?? null,
      e.signature ?? null,
      typeof k === 'number' && !Number.isInteger(k) ? -1 : (k ?? null),
    );
  });
  // The deterministic CBOR of the map above, written directly (clients build it on every
  // verification; the tests check it equals encodeCbor's output).
  const st = entry.statement;
  const head =
    st.length < 24
      ? [0x40 | st.length]
      : st.length < 256
        ? [0x58, st.length]
        : [0x59, st.length >> 8, st.length & 255];
  const key = entry.keyId < 24 ? [entry.keyId] : [0x18, entry.keyId];
  const out = new Uint8Array(4 + head.length + st.length + 67 + 1 + key.length);
  let at = 0;
  out.set([0xa4, ENTRY_KEYS.version, WITNESS_LOG_ENTRY_VERSION, ENTRY_KEYS.statement, ...head], at);
  at += 4 + head.length;
  out.set(st, at);
  at += st.length;
  out.set([ENTRY_KEYS.signature, 0x58, 64], at);
  out.set(entry.signature, at + 3);
  at += 67;
  out.set([ENTRY_KEYS.keyId, ...key], at);
  return out;
}

/**
 * The RFC 9162 leaf hash of a witness log entry: `SHA-256(0x00 || witnessLogLeaf(entry))`.
 *
 * @throws UsageError as {@link witnessLogLeaf}.
 */
export function witnessLogLeafHash(entry: WitnessLogEntry): Uint8Array {
  return hashLeaf(witnessLogLeaf(entry));
}
