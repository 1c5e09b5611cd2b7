/**
 * The fleet session protocol, client side and shared parts (docs/session-protocol.md): a
 * Noise-NK-shaped handshake that verifies the validation bundle before agreeing keys with a fleet
 * session key, AES-256-GCM frames, and `connect` over the fetch API. Re-exports only.
 */
export {
  CALL_KEYS,
  FRAME_KEYS,
  HANDSHAKE_PATH,
  MAX_CALL_DATA_BYTES,
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_REQUEST_BYTES,
  MAX_HANDSHAKE_RESPONSE_BYTES,
  MAX_PLAINTEXT_BYTES,
  MAX_SEQ,
  MAX_SESSION_TTL_SECONDS,
  NONCE_BYTES,
  OP_PATTERN,
  REPLY_CODE_PATTERN,
  REPLY_KEYS,
  REPLY_OK,
  REQUEST_KEYS,
  RESPONSE_KEYS,
  SESSION_ALGORITHMS,
  SESSION_CONTENT_TYPE,
  SESSION_ID_BYTES,
  SESSION_KEY_BYTES,
  SESSION_PROTOCOL,
  SESSION_PROTOCOL_VERSION,
  SHARE_LENGTHS,
  STATUS_KEYS,
  TAG_BYTES,
  messagePath,
} from './protocol.js';
export type { SessionAlgorithm, SessionErrorCode, SessionOp } from './protocol.js';
export {
  decodeHandshakeRequest,
  decodeHandshakeResponse,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
} from './handshake-messages.js';
export type { HandshakeRequest, HandshakeResponse } from './handshake-messages.js';
export { agree, checkShare, generateShare, isSessionAlgorithm } from './shares.js';
export {
  CLIENT_TO_SERVER_INFO,
  SERVER_TO_CLIENT_INFO,
  TRANSCRIPT_LABEL,
  deriveSessionKeys,
  transcriptHash,
} from './key-schedule.js';
export type { SessionKeys } from './key-schedule.js';
export { decodeCall, decodeFrame, decodeReply, encodeCall, encodeFrame, encodeReply } from './frames.js';
export type { Frame, SessionCall, SessionReply } from './frames.js';
export { decodeStatus, encodeStatus } from './status.js';
export type { FleetStatus } from './status.js';
export { SessionChannel, frameNonce } from './channel.js';
export type { SessionRole } from './channel.js';
export { ClientHandshake } from './client-handshake.js';
export type { EstablishedSession, HandshakeOptions, SessionFleetKey } from './client-handshake.js';
export { baseUrl } from './http.js';
export type { HttpOptions, ServerRefusal } from './http.js';
export { connect, FleetConnection } from './connect.js';
export type { ConnectOptions } from './connect.js';
