/**
 * What travels after the handshake (docs/session-protocol.md, "Encrypted messages"): frames
 * `{0: seq, 1: ciphertext}` around AES-256-GCM ciphertexts, and inside them the plaintext of a
 * call `{0: op, 1: data}` or a reply `{0: code, 1: data}`; all deterministic CBOR, decoded
 * strictly.
 *
 * Portable: no `node:` imports.
 */
import { encodeCbor } from '../../codec/index.js';
import {
  CALL_KEYS,
  FRAME_KEYS,
  MAX_CALL_DATA_BYTES,
  MAX_FRAME_BYTES,
  MAX_PLAINTEXT_BYTES,
  MAX_SEQ,
  OP_PATTERN,
  REPLY_CODE_PATTERN,
  REPLY_KEYS,
  TAG_BYTES,
} from './protocol.js';
import { decoding } from './session-errors.js';
import { decodeMessage } from './wire.js';

/** An encrypted frame: its sequence number (the AEAD nonce) and the ciphertext with its tag. */
export interface Frame {
  seq: number;
  ciphertext: Uint8Array;
}

/** A call: an operation name and its data. */
export interface SessionCall {
  op: string;
  data: Uint8Array;
}

/** A reply: `OK` or an UPPER_SNAKE reason code, and data. */
export interface SessionReply {
  code: string;
  data: Uint8Array;
}

/** Encodes a frame. */
export function encodeFrame(frame: Frame): Uint8Array {
  return encodeCbor(
    new Map<number, number | Uint8Array>([
      [FRAME_KEYS.seq, frame.seq],
      [FRAME_KEYS.ciphertext, frame.ciphertext],
    ]),
  );
}

/**
 * Decodes a frame: seq in 0 … 2^32 − 1, a ciphertext of 16 … 65552 bytes (tag included).
 * @throws MalformedError `SESSION_FRAME_MALFORMED`.
 */
export function decodeFrame(bytes: Uint8Array, path = 'frame'): Frame {
  const f = decodeMessage(bytes, {
    path,
    code: 'SESSION_FRAME_MALFORMED',
    maxBytes: MAX_FRAME_BYTES,
    keys: FRAME_KEYS,
    versioned: false,
  });
  return decoding('SESSION_FRAME_MALFORMED', path, () => ({
    seq: f.uint('seq', 0, MAX_SEQ),
    ciphertext: f.bytes('ciphertext', { minLength: TAG_BYTES, maxLength: MAX_PLAINTEXT_BYTES + TAG_BYTES }),
  }));
}

/** Encodes a call. @throws MalformedError `SESSION_CALL_MALFORMED` for a bad op name or oversized data. */
export function encodeCall(call: SessionCall): Uint8Array {
  const bytes = encodeCbor(
    new Map<number, string | Uint8Array>([
      [CALL_KEYS.op, call.op],
      [CALL_KEYS.data, call.data],
    ]),
  );
  decodeCall(bytes);
  return bytes;
}

/** Decodes a call. @throws MalformedError `SESSION_CALL_MALFORMED`. */
export function decodeCall(bytes: Uint8Array): SessionCall {
  const f = decodeMessage(bytes, {
    path: 'call',
    code: 'SESSION_CALL_MALFORMED',
    maxBytes: MAX_PLAINTEXT_BYTES,
    keys: CALL_KEYS,
    versioned: false,
  });
  return decoding('SESSION_CALL_MALFORMED', 'call', () => ({
    op: f.text('op', OP_PATTERN),
    data: f.bytes('data', { maxLength: MAX_CALL_DATA_BYTES }),
  }));
}

/** Encodes a reply. @throws MalformedError `SESSION_CALL_MALFORMED` for a bad code or oversized data. */
export function encodeReply(reply: SessionReply): Uint8Array {
  const bytes = encodeCbor(
    new Map<number, string | Uint8Array>([
      [REPLY_KEYS.code, reply.code],
      [REPLY_KEYS.data, reply.data],
    ]),
  );
  decodeReply(bytes);
  return bytes;
}

/** Decodes a reply. @throws MalformedError `SESSION_CALL_MALFORMED`. */
export function decodeReply(bytes: Uint8Array): SessionReply {
  const f = decodeMessage(bytes, {
    path: 'reply',
    code: 'SESSION_CALL_MALFORMED',
    maxBytes: MAX_PLAINTEXT_BYTES,
    keys: REPLY_KEYS,
    versioned: false,
  });
  return decoding('SESSION_CALL_MALFORMED', 'reply', () => ({
    code: f.text('code', REPLY_CODE_PATTERN),
    data: f.bytes('data', { maxLength: MAX_CALL_DATA_BYTES }),
  }));
}
