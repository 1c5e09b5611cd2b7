/**
 * One side of an established session (docs/session-protocol.md, "Encrypted messages"): AES-256-GCM
 * through Web Crypto (`globalThis.crypto.subtle`: browsers, mobile JS engines, Node 20), one key
 * per direction, the frame's sequence number as the nonce, and the transcript hash as associated
 * data.
 *
 * - Nonce: 4 zero bytes || seq as a 64-bit big-endian integer (12 bytes). Each direction counts
 *   its frames from 0; a key is never used with the same nonce twice.
 * - Receiving: the frame's seq must be exactly the next one expected, so a replayed, reordered or
 *   dropped frame is refused (`SESSION_COUNTER_MISMATCH`) before any decryption; the expected seq
 *   moves on before decryption starts, so concurrent calls cannot open one seq twice.
 * - A frame that fails authentication closes the channel (`SESSION_DECRYPT_FAILED`).
 *
 * The raw keys are imported as non-extractable CryptoKeys and wiped at once.
 *
 * Portable: no `node:` imports.
 */
import { MAX_PLAINTEXT_BYTES, MAX_SEQ } from './protocol.js';
import { decodeFrame, encodeFrame } from './frames.js';
import type { SessionKeys } from './key-schedule.js';
import { refuse, usage } from './session-errors.js';

/** Which side of the session this channel is: it picks the sending and receiving keys. */
export type SessionRole = 'client' | 'server';

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined)
    usage('SESSION_WEBCRYPTO_UNAVAILABLE', 'crypto.subtle', 'Web Crypto is not available in this runtime');
  return s;
}

/** The 12-byte AES-GCM nonce of frame `seq`. */
export function frameNonce(seq: number): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(seq));
  return nonce;
}

async function importKey(raw: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const copy = new Uint8Array(raw);
  try {
    return await subtle().importKey('raw', copy, { name: 'AES-GCM' }, false, [usage]);
  } finally {
    copy.fill(0); // Web Crypto keeps its own copy; ours is key material
  }
}

/** One direction-aware end of a session. */
export class SessionChannel {
  #send: CryptoKey | undefined;
  #receive: CryptoKey | undefined;
  readonly #aad: Uint8Array<ArrayBuffer>;
  #sendSeq = 0;
  #receiveSeq = 0;

  private constructor(send: CryptoKey, receive: CryptoKey, transcriptHash: Uint8Array) {
    this.#send = send;
    this.#receive = receive;
    this.#aad = new Uint8Array(transcriptHash);
  }

  /**
   * A channel for `role` over `keys` (wiped by this call, whatever happens).
   * @throws UsageError `SESSION_WEBCRYPTO_UNAVAILABLE`.
   */
  static async create(
    role: SessionRole,
    keys: SessionKeys,
    transcriptHash: Uint8Array,
  ): Promise<SessionChannel> {
    try {
      const [out, into] =
        role === 'client'
          ? [keys.clientToServer, keys.serverToClient]
          : [keys.serverToClient, keys.clientToServer];
      return new SessionChannel(
        await importKey(out, 'encrypt'),
        await importKey(into, 'decrypt'),
        transcriptHash,
      );
    } finally {
      keys.clientToServer.fill(0);
      keys.serverToClient.fill(0);
    }
  }

  /** Frames sealed so far. */
  get sent(): number {
    return this.#sendSeq;
  }

  /** Frames opened so far. */
  get received(): number {
    return this.#receiveSeq;
  }

  /** Whether the channel was closed (by {@link close} or a frame that failed authentication). */
  get closed(): boolean {
    return this.#send === undefined;
  }

  /**
   * Encrypts `plaintext` as the next frame.
   * @throws UsageError `SESSION_CLOSED`, `SESSION_EXHAUSTED`, `SESSION_OPTION_INVALID` (too long).
   */
  async seal(plaintext: Uint8Array): Promise<Uint8Array> {
    const key = this.#send;
    if (key === undefined) usage('SESSION_CLOSED', 'channel', 'the session is closed');
    if (!(plaintext instanceof Uint8Array) || plaintext.length > MAX_PLAINTEXT_BYTES) {
      usage('SESSION_OPTION_INVALID', 'plaintext', `want at most ${MAX_PLAINTEXT_BYTES} bytes`);
    }
    const seq = this.#sendSeq;
    if (seq > MAX_SEQ)
      usage(
        'SESSION_EXHAUSTED',
        'channel',
        `all ${MAX_SEQ + 1} sequence numbers are used: open a new session`,
      );
    this.#sendSeq = seq + 1;
    const params = { name: 'AES-GCM', iv: frameNonce(seq), additionalData: this.#aad, tagLength: 128 };
    const ciphertext = new Uint8Array(await subtle().encrypt(params, key, new Uint8Array(plaintext)));
    return encodeFrame({ seq, ciphertext });
  }

  /**
   * Decodes and decrypts the next frame.
   * @param path - name of the frame in errors (`reply`, `request`).
   * @throws MalformedError `SESSION_FRAME_MALFORMED`; VerificationError `SESSION_COUNTER_MISMATCH`,
   *   `SESSION_DECRYPT_FAILED` (the channel is closed); UsageError `SESSION_CLOSED`.
   */
  async open(frameBytes: Uint8Array, path = 'frame'): Promise<Uint8Array> {
    const key = this.#receive;
    if (key === undefined) usage('SESSION_CLOSED', 'channel', 'the session is closed');
    const { seq, ciphertext } = decodeFrame(frameBytes, path);
    const want = this.#receiveSeq;
    if (seq !== want) {
      refuse(
        'SESSION_COUNTER_MISMATCH',
        `${path}.seq`,
        `got ${seq}, want ${want}: a replayed, reordered or lost message`,
      );
    }
    this.#receiveSeq = want + 1;
    try {
      const params = { name: 'AES-GCM', iv: frameNonce(seq), additionalData: this.#aad, tagLength: 128 };
      return new Uint8Array(await subtle().decrypt(params, key, new Uint8Array(ciphertext)));
    } catch (e) {
      this.close();
      return refuse(
        'SESSION_DECRYPT_FAILED',
        `${path}.ciphertext`,
        'authentication failed: the frame was altered, or the peer holds other session keys; the session is closed',
        e,
      );
    }
  }

  /** Forgets both keys; every later call throws `SESSION_CLOSED`. Idempotent. */
  close(): void {
    this.#send = undefined;
    this.#receive = undefined;
  }
}
