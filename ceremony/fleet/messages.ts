/**
 * The server's side of the encrypted messages (docs/session-protocol.md, "Calls"): open the frame
 * under the session's client-to-server key, answer the call, seal the reply.
 *
 * Calls: `echo` returns its data; `status` returns the namespace and epoch of the served bundle,
 * the session's fleet key and the server's clock (`FleetStatus`); `close` ends the session after
 * the reply. Any other op is answered, encrypted, with `SESSION_OP_UNKNOWN`; a call that does not
 * decode with `SESSION_CALL_MALFORMED`.
 */
import { decodeCall, encodeReply, encodeStatus, REPLY_OK } from '../bundle/session/index.js';
import type { SessionReply } from '../bundle/session/index.js';
import { utf8Encode } from '../codec/index.js';
import { isCeremonyError } from '../errors.js';
import { refuse } from './errors.js';
import type { ServerSession, SessionStore } from './sessions.js';

/** Session ids in paths: 32 lowercase hex digits. */
const SESSION_ID_HEX = /^[0-9a-f]{32}$/;

function answerCall(
  plaintext: Uint8Array,
  s: ServerSession,
  now: number,
): { reply: SessionReply; end: boolean } {
  let call;
  try {
    call = decodeCall(plaintext);
  } catch (e) {
    const reason = isCeremonyError(e) ? e.message : 'not a call';
    return { reply: { code: 'SESSION_CALL_MALFORMED', data: utf8Encode(reason.slice(0, 500)) }, end: false };
  }
  const ks = s.key.fleetKeySet;
  switch (call.op) {
    case 'echo':
      return { reply: { code: REPLY_OK, data: call.data }, end: false };
    case 'status': {
      const data = encodeStatus({ namespace: ks.namespace, epoch: ks.epoch, keyId: s.key.keyId, time: now });
      return { reply: { code: REPLY_OK, data }, end: false };
    }
    case 'close':
      return { reply: { code: REPLY_OK, data: new Uint8Array(0) }, end: true };
    default:
      return {
        reply: {
          code: 'SESSION_OP_UNKNOWN',
          data: utf8Encode(`call.op: ${call.op} is not one of echo, status, close`),
        },
        end: false,
      };
  }
}

/**
 * Answers one encrypted message of session `id`.
 *
 * @returns the reply frame.
 * @throws Refusal `SESSION_UNKNOWN`, `SESSION_EXHAUSTED`; MalformedError `SESSION_FRAME_MALFORMED`;
 *   VerificationError `SESSION_COUNTER_MISMATCH`, `SESSION_DECRYPT_FAILED` (the session ends).
 */
export async function answerMessage(
  id: string,
  frame: Uint8Array,
  store: SessionStore,
  now: () => number,
): Promise<Uint8Array> {
  if (!SESSION_ID_HEX.test(id))
    refuse('SESSION_UNKNOWN', 'session', 'a session id is 32 lowercase hex digits');
  const s = store.get(id);
  if (s.messages >= store.limits.maxMessages) {
    store.end(s);
    refuse(
      'SESSION_EXHAUSTED',
      'session',
      `the session answered its ${store.limits.maxMessages} messages and has ended; start a new handshake`,
    );
  }
  try {
    const plaintext = await s.channel.open(frame, 'request');
    s.messages++;
    const { reply, end } = answerCall(plaintext, s, now());
    const out = await s.channel.seal(encodeReply(reply));
    if (end) store.end(s);
    return out;
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'SESSION_DECRYPT_FAILED') store.end(s);
    if (isCeremonyError(e) && e.code === 'SESSION_CLOSED')
      refuse('SESSION_UNKNOWN', 'session', 'the session ended while this message was in flight');
    throw e;
  }
}
