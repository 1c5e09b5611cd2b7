/**
 * Enrolment of an emulated HSM (docs/hsm.md, "Enrolment"): the device is created, generates its
 * attestation key (P-256) inside itself, and the emulated vendor root issues its device certificate
 * — the vendor sees only the public key, as a factory would. The whole state directory appears
 * atomically (built in a temporary sibling, then renamed), or not at all.
 */
import { join } from 'node:path';
import type { DeviceInfo } from '../types.js';
import { encodeSpki } from '../../crypto/index.js';
import { buildDeviceCertificate } from './certs.js';
import { initCounter } from './counter.js';
import { createDirExclusive, writeFileExclusive } from '../../io/index.js';
import { DEFAULT_KDF, checkKdf, deriveKek } from './kdf.js';
import type { ScryptParams } from './kdf.js';
import { KEYSTORE_FILE, newSalt, sealKeystore } from './keystore.js';
import { generateKeyPair } from './keys.js';
import type { DeviceRecord } from './payload.js';
import { writeDeviceDescriptor } from './record.js';
import { checkPin, checkSerial, checkText } from './validate.js';
import { loadEmulatedVendor } from './vendor.js';

/** Default model string of emulated devices. */
export const DEFAULT_MODEL = 'fleet-ceremony emulated HSM';
/** Default firmware version of emulated devices. */
export const DEFAULT_FIRMWARE = '1.0.0';

/** Options of {@link enrollEmulatedDevice}. */
export interface EnrollOptions {
  /** Directory of the emulated vendor (from `createEmulatedVendor`). */
  vendorDir: string;
  /** Device serial: 1–32 of A–Z a–z 0–9 `-`. */
  serial: string;
  /** State directory to create (must not exist, or be empty). */
  dir: string;
  /** The user PIN to set (at least 6 characters). */
  pin: string;
  model?: string;
  firmware?: string;
  /** Device label (default `emulated-<serial>`). */
  label?: string;
  /**
   * scrypt cost. Default {@link DEFAULT_KDF} (production strength). Lower it only in tests; never
   * below N = 2^10.
   */
  kdf?: ScryptParams;
  /** Enrolment time (default now). */
  now?: Date;
}

/** What enrolment produced. */
export interface EnrollResult {
  dir: string;
  info: DeviceInfo;
  /** [device certificate DER, vendor root DER]. */
  chain: Uint8Array[];
}

/**
 * Creates and enrols an emulated HSM.
 * @throws UsageError `HSM_OUTPUT_EXISTS` (`dir` exists and is not empty; nothing changes),
 *   `HSM_SERIAL_INVALID`, `HSM_PIN_INVALID`, `HSM_TEXT_INVALID`, `HSM_KDF_INVALID`,
 *   `HSM_VENDOR_NOT_FOUND`; MalformedError `HSM_VENDOR_MALFORMED`.
 */
export async function enrollEmulatedDevice(o: EnrollOptions): Promise<EnrollResult> {
  const serial = checkSerial(o.serial);
  checkPin(o.pin, true);
  const model = checkText(o.model ?? DEFAULT_MODEL, 'model', 'HSM_TEXT_INVALID');
  const firmware = checkText(o.firmware ?? DEFAULT_FIRMWARE, 'firmware', 'HSM_TEXT_INVALID');
  const label = checkText(o.label ?? `emulated-${serial}`, 'label', 'HSM_TEXT_INVALID');
  const kdf = o.kdf === undefined ? { ...DEFAULT_KDF } : checkKdf(o.kdf, 'option');
  const now = o.now ?? new Date();
  const vendor = loadEmulatedVendor(o.vendorDir);

  // Inside the device: the attestation key pair. Only its public half goes to the vendor.
  const attestationKey = generateKeyPair('p256');
  const salt = newSalt();
  const kek = await deriveKek(o.pin, salt, kdf);
  try {
    const deviceCert = await buildDeviceCertificate({
      rootDer: vendor.rootCertificate,
      device: { serial, model, firmware },
      deviceSpki: encodeSpki('p256', attestationKey.publicKey),
      signer: vendor.signer,
      now,
    });
    const record: DeviceRecord = {
      serial,
      model,
      firmware,
      vendor: `${vendor.name} (EMULATED)`,
      label,
      createdAt: now.toISOString(),
      chain: [deviceCert, vendor.rootCertificate],
    };
    const keystore = sealKeystore(kek, { kdf, salt, serial }, { device: record, attestationKey, keys: [] });
    await createDirExclusive(o.dir, 0o700, (tmp) => {
      writeFileExclusive(join(tmp, KEYSTORE_FILE), keystore, 0o600);
      initCounter(tmp, serial);
      writeDeviceDescriptor(tmp, { state: 'ready', record });
    });
    const info: DeviceInfo = { backend: 'emulated', vendor: record.vendor, model, serial, firmware, label };
    return { dir: o.dir, info, chain: record.chain.map((c) => c.slice()) };
  } finally {
    // The device is written (or not); its secrets leave memory now.
    attestationKey.secretKey.fill(0);
    kek.fill(0);
  }
}
