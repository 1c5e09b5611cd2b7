/**
 * Constants of the fleet session protocol (docs/session-protocol.md): the protocol label, the
 * version, the CBOR map keys of every message, the sizes and bounds, the HTTP paths, and the
 * reason codes a client reports.
 *
 * The protocol is Noise-NK-shaped: the client knows the fleet's static key from the validation
 * bundle it verifies; one round trip (handshake request, handshake response) agrees two session
 * keys from `es` (fleet static × client ephemeral, computed by the server's HSM) and `ee`.
 *
 * Portable: no `node:` imports.
 */
import { MAX_VALIDATION_BUNDLE_BYTES } from '../validation-bundle-schema.js';

/** The protocol label; the domain-separation prefix of every derived value. */
export const SESSION_PROTOCOL = 'fleet-ceremony/session/v1';
/** The version field every handshake message carries. */
export const SESSION_PROTOCOL_VERSION = 1;

/** The key-agreement algorithms of fleet session keys. */
export type SessionAlgorithm = 'x25519' | 'p256';
/** Every session algorithm, in the order a client offers them by default. */
export const SESSION_ALGORITHMS: readonly SessionAlgorithm[] = ['x25519', 'p256'];
/** Length of a key share (ephemeral public key): X25519 32 bytes, P-256 SEC 1 uncompressed 65. */
export const SHARE_LENGTHS: Readonly<Record<SessionAlgorithm, number>> = { x25519: 32, p256: 65 };

/** CBOR map keys of the handshake request. */
export const REQUEST_KEYS = { version: 0, nonce: 1, keyId: 2, x25519: 3, p256: 4 } as const;
/** CBOR map keys of the handshake response. */
export const RESPONSE_KEYS = { version: 0, sessionId: 1, keyId: 2, share: 3, bundle: 4, ttl: 5 } as const;
/** CBOR map keys of an encrypted frame. */
export const FRAME_KEYS = { seq: 0, ciphertext: 1 } as const;
/** CBOR map keys of a call (the plaintext a client sends). */
export const CALL_KEYS = { op: 0, data: 1 } as const;
/** CBOR map keys of a reply (the plaintext a server answers with). */
export const REPLY_KEYS = { code: 0, data: 1 } as const;
/** CBOR map keys of the data of a `status` reply. */
export const STATUS_KEYS = { namespace: 0, epoch: 1, keyId: 2, time: 3 } as const;

/** Client nonce length. */
export const NONCE_BYTES = 32;
/** Session id length (random, chosen by the server). */
export const SESSION_ID_BYTES = 16;
/** Length of each directional AES-256-GCM key. */
export const SESSION_KEY_BYTES = 32;
/** AES-GCM tag length. */
export const TAG_BYTES = 16;
/** Largest handshake request (the largest valid one is 213 bytes). */
export const MAX_HANDSHAKE_REQUEST_BYTES = 256;
/** Largest handshake response: a maximal validation bundle plus 256 bytes for the other fields. */
export const MAX_HANDSHAKE_RESPONSE_BYTES = MAX_VALIDATION_BUNDLE_BYTES + 256;
/** Longest session lifetime a server may announce, in seconds. */
export const MAX_SESSION_TTL_SECONDS = 86_400;
/** Largest plaintext of one frame (an encoded call or reply). */
export const MAX_PLAINTEXT_BYTES = 65_536;
/** Largest encoded frame: the ciphertext and tag of a maximal plaintext plus the CBOR framing. */
export const MAX_FRAME_BYTES = MAX_PLAINTEXT_BYTES + TAG_BYTES + 16;
/** Largest `data` of a call or reply. */
export const MAX_CALL_DATA_BYTES = 65_000;
/** Highest frame sequence number; a channel that reaches it is exhausted. */
export const MAX_SEQ = 0xffff_ffff;

/** Content type of every protocol message on HTTP. */
export const SESSION_CONTENT_TYPE = 'application/cbor';
/** Path of the handshake. */
export const HANDSHAKE_PATH = '/v1/handshake';
/** Path of the encrypted messages of session `sessionIdHex`. */
export const messagePath = (sessionIdHex: string): string => `/v1/session/${sessionIdHex}/message`;

/** The calls a fleet server answers: echo the data, report its status, or close the session. */
export type SessionOp = 'echo' | 'status' | 'close';
/** Syntax of an operation name on the wire. */
export const OP_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** Syntax of a reply code: `OK`, or an UPPER_SNAKE reason code. */
export const REPLY_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** The reply code of success. */
export const REPLY_OK = 'OK';

/**
 * The reasons a client refuses or fails a session (docs/session-protocol.md, "Reason codes").
 * Bundle failures keep their `BUNDLE_*` codes.
 */
export type SessionErrorCode =
  | 'SESSION_OPTION_INVALID'
  | 'SESSION_URL_INVALID'
  | 'SESSION_HTTP_FAILED'
  | 'SESSION_SERVER_REFUSED'
  | 'SESSION_WEBCRYPTO_UNAVAILABLE'
  | 'SESSION_HANDSHAKE_USED'
  | 'SESSION_REQUEST_MALFORMED'
  | 'SESSION_REPLY_MALFORMED'
  | 'SESSION_FRAME_MALFORMED'
  | 'SESSION_CALL_MALFORMED'
  | 'SESSION_VERSION_UNSUPPORTED'
  | 'SESSION_KEY_ID_MISMATCH'
  | 'SESSION_KEY_UNKNOWN'
  | 'SESSION_KEY_NOT_SESSION'
  | 'SESSION_ALGORITHM_MISMATCH'
  | 'SESSION_SHARE_INVALID'
  | 'SESSION_KEY_CONFIRMATION_FAILED'
  | 'SESSION_DECRYPT_FAILED'
  | 'SESSION_COUNTER_MISMATCH'
  | 'SESSION_EXHAUSTED'
  | 'SESSION_CLOSED'
  | 'SESSION_CALL_REFUSED';
