/**
 * An open, logged-in emulated HSM: the {@link Hsm} implementation (docs/hsm.md). Obtained from
 * `openEmulatedHsm` (./login.ts), which holds the device lock and the PIN-derived key for the
 * session. Every change is committed as a complete new keystore (atomic write) before memory is
 * updated, so a crash or a failed write leaves the previous state intact.
 */
import { join } from 'node:path';
import type { KeyAttestation } from '../../attest/types.js';
import { UsageError, VerificationError } from '../../errors.js';
import type { DeviceInfo, GenerateKeyOptions, Hsm, KeyInfo } from '../types.js';
import { attestStoredKey } from './attest.js';
import { writeFileAtomic } from '../../io/index.js';
import { readStateFile } from './files.js';
import { KEYSTORE_FILE, MAX_KEYSTORE_BYTES, openKeystore, sealKeystore } from './keystore.js';
import type { KeystoreHeader } from './keystore.js';
import { checkUsages, deriveWith, generateKeyPair, selfTest, signWith } from './keys.js';
import { wipePayload } from './payload.js';
import type { KeystorePayload, StoredKey } from './payload.js';
import { checkLabel } from './validate.js';
import { zeroizeState } from './zeroize.js';

/** What login hands to the device object. */
export interface EmulatedSession {
  dir: string;
  header: KeystoreHeader;
  /** 32-byte key-encryption key; wiped on close. */
  kek: Uint8Array;
  state: KeystorePayload;
  release: () => void;
}

const keyInfo = (k: StoredKey): KeyInfo => ({
  label: k.label,
  algorithm: k.algorithm,
  publicKey: k.publicKey.slice(),
  usages: [...k.usages],
});

/** The emulated device; see the module doc. Not constructed directly: use `openEmulatedHsm`. */
export class EmulatedHsm implements Hsm {
  readonly backend = 'emulated' as const;
  #s: EmulatedSession | undefined;

  /** @internal Called by `openEmulatedHsm` only. */
  constructor(session: EmulatedSession) {
    this.#s = session;
  }

  #open(): EmulatedSession {
    if (this.#s === undefined) throw new UsageError('HSM_CLOSED', 'the emulated HSM session is closed');
    return this.#s;
  }

  #key(label: string, usage?: 'sign' | 'derive'): StoredKey {
    const k = this.#open().state.keys.find((x) => x.label === label);
    if (k === undefined)
      throw new UsageError('HSM_KEY_NOT_FOUND', `no key labelled ${JSON.stringify(label)} in this device`, {
        field: 'label',
      });
    if (usage !== undefined && !k.usages.includes(usage))
      throw new UsageError(
        'HSM_USAGE_NOT_ALLOWED',
        `key ${JSON.stringify(label)} (${k.algorithm}) may not ${usage}`,
        {
          field: 'label',
        },
      );
    return k;
  }

  /** Writes `next` as the new keystore (atomic), then makes it the session state. */
  #commit(next: KeystorePayload): void {
    const s = this.#open();
    writeFileAtomic(join(s.dir, KEYSTORE_FILE), sealKeystore(s.kek, s.header, next), 0o600);
    s.state = next;
  }

  /** Reads the keystore back from disk (the self-test's "read back"). */
  #readBack(): KeystorePayload {
    const s = this.#open();
    const file = join(s.dir, KEYSTORE_FILE);
    const back = openKeystore(s.kek, readStateFile(file, MAX_KEYSTORE_BYTES, 'HSM_STATE_TAMPERED'), file);
    if (back === undefined)
      throw new UsageError('HSM_STATE_TAMPERED', 'the keystore changed under the open session', { file });
    return back;
  }

  /** The post-generation self-test (keys.ts), against the public key read back from disk. */
  #selfTest(key: StoredKey): boolean {
    let publicKey: Uint8Array | undefined;
    try {
      const back = this.#readBack();
      publicKey = back.keys.find((k) => k.label === key.label)?.publicKey;
      wipePayload(back);
    } catch {
      return false; // a state that cannot be read back fails the self-test
    }
    return (
      publicKey !== undefined &&
      selfTest({
        algorithm: key.algorithm,
        usages: key.usages,
        publicKey,
        sign: (m) => signWith(key.algorithm, key.secretKey, m),
        derive: (p) => deriveWith(key.algorithm, key.secretKey, p),
      })
    );
  }

  /** Serial, model, firmware, vendor and label, as enrolled. */
  async info(): Promise<DeviceInfo> {
    const d = this.#open().state.device;
    return {
      backend: 'emulated',
      vendor: d.vendor,
      model: d.model,
      serial: d.serial,
      firmware: d.firmware,
      label: d.label,
    };
  }

  /** The public halves of every key, in generation order. */
  async listKeys(): Promise<KeyInfo[]> {
    return this.#open().state.keys.map(keyInfo);
  }

  /** The public half of key `label`, or undefined. */
  async findKey(label: string): Promise<KeyInfo | undefined> {
    const k = this.#open().state.keys.find((x) => x.label === label);
    return k === undefined ? undefined : keyInfo(k);
  }

  /**
   * Generates a key pair in the device, persists it, then self-tests it against the public key read
   * back from the stored state.
   * @throws UsageError `HSM_LABEL_INVALID`, `HSM_LABEL_EXISTS` (nothing changes),
   *   `HSM_ALGORITHM_UNSUPPORTED`, `HSM_USAGE_INVALID`; VerificationError `HSM_SELF_TEST_FAILED`
   *   (the new key has been destroyed).
   */
  async generateKey(options: GenerateKeyOptions): Promise<KeyInfo> {
    const s = this.#open();
    const label = checkLabel(options.label);
    const usages = checkUsages(options.algorithm, options.usages);
    if (s.state.keys.some((k) => k.label === label))
      throw new UsageError(
        'HSM_LABEL_EXISTS',
        `a key labelled ${JSON.stringify(label)} already exists; it is never overwritten`,
        {
          field: 'label',
        },
      );
    const pair = generateKeyPair(options.algorithm);
    const key: StoredKey = {
      label,
      algorithm: options.algorithm,
      usages,
      origin: 'generated',
      createdAt: new Date().toISOString(),
      secretKey: pair.secretKey,
      publicKey: pair.publicKey,
    };
    this.#commit({ ...s.state, keys: [...s.state.keys, key] });
    if (!this.#selfTest(key)) {
      await this.destroyKey(label);
      throw new VerificationError(
        'HSM_SELF_TEST_FAILED',
        `self-test of new key ${JSON.stringify(label)} failed; the key was destroyed`,
        {
          field: 'label',
        },
      );
    }
    return keyInfo(key);
  }

  /**
   * Signs in the device (Ed25519 pure; P-256 ECDSA over SHA-256, raw r||s).
   * @throws UsageError `HSM_KEY_NOT_FOUND`, `HSM_USAGE_NOT_ALLOWED`.
   */
  async sign(label: string, message: Uint8Array): Promise<Uint8Array> {
    const k = this.#key(label, 'sign');
    return signWith(k.algorithm, k.secretKey, message);
  }

  /**
   * ECDH in the device (X25519, or P-256 x-coordinate); 32 bytes.
   * @throws UsageError `HSM_KEY_NOT_FOUND`, `HSM_USAGE_NOT_ALLOWED`; MalformedError `HSM_PEER_KEY_INVALID`.
   */
  async deriveSharedSecret(label: string, peerPublicKey: Uint8Array): Promise<Uint8Array> {
    const k = this.#key(label, 'derive');
    return deriveWith(k.algorithm, k.secretKey, peerPublicKey);
  }

  /**
   * An `emulated-x509/v1` attestation: a certificate for key `label`, signed by the device
   * attestation key, carrying `challenge`; chain [device certificate, vendor root].
   * @throws UsageError `HSM_KEY_NOT_FOUND`, `HSM_CHALLENGE_INVALID`.
   */
  async attestKey(label: string, challenge: Uint8Array): Promise<KeyAttestation> {
    const s = this.#open();
    return attestStoredKey(s.state, this.#key(label), challenge);
  }

  /** [device certificate, vendor root], DER (fresh copies). */
  async identityChain(): Promise<Uint8Array[]> {
    return this.#open().state.device.chain.map((c) => c.slice());
  }

  /** @throws UsageError `HSM_KEY_NOT_FOUND`. */
  async destroyKey(label: string): Promise<void> {
    const s = this.#open();
    const k = this.#key(label);
    this.#commit({ ...s.state, keys: s.state.keys.filter((x) => x !== k) });
    k.secretKey.fill(0);
  }

  /**
   * Zeroises the device: every key, the attestation key and the PIN counter key are destroyed; the
   * device refuses any later use (`HSM_ZEROIZED`). Closes the session.
   */
  async zeroize(): Promise<void> {
    const s = this.#open();
    zeroizeState(s.dir);
    await this.close();
  }

  /** Wipes the session's secrets and releases the device lock. Idempotent. */
  async close(): Promise<void> {
    const s = this.#s;
    if (s === undefined) return;
    this.#s = undefined;
    wipePayload(s.state);
    s.kek.fill(0); // the PIN-derived key decrypts everything: wipe it with the session
    s.release();
  }
}
