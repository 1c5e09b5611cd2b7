/**
 * The two handshake messages on the wire (docs/session-protocol.md, "Handshake request" and
 * "Handshake response"): deterministic CBOR maps with small integer keys, encoded by the sender
 * and decoded strictly by the receiver. The transcript hash covers these exact bytes.
 *
 * Portable: no `node:` imports.
 */
import { encodeCbor } from '../../codec/index.js';
import { MAX_VALIDATION_BUNDLE_BYTES } from '../validation-bundle-schema.js';
import { ID_PATTERN } from '../fleet-key-set-schema.js';
import {
  MAX_HANDSHAKE_REQUEST_BYTES,
  MAX_HANDSHAKE_RESPONSE_BYTES,
  MAX_SESSION_TTL_SECONDS,
  NONCE_BYTES,
  REQUEST_KEYS,
  RESPONSE_KEYS,
  SESSION_ALGORITHMS,
  SESSION_ID_BYTES,
  SESSION_PROTOCOL_VERSION,
  SHARE_LENGTHS,
} from './protocol.js';
import type { SessionAlgorithm } from './protocol.js';
import { decoding, malformed } from './session-errors.js';
import { checkShare } from './shares.js';
import { decodeMessage } from './wire.js';

/** The client's first message. */
export interface HandshakeRequest {
  version: number;
  /** 32 random bytes. */
  nonce: Uint8Array;
  /** The fleet session key the client wants, or `null` for any session key the server holds. */
  keyId: string | null;
  /** One ephemeral public key per algorithm the client accepts (at least one). */
  shares: Partial<Record<SessionAlgorithm, Uint8Array>>;
}

/** The server's answer. */
export interface HandshakeResponse {
  version: number;
  /** 16 random bytes naming the session in later requests. */
  sessionId: Uint8Array;
  /** The id, in the bundle's fleet key set, of the fleet session key the server used. */
  keyId: string;
  /** The server's ephemeral public key, of that key's algorithm. */
  share: Uint8Array;
  /** The validation bundle, exactly as the server holds it. */
  bundle: Uint8Array;
  /** Lifetime of the session on the server, in seconds (1 … 86400). */
  ttlSeconds: number;
}

/**
 * Encodes a handshake request (version 1).
 * @throws MalformedError `SESSION_REQUEST_MALFORMED` for a field out of bounds, `SESSION_SHARE_INVALID`.
 */
export function encodeHandshakeRequest(r: Omit<HandshakeRequest, 'version'>): Uint8Array {
  const bytes = encodeCbor(
    new Map<number, Uint8Array | number | string | null>([
      [REQUEST_KEYS.version, SESSION_PROTOCOL_VERSION],
      [REQUEST_KEYS.nonce, r.nonce],
      [REQUEST_KEYS.keyId, r.keyId],
      ...SESSION_ALGORITHMS.filter((a) => r.shares[a] !== undefined).map(
        (a) => [REQUEST_KEYS[a], r.shares[a]!] as [number, Uint8Array],
      ),
    ]),
  );
  decodeHandshakeRequest(bytes); // one set of rules for what we send and what we accept
  return bytes;
}

/**
 * Decodes a handshake request strictly: version 1, a 32-byte nonce, a key id or null, one or two
 * valid shares, no other field.
 * @throws MalformedError `SESSION_REQUEST_MALFORMED`, `SESSION_VERSION_UNSUPPORTED`, `SESSION_SHARE_INVALID`.
 */
export function decodeHandshakeRequest(bytes: Uint8Array): HandshakeRequest {
  const f = decodeMessage(bytes, {
    path: 'request',
    code: 'SESSION_REQUEST_MALFORMED',
    maxBytes: MAX_HANDSHAKE_REQUEST_BYTES,
    keys: REQUEST_KEYS,
    optional: ['x25519', 'p256'],
    versioned: true,
  });
  const fields = decoding('SESSION_REQUEST_MALFORMED', 'request', () => {
    const version = f.uint('version', SESSION_PROTOCOL_VERSION, SESSION_PROTOCOL_VERSION);
    const nonce = f.bytes('nonce', { length: NONCE_BYTES });
    const keyId = f.textOrNull('keyId', ID_PATTERN);
    const shares: Partial<Record<SessionAlgorithm, Uint8Array>> = {};
    for (const a of SESSION_ALGORITHMS) if (f.has(a)) shares[a] = f.bytes(a, { length: SHARE_LENGTHS[a] });
    if (Object.keys(shares).length === 0)
      malformed('SESSION_REQUEST_MALFORMED', 'request.x25519', 'no key share: give x25519, p256 or both');
    return { version, nonce, keyId, shares };
  });
  for (const a of SESSION_ALGORITHMS) {
    const s = fields.shares[a];
    if (s !== undefined) checkShare(a, s, `request.${a}`);
  }
  return fields;
}

/**
 * Encodes a handshake response (version 1).
 * @throws MalformedError `SESSION_REPLY_MALFORMED` for a field out of bounds.
 */
export function encodeHandshakeResponse(r: Omit<HandshakeResponse, 'version'>): Uint8Array {
  const bytes = encodeCbor(
    new Map<number, Uint8Array | number | string>([
      [RESPONSE_KEYS.version, SESSION_PROTOCOL_VERSION],
      [RESPONSE_KEYS.sessionId, r.sessionId],
      [RESPONSE_KEYS.keyId, r.keyId],
      [RESPONSE_KEYS.share, r.share],
      [RESPONSE_KEYS.bundle, r.bundle],
      [RESPONSE_KEYS.ttl, r.ttlSeconds],
    ]),
  );
  decodeHandshakeResponse(bytes);
  return bytes;
}

/**
 * Decodes a handshake response strictly. The share's length must be one of the algorithms'; which
 * algorithm it must be, and whether it is on the curve, is known only once the key id is found
 * in the verified bundle (see `ClientHandshake.finish`).
 * @throws MalformedError `SESSION_REPLY_MALFORMED`, `SESSION_VERSION_UNSUPPORTED`.
 */
export function decodeHandshakeResponse(bytes: Uint8Array): HandshakeResponse {
  const f = decodeMessage(bytes, {
    path: 'response',
    code: 'SESSION_REPLY_MALFORMED',
    maxBytes: MAX_HANDSHAKE_RESPONSE_BYTES,
    keys: RESPONSE_KEYS,
    versioned: true,
  });
  return decoding('SESSION_REPLY_MALFORMED', 'response', () => {
    const version = f.uint('version', SESSION_PROTOCOL_VERSION, SESSION_PROTOCOL_VERSION);
    const sessionId = f.bytes('sessionId', { length: SESSION_ID_BYTES });
    const keyId = f.text('keyId', ID_PATTERN);
    const share = f.bytes('share', { minLength: SHARE_LENGTHS.x25519, maxLength: SHARE_LENGTHS.p256 });
    if (!Object.values(SHARE_LENGTHS).includes(share.length)) {
      malformed(
        'SESSION_REPLY_MALFORMED',
        'response.share',
        `got ${share.length} bytes, want 32 (x25519) or 65 (p256)`,
      );
    }
    const bundle = f.bytes('bundle', { minLength: 1, maxLength: MAX_VALIDATION_BUNDLE_BYTES });
    const ttlSeconds = f.uint('ttl', 1, MAX_SESSION_TTL_SECONDS);
    return { version, sessionId, keyId, share, bundle, ttlSeconds };
  });
}
