/**
 * The fleet server's sessions, in memory (docs/session-protocol.md, "Server state"): a bounded
 * map from session id to channel, each session with an absolute expiry and a message budget.
 *
 * - At most `maxSessions` sessions exist or are being set up; a handshake {@link reserve}s a
 *   place before the HSM is asked for anything, so concurrent handshakes cannot overshoot the
 *   bound. When full, expired sessions are swept first; then `SESSION_CAPACITY` (503).
 * - A session expires `ttlMs` after its handshake, and ends after `maxMessages` messages, after a
 *   frame that fails authentication, or on a `close` call. An ended session's channel forgets its
 *   keys; its id is then unknown (`SESSION_UNKNOWN`, 404).
 */
import { hexEncode } from '../codec/index.js';
import type { SessionChannel } from '../bundle/session/index.js';
import type { ServedKey } from './served-key.js';
import { refuse } from './errors.js';

/** One established session. */
export interface ServerSession {
  /** Lowercase hex of the 16-byte session id. */
  id: string;
  channel: SessionChannel;
  key: ServedKey;
  /** ms since the Unix epoch (server clock) after which the session is gone. */
  expiresAt: number;
  /** Messages answered so far. */
  messages: number;
}

/** Bounds of a {@link SessionStore}. */
export interface SessionLimits {
  maxSessions: number;
  ttlMs: number;
  maxMessages: number;
}

/** A place for one session, held while its handshake runs. */
export interface Reservation {
  /** Stores the finished session in the reserved place. */
  fill(id: Uint8Array, channel: SessionChannel, key: ServedKey): ServerSession;
  /** Gives the place back (the handshake failed). Idempotent; a no-op after `fill`. */
  release(): void;
}

/** The sessions of one server. */
export class SessionStore {
  readonly #sessions = new Map<string, ServerSession>();
  #pending = 0;

  constructor(
    readonly limits: SessionLimits,
    private readonly now: () => number,
  ) {}

  /** Established sessions (expired ones included until swept). */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Holds a place for a handshake.
   * @throws Refusal `SESSION_CAPACITY` when every place is taken by a live or pending session.
   */
  reserve(): Reservation {
    if (this.#sessions.size + this.#pending >= this.limits.maxSessions) this.sweep();
    if (this.#sessions.size + this.#pending >= this.limits.maxSessions) {
      refuse('SESSION_CAPACITY', 'server', `all ${this.limits.maxSessions} sessions are in use; retry later`);
    }
    this.#pending++;
    let open = true;
    const release = () => {
      if (open) this.#pending--;
      open = false;
    };
    return {
      fill: (id, channel, key) => {
        release();
        const s: ServerSession = {
          id: hexEncode(id),
          channel,
          key,
          expiresAt: this.now() + this.limits.ttlMs,
          messages: 0,
        };
        this.#sessions.set(s.id, s);
        return s;
      },
      release,
    };
  }

  /**
   * The live session `id` (lowercase hex).
   * @throws Refusal `SESSION_UNKNOWN` for an unknown, ended or expired session.
   */
  get(id: string): ServerSession {
    const s = this.#sessions.get(id);
    if (s === undefined || this.now() >= s.expiresAt || s.channel.closed) {
      if (s !== undefined) this.end(s);
      refuse(
        'SESSION_UNKNOWN',
        'session',
        'no such session: it never existed, expired or ended; start a new handshake',
      );
    }
    return s;
  }

  /** Ends a session: its keys are forgotten and its id becomes unknown. */
  end(s: ServerSession): void {
    s.channel.close();
    if (this.#sessions.get(s.id) === s) this.#sessions.delete(s.id);
  }

  /** Ends every expired session; returns how many. */
  sweep(): number {
    const now = this.now();
    let n = 0;
    for (const s of [...this.#sessions.values()]) {
      if (now >= s.expiresAt || s.channel.closed) {
        this.end(s);
        n++;
      }
    }
    return n;
  }

  /** Ends every session. */
  clear(): void {
    for (const s of [...this.#sessions.values()]) this.end(s);
  }
}
