/**
 * The one interface both HSM backends (emulated, PKCS#11) implement. Flows (the ceremony runner,
 * the witness, the fleet server) depend on this and nothing else, so they are unit-tested against the
 * emulated device and integration-tested on SoftHSM2.
 *
 * Rules every backend keeps:
 * - Private keys never leave the device through any method. Errors never contain PINs or key bytes.
 * - Labels are unique: `generateKey` under an existing label throws UsageError `HSM_LABEL_EXISTS`
 *   and changes nothing.
 * - After every key generation the backend self-tests: it signs a fresh random nonce inside the device
 *   and verifies it with the public key read back (for `derive`-only keys: an ECDH round trip with an
 *   ephemeral peer key). A failed self-test destroys the new key and throws `HSM_SELF_TEST_FAILED`.
 */
import type { KeyAttestation } from '../attest/types.js';

export type KeyAlgorithm = 'ed25519' | 'p256' | 'x25519';
export type KeyUsage = 'sign' | 'derive';
export type HsmBackendName = 'emulated' | 'pkcs11';

export interface DeviceInfo {
  backend: HsmBackendName;
  vendor: string;
  model: string;
  serial: string;
  firmware: string;
  /** Token label (PKCS#11) or device label (emulated). */
  label: string;
}

export interface KeyInfo {
  label: string;
  algorithm: KeyAlgorithm;
  /** Raw public key: Ed25519/X25519 32 bytes; P-256 SEC1 uncompressed 65 bytes. */
  publicKey: Uint8Array;
  usages: KeyUsage[];
}

export interface GenerateKeyOptions {
  label: string;
  algorithm: KeyAlgorithm;
  /** Defaults: ed25519 → ['sign'], p256 → ['sign'], x25519 → ['derive']. */
  usages?: KeyUsage[];
}

export interface Hsm {
  readonly backend: HsmBackendName;
  info(): Promise<DeviceInfo>;
  listKeys(): Promise<KeyInfo[]>;
  /** The key with this label, or undefined. */
  findKey(label: string): Promise<KeyInfo | undefined>;
  /** Generates a key pair inside the device, self-tests it, returns its public half. */
  generateKey(options: GenerateKeyOptions): Promise<KeyInfo>;
  /**
   * Signs inside the device. Ed25519: pure Ed25519 over `message`. P-256: ECDSA over
   * SHA-256(message), raw `r || s` (64 bytes).
   */
  sign(label: string, message: Uint8Array): Promise<Uint8Array>;
  /** ECDH (X25519 or P-256) with the key `label`; returns the 32-byte shared secret. */
  deriveSharedSecret(label: string, peerPublicKey: Uint8Array): Promise<Uint8Array>;
  /** Attestation of key `label`, bound to `challenge` where the format can carry one. */
  attestKey(label: string, challenge: Uint8Array): Promise<KeyAttestation>;
  /** The device identity chain, DER certificates, device first, root last ([] when none). */
  identityChain(): Promise<Uint8Array[]>;
  destroyKey(label: string): Promise<void>;
  /** Logs out and releases the device. Idempotent. */
  close(): Promise<void>;
}
