/**
 * The client's side of the handshake (docs/session-protocol.md, "Client state machine"), without
 * I/O: {@link ClientHandshake.begin} makes the request; {@link ClientHandshake.finish} takes the
 * server's response and, in this order,
 *
 * 1. decodes the response strictly;
 * 2. verifies the validation bundle in it against the pinned trust anchors (`verifyValidationBundle`:
 *    witness signature, counter-signature, log proof, validity window, anti-rollback);
 * 3. finds the key the server names in the *verified* fleet key set: it must be the one asked
 *    for (if any), a `session` key, of an algorithm the client offered;
 * 4. validates the server's share; only then
 * 5. computes `es` and `ee`, the transcript hash and the session keys.
 *
 * A handshake is used once: its ephemeral secrets are wiped when `finish` returns or throws.
 *
 * Portable: no `node:` imports, no I/O.
 */
import type { KeyPair } from '../../crypto/index.js';
import { randomBytes } from '../../crypto/index.js';
import { ID_PATTERN } from '../fleet-key-set-schema.js';
import type { Trust } from '../trust.js';
import type { FleetKey } from '../types.js';
import { verifyValidationBundle } from '../verify-bundle.js';
import type { VerifiedBundle, VerifyBundleOptions } from '../verify-bundle.js';
import { SessionChannel } from './channel.js';
import { decodeHandshakeResponse, encodeHandshakeRequest } from './handshake-messages.js';
import type { HandshakeResponse } from './handshake-messages.js';
import { deriveSessionKeys, transcriptHash } from './key-schedule.js';
import { NONCE_BYTES, SESSION_ALGORITHMS, SHARE_LENGTHS } from './protocol.js';
import type { SessionAlgorithm } from './protocol.js';
import { fromServer, refuse, usage } from './session-errors.js';
import { agree, checkShare, generateShare, isSessionAlgorithm } from './shares.js';

/** Options of {@link ClientHandshake.begin}. */
export interface HandshakeOptions {
  /** The fleet session key to use, by key id (e.g. from the last verified bundle); default: any. */
  keyId?: string;
  /** The algorithms to offer a share for (default both, x25519 and p256). */
  algorithms?: readonly SessionAlgorithm[];
}

/** A fleet session key of the verified bundle. */
export type SessionFleetKey = FleetKey & { algorithm: SessionAlgorithm };

/** What a finished handshake establishes. */
export interface EstablishedSession {
  /** The verified bundle: store `{ epoch, digest }` as the next `lastSeen`. */
  verified: VerifiedBundle;
  /** The fleet session key the server used, as the verified fleet key set lists it. */
  key: SessionFleetKey;
  sessionId: Uint8Array;
  ttlSeconds: number;
  /** SHA-256 over both handshake messages (public; a channel binding). */
  transcriptHash: Uint8Array;
  channel: SessionChannel;
}

function readAlgorithms(list: readonly SessionAlgorithm[] | undefined): SessionAlgorithm[] {
  const want = list ?? SESSION_ALGORITHMS;
  if (
    !Array.isArray(want) ||
    want.length === 0 ||
    new Set(want).size !== want.length ||
    !want.every(isSessionAlgorithm)
  ) {
    usage(
      'SESSION_OPTION_INVALID',
      'algorithms',
      'want a non-empty list of x25519 and/or p256 without repeats',
    );
  }
  return SESSION_ALGORITHMS.filter((a) => want.includes(a));
}

/** A handshake in progress: the request to send, and the secrets to finish it with. */
export class ClientHandshake {
  /** The request bytes to POST to the handshake path. */
  readonly request: Uint8Array;
  /** The key id asked for, or null for any. */
  readonly keyId: string | null;
  #ephemerals: Map<SessionAlgorithm, KeyPair> | undefined;

  private constructor(request: Uint8Array, keyId: string | null, ephemerals: Map<SessionAlgorithm, KeyPair>) {
    this.request = request;
    this.keyId = keyId;
    this.#ephemerals = ephemerals;
  }

  /**
   * Starts a handshake: a fresh nonce and one ephemeral key pair per offered algorithm.
   * @throws UsageError `SESSION_OPTION_INVALID`.
   */
  static begin(options: HandshakeOptions = {}): ClientHandshake {
    const keyId = options.keyId ?? null;
    if (keyId !== null && (typeof keyId !== 'string' || !ID_PATTERN.test(keyId))) {
      usage(
        'SESSION_OPTION_INVALID',
        'keyId',
        'want a fleet key id: 1–64 of A–Z a–z 0–9 . _ : -, a letter or digit first',
      );
    }
    const ephemerals = new Map(readAlgorithms(options.algorithms).map((a) => [a, generateShare(a)] as const));
    const shares = Object.fromEntries([...ephemerals].map(([a, kp]) => [a, kp.publicKey]));
    return new ClientHandshake(
      encodeHandshakeRequest({ nonce: randomBytes(NONCE_BYTES), keyId, shares }),
      keyId,
      ephemerals,
    );
  }

  /**
   * Verifies the server's response and derives the session (steps in the file header).
   *
   * @param response - the response body, as received.
   * @param trust - the pinned anchors (`parseTrustFile`).
   * @param options - of `verifyValidationBundle`: `now`, `lastSeen`, `expectedNamespace`, ...
   * @throws VerificationError with a `BUNDLE_*` code (the bundle does not verify; malformed bundles
   *   included), or `SESSION_REPLY_MALFORMED`, `SESSION_VERSION_UNSUPPORTED`,
   *   `SESSION_KEY_ID_MISMATCH`, `SESSION_KEY_UNKNOWN`, `SESSION_KEY_NOT_SESSION`,
   *   `SESSION_ALGORITHM_MISMATCH`, `SESSION_SHARE_INVALID`; UsageError `SESSION_HANDSHAKE_USED`,
   *   `BUNDLE_OPTION_INVALID`.
   */
  async finish(
    response: Uint8Array,
    trust: Trust,
    options: VerifyBundleOptions,
  ): Promise<EstablishedSession> {
    const ephemerals = this.#ephemerals;
    if (ephemerals === undefined)
      usage('SESSION_HANDSHAKE_USED', 'handshake', 'this handshake was already finished or abandoned');
    this.#ephemerals = undefined;
    try {
      const r = fromServer(() => decodeHandshakeResponse(response));
      const verified = fromServer(() => verifyValidationBundle(r.bundle, trust, options));
      const key = this.#sessionKey(verified, r, ephemerals);
      fromServer(() => checkShare(key.algorithm, r.share, 'response.share'));
      const secret = ephemerals.get(key.algorithm)!.secretKey;
      const es = fromServer(() => agree(key.algorithm, secret, key.publicKey));
      const ee = agree(key.algorithm, secret, r.share);
      const th = transcriptHash(this.request, response);
      const channel = await SessionChannel.create('client', deriveSessionKeys(es, ee, th), th);
      return { verified, key, sessionId: r.sessionId, ttlSeconds: r.ttlSeconds, transcriptHash: th, channel };
    } finally {
      for (const kp of ephemerals.values()) kp.secretKey.fill(0);
    }
  }

  /** Wipes the ephemeral secrets without finishing (e.g. the server could not be reached). */
  abandon(): void {
    for (const kp of this.#ephemerals?.values() ?? []) kp.secretKey.fill(0);
    this.#ephemerals = undefined;
  }

  #sessionKey(
    v: VerifiedBundle,
    r: HandshakeResponse,
    offered: Map<SessionAlgorithm, KeyPair>,
  ): SessionFleetKey {
    const id = r.keyId;
    if (this.keyId !== null && id !== this.keyId) {
      refuse(
        'SESSION_KEY_ID_MISMATCH',
        'response.keyId',
        `got ${JSON.stringify(id)}, but the client asked for ${JSON.stringify(this.keyId)}`,
      );
    }
    const key = v.keys.find((k) => k.keyId === id);
    if (key === undefined) {
      refuse(
        'SESSION_KEY_UNKNOWN',
        'response.keyId',
        `${JSON.stringify(id)} is not a key of the verified fleet key set (${v.namespace} epoch ${v.epoch})`,
      );
    }
    if (key.role !== 'session')
      refuse(
        'SESSION_KEY_NOT_SESSION',
        'response.keyId',
        `${JSON.stringify(id)} is a ${key.role} key, not a session key`,
      );
    const alg = key.algorithm;
    if (!isSessionAlgorithm(alg) || !offered.has(alg)) {
      refuse(
        'SESSION_ALGORITHM_MISMATCH',
        'response.keyId',
        `key ${JSON.stringify(id)} is ${alg}; the client offered ${[...offered.keys()].join(', ')}`,
      );
    }
    if (r.share.length !== SHARE_LENGTHS[alg]) {
      refuse(
        'SESSION_ALGORITHM_MISMATCH',
        'response.share',
        `got ${r.share.length} bytes, want ${SHARE_LENGTHS[alg]} for the ${alg} key ${JSON.stringify(id)}`,
      );
    }
    return key as SessionFleetKey;
  }
}
