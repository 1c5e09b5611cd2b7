/**
 * Connecting to a fleet (docs/session-protocol.md): the handshake over HTTP, then calls over the
 * encrypted channel. {@link connect} returns only after the validation bundle the server sent has
 * verified against the pinned trust anchors and the session keys are derived; the server is
 * authenticated when its first reply opens (see {@link FleetConnection.confirmed}).
 *
 * Portable: no `node:` imports; I/O only through the fetch API (./http.ts).
 */
import { hexEncode, utf8Encode } from '../../codec/index.js';
import { MalformedError, VerificationError } from '../../errors.js';
import type { Trust } from '../trust.js';
import type { VerifiedBundle, VerifyBundleOptions } from '../verify-bundle.js';
import type { SessionChannel } from './channel.js';
import { ClientHandshake } from './client-handshake.js';
import type { HandshakeOptions, SessionFleetKey } from './client-handshake.js';
import { decodeReply, encodeCall } from './frames.js';
import { baseUrl, postCbor, readCbor, readRefusal } from './http.js';
import type { HttpOptions } from './http.js';
import {
  HANDSHAKE_PATH,
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_RESPONSE_BYTES,
  messagePath,
  REPLY_OK,
} from './protocol.js';
import type { SessionOp } from './protocol.js';
import { fromServer, refuse, usage } from './session-errors.js';
import { decodeStatus } from './status.js';
import type { FleetStatus } from './status.js';

/** Options of {@link connect}: the bundle verification's, the handshake's and the transport's. */
export interface ConnectOptions extends VerifyBundleOptions, HandshakeOptions, HttpOptions {}

/** Server refusals of a first message that mean the handshake could not be confirmed. */
const UNCONFIRMED = new Set(['SESSION_DECRYPT_FAILED', 'SESSION_UNKNOWN']);

/** An open session with a fleet server. */
export class FleetConnection {
  readonly #base: string;
  readonly #channel: SessionChannel;
  readonly #http: HttpOptions;
  #confirmed = false;

  /**
   * @param base - the server's base URL.
   * @param verified - the verified bundle: persist `{ epoch, digest }` as the next `lastSeen`.
   * @param key - the fleet session key of this session.
   * @param sessionId - the session id, lowercase hex.
   * @param transcriptHash - SHA-256 of the handshake (public).
   */
  constructor(
    base: string,
    readonly verified: VerifiedBundle,
    readonly key: SessionFleetKey,
    readonly sessionId: string,
    readonly transcriptHash: Uint8Array,
    channel: SessionChannel,
    http: HttpOptions,
  ) {
    this.#base = base;
    this.#channel = channel;
    this.#http = http;
  }

  /** Whether a reply has opened under the session keys: the server holds the fleet key. */
  get confirmed(): boolean {
    return this.#confirmed;
  }

  /**
   * Sends one call and returns the data of its `OK` reply.
   * @throws VerificationError `SESSION_KEY_CONFIRMATION_FAILED` (the first message was refused as
   *   unauthenticated), `SESSION_DECRYPT_FAILED`, `SESSION_COUNTER_MISMATCH`,
   *   `SESSION_FRAME_MALFORMED`, `SESSION_CALL_MALFORMED`, `SESSION_REPLY_MALFORMED`; UsageError
   *   `SESSION_CALL_REFUSED` (the server's authenticated answer is an error code),
   *   `SESSION_SERVER_REFUSED`, `SESSION_HTTP_FAILED`, `SESSION_CLOSED`.
   */
  async call(op: SessionOp, data: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
    const frame = await this.#channel.seal(encodeCall({ op, data }));
    const res = await postCbor(this.#base + messagePath(this.sessionId), frame, this.#http);
    if (!res.ok) {
      const r = await readRefusal(res);
      this.#channel.close();
      if (!this.#confirmed && UNCONFIRMED.has(r.code)) {
        refuse(
          'SESSION_KEY_CONFIRMATION_FAILED',
          'session',
          `the server did not accept the first encrypted message (${r.code}: ${r.message}); it does not hold ` +
            `the private half of fleet key ${JSON.stringify(this.key.keyId)}, or the handshake was altered on the way`,
        );
      }
      usage('SESSION_SERVER_REFUSED', 'session', `HTTP ${r.status} ${r.code}: ${r.message}`);
    }
    const body = await readCbor(res, MAX_FRAME_BYTES, 'reply');
    let plaintext: Uint8Array;
    try {
      plaintext = await this.#channel.open(body, 'reply');
    } catch (e) {
      if (e instanceof MalformedError)
        throw new VerificationError(e.code, e.message, { field: e.field, cause: e });
      throw e;
    }
    this.#confirmed = true;
    const reply = fromServer(() => decodeReply(plaintext));
    if (reply.code !== REPLY_OK) {
      usage(
        'SESSION_CALL_REFUSED',
        'reply.code',
        `the server answered ${reply.code}: ${new TextDecoder().decode(reply.data).slice(0, 300)}`,
      );
    }
    return reply.data;
  }

  /** Sends `data` (or UTF-8 text) and returns what the server echoes. */
  async echo(data: Uint8Array | string): Promise<Uint8Array> {
    return this.call('echo', typeof data === 'string' ? utf8Encode(data) : data);
  }

  /** The server's status over the authenticated channel. */
  async status(): Promise<FleetStatus> {
    const data = await this.call('status');
    return fromServer(() => decodeStatus(data));
  }

  /** Ends the session on the server and forgets the keys. Idempotent. */
  async close(): Promise<void> {
    if (this.#channel.closed) return;
    try {
      await this.call('close');
    } finally {
      this.#channel.close();
    }
  }
}

/**
 * Connects to the fleet server at `url`: sends a handshake, verifies the validation bundle of the
 * response against `trust` (with `now`, `lastSeen`, ...), checks the fleet key and the server's
 * share, and derives the session keys. Nothing is sent under the keys before all of that passed.
 *
 * @param url - the server's base URL, e.g. `http://127.0.0.1:9780`.
 * @param trust - the pinned anchors (`parseTrustFile`).
 * @param options - `now` (required), `lastSeen`, `expectedNamespace`, `keyId`, `algorithms`,
 *   `fetch`, `timeoutMs`.
 * @throws VerificationError with a `BUNDLE_*` or `SESSION_*` code when the server's reply does not
 *   verify (`ClientHandshake.finish`); UsageError `SESSION_URL_INVALID`, `SESSION_OPTION_INVALID`,
 *   `SESSION_HTTP_FAILED`, `SESSION_SERVER_REFUSED`, `BUNDLE_OPTION_INVALID`.
 * @example
 * const c = await connect('https://fleet.example.com', trust, { now: Date.now(), lastSeen });
 * saveLastSeen({ epoch: c.verified.epoch, digest: c.verified.digest });
 * await c.echo('hello');
 */
export async function connect(url: string, trust: Trust, options: ConnectOptions): Promise<FleetConnection> {
  const base = baseUrl(url);
  const http: HttpOptions = {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const hs = ClientHandshake.begin(options);
  let body: Uint8Array;
  try {
    const res = await postCbor(base + HANDSHAKE_PATH, hs.request, http);
    if (!res.ok) {
      const r = await readRefusal(res);
      usage('SESSION_SERVER_REFUSED', 'handshake', `HTTP ${r.status} ${r.code}: ${r.message}`);
    }
    body = await readCbor(res, MAX_HANDSHAKE_RESPONSE_BYTES, 'response');
  } catch (e) {
    hs.abandon();
    throw e;
  }
  const s = await hs.finish(body, trust, options);
  return new FleetConnection(
    base,
    s.verified,
    s.key,
    hexEncode(s.sessionId),
    s.transcriptHash,
    s.channel,
    http,
  );
}
