/**
 * The server's side of the handshake (docs/session-protocol.md, "Server"): read the request, pick
 * the share for the served key's algorithm, let the HSM compute `es` with the fleet's private
 * session key (which never leaves it), compute `ee` with a fresh ephemeral key, answer with the
 * validation bundle, and derive the same session keys as the client.
 */
import {
  agree,
  decodeHandshakeRequest,
  deriveSessionKeys,
  encodeHandshakeResponse,
  generateShare,
  SESSION_ID_BYTES,
  SessionChannel,
  transcriptHash,
} from '../bundle/session/index.js';
import { randomBytes } from '../crypto/index.js';
import { isCeremonyError } from '../errors.js';
import type { Hsm } from '../hsm/index.js';
import { refuse } from './errors.js';
import type { ServedKey } from './served-key.js';
import type { ServerSession, SessionStore } from './sessions.js';

/**
 * Receives a copy of each session's keys, like Node's TLS `keylog` event: for protocol debugging
 * and for tests that prove no key reaches any output. Never set it in production; the CLI cannot.
 */
export type KeyLogger = (entry: {
  sessionId: Uint8Array;
  transcriptHash: Uint8Array;
  clientToServer: Uint8Array;
  serverToClient: Uint8Array;
}) => void;

/** What answering a handshake needs. */
export interface ResponderContext {
  /** The HSM holding the served key; only its ECDH is used. */
  hsm: Pick<Hsm, 'deriveSharedSecret'>;
  key: ServedKey;
  /** The validation bundle, sent as is. */
  bundle: Uint8Array;
  store: SessionStore;
  ttlSeconds: number;
  keyLog?: KeyLogger;
}

/** `es`, computed inside the HSM; an unusable client share is the client's fault (400). */
async function staticAgreement(ctx: ResponderContext, share: Uint8Array, field: string): Promise<Uint8Array> {
  try {
    return await ctx.hsm.deriveSharedSecret(ctx.key.keyId, share);
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'HSM_PEER_KEY_INVALID') {
      return refuse('SESSION_SHARE_INVALID', field, `the HSM refused the share: ${e.message}`, e);
    }
    throw e;
  }
}

/**
 * Answers a handshake request and stores the new session.
 *
 * @param request - the request body, as received (the transcript covers these exact bytes).
 * @returns the response body and the session.
 * @throws MalformedError `SESSION_REQUEST_MALFORMED`, `SESSION_VERSION_UNSUPPORTED`,
 *   `SESSION_SHARE_INVALID`; Refusal `SESSION_KEY_UNAVAILABLE`, `SESSION_ALGORITHM_UNSUPPORTED`,
 *   `SESSION_SHARE_INVALID`, `SESSION_CAPACITY`; whatever the HSM throws otherwise.
 */
export async function respondToHandshake(
  request: Uint8Array,
  ctx: ResponderContext,
): Promise<{ response: Uint8Array; session: ServerSession }> {
  const req = decodeHandshakeRequest(request);
  const { keyId, algorithm } = ctx.key;
  if (req.keyId !== null && req.keyId !== keyId) {
    refuse(
      'SESSION_KEY_UNAVAILABLE',
      'request.keyId',
      `this server holds fleet key ${JSON.stringify(keyId)}, not ${JSON.stringify(req.keyId)}; ask for it, or for any key`,
    );
  }
  const clientShare = req.shares[algorithm];
  if (clientShare === undefined) {
    refuse(
      'SESSION_ALGORITHM_UNSUPPORTED',
      `request.${algorithm}`,
      `fleet key ${JSON.stringify(keyId)} is ${algorithm}, and the request has no ${algorithm} share`,
    );
  }
  const slot = ctx.store.reserve();
  const ephemeral = generateShare(algorithm);
  try {
    const es = await staticAgreement(ctx, clientShare, `request.${algorithm}`);
    const ee = agree(algorithm, ephemeral.secretKey, clientShare);
    const sessionId = randomBytes(SESSION_ID_BYTES);
    const response = encodeHandshakeResponse({
      sessionId,
      keyId,
      share: ephemeral.publicKey,
      bundle: ctx.bundle,
      ttlSeconds: ctx.ttlSeconds,
    });
    const th = transcriptHash(request, response);
    const keys = deriveSessionKeys(es, ee, th);
    ctx.keyLog?.({
      sessionId: sessionId.slice(),
      transcriptHash: th.slice(),
      clientToServer: keys.clientToServer.slice(),
      serverToClient: keys.serverToClient.slice(),
    });
    const channel = await SessionChannel.create('server', keys, th);
    return { response, session: slot.fill(sessionId, channel, ctx.key) };
  } finally {
    ephemeral.secretKey.fill(0); // the server's ephemeral secret lives for one handshake only
    slot.release();
  }
}
