/**
 * The session key schedule (docs/session-protocol.md, "Key schedule"):
 *
 *     TH  = SHA-256("fleet-ceremony/session/v1 transcript" || 0x00
 *                   || u32be(len(request)) || request || u32be(len(response)) || response)
 *     PRK = HKDF-Extract(salt = TH, IKM = es || ee)                      (RFC 5869 §2.2, SHA-256)
 *     K_c2s = HKDF-Expand(PRK, "fleet-ceremony/session/v1 client to server", 32)
 *     K_s2c = HKDF-Expand(PRK, "fleet-ceremony/session/v1 server to client", 32)
 *
 * `es` is Diffie-Hellman of the fleet's static session key with the client's ephemeral share (on
 * the server: inside the HSM), `ee` of the two ephemeral shares. The transcript hash covers the
 * exact bytes of both handshake messages, the validation bundle included, so a change to any byte
 * either side saw gives both sides different keys.
 *
 * Portable: no `node:` imports.
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8Encode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { SESSION_KEY_BYTES, SESSION_PROTOCOL } from './protocol.js';

/** Prefix of the transcript hash input (the label, then a 0x00 byte). */
export const TRANSCRIPT_LABEL = `${SESSION_PROTOCOL} transcript`;
/** HKDF info of the client-to-server key. */
export const CLIENT_TO_SERVER_INFO = `${SESSION_PROTOCOL} client to server`;
/** HKDF info of the server-to-client key. */
export const SERVER_TO_CLIENT_INFO = `${SESSION_PROTOCOL} server to client`;

const TRANSCRIPT_PREFIX = concatBytes(utf8Encode(TRANSCRIPT_LABEL), new Uint8Array(1));

/** The two directional AES-256-GCM keys of a session. Secret: wipe them after use. */
export interface SessionKeys {
  clientToServer: Uint8Array;
  serverToClient: Uint8Array;
}

function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/**
 * The transcript hash of a handshake: SHA-256 over the label and the two messages, each prefixed
 * by its length as a 32-bit big-endian integer.
 *
 * Precondition: both messages are shorter than 2^32 bytes (the protocol bounds them far lower).
 */
export function transcriptHash(request: Uint8Array, response: Uint8Array): Uint8Array {
  return sha256(
    concatBytes(TRANSCRIPT_PREFIX, u32be(request.length), request, u32be(response.length), response),
  );
}

/**
 * Derives the session keys from the two Diffie-Hellman results and the transcript hash.
 * `es`, `ee` and the intermediate PRK are wiped here; the caller wipes the returned keys once
 * they are imported into the AEAD.
 *
 * @param es - DH(fleet static, client ephemeral), 32 bytes.
 * @param ee - DH(server ephemeral, client ephemeral), 32 bytes.
 * @param th - the transcript hash, 32 bytes.
 * @throws Error if a length is wrong (a programming error: the shares module returns 32 bytes).
 */
export function deriveSessionKeys(es: Uint8Array, ee: Uint8Array, th: Uint8Array): SessionKeys {
  if (es.length !== 32 || ee.length !== 32 || th.length !== 32) {
    throw new Error('deriveSessionKeys: es, ee and th must be 32 bytes each');
  }
  const ikm = concatBytes(es, ee);
  const prk = extract(nobleSha256, ikm, th);
  const keys = {
    clientToServer: expand(nobleSha256, prk, utf8Encode(CLIENT_TO_SERVER_INFO), SESSION_KEY_BYTES),
    serverToClient: expand(nobleSha256, prk, utf8Encode(SERVER_TO_CLIENT_INFO), SESSION_KEY_BYTES),
  };
  // Key material: wipe every intermediate so only the two keys remain, and the caller wipes those.
  for (const b of [ikm, prk, es, ee]) b.fill(0);
  return keys;
}
