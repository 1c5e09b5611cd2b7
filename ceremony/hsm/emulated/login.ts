/**
 * Opening an emulated HSM: lock, PIN retry counter, key derivation, decryption (docs/hsm.md,
 * "Login").
 *
 * Like a smart card, the counter is incremented and persisted BEFORE the PIN is tried, and reset to
 * zero only after it proved right: killing the process in the middle of a guess still costs an
 * attempt. After {@link MAX_PIN_ATTEMPTS} consecutive wrong PINs the device is locked for good
 * (`HSM_LOCKED`): it refuses even the right PIN; only zeroisation (and re-enrolment) recovers it.
 */
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { MAX_PIN_ATTEMPTS, readFailures, writeFailures } from './counter.js';
import { EmulatedHsm } from './device.js';
import { acquireLock, pathExists, removeStrayTemporaries } from '../../io/index.js';
import { readStateFile } from './files.js';
import { deriveKek } from './kdf.js';
import { KEYSTORE_FILE, MAX_KEYSTORE_BYTES, openKeystore, parseKeystoreHeader } from './keystore.js';
import { wipePayload } from './payload.js';
import type { DeviceRecord, KeystorePayload } from './payload.js';
import { readDeviceDescriptor } from './record.js';
import { checkPin } from './validate.js';

/** Options of {@link openEmulatedHsm}. */
export interface OpenEmulatedOptions {
  /** The device's state directory. */
  dir: string;
  /** The user PIN. Never logged, echoed or put in an error. */
  pin: string;
}

function sameRecord(a: DeviceRecord, b: DeviceRecord): boolean {
  const fields = ['serial', 'model', 'firmware', 'vendor', 'label', 'createdAt'] as const;
  return (
    fields.every((f) => a[f] === b[f]) &&
    a.chain.length === b.chain.length &&
    a.chain.every((c, i) => Buffer.from(c).equals(b.chain[i]!))
  );
}

function locked(dir: string): UsageError {
  return new UsageError(
    'HSM_LOCKED',
    `the emulated HSM is locked after ${MAX_PIN_ATTEMPTS} consecutive wrong PINs; it refuses every PIN (zeroise and re-enrol it)`,
    { file: dir },
  );
}

/**
 * Opens and logs in to the emulated HSM in `dir`; the session holds the device lock until
 * `close()`.
 * @throws UsageError `HSM_NOT_INITIALIZED` (no device), `HSM_ZEROIZED`, `HSM_BUSY` (open elsewhere),
 *   `HSM_LOCKED` (10 consecutive wrong PINs, now or before), `HSM_WRONG_PIN` (with the attempts
 *   left), `HSM_PIN_INVALID`, `HSM_STATE_TAMPERED`; MalformedError `HSM_STATE_MALFORMED`.
 */
export async function openEmulatedHsm(options: OpenEmulatedOptions): Promise<EmulatedHsm> {
  const { dir } = options;
  checkPin(options.pin);
  if (!pathExists(dir))
    throw new UsageError('HSM_NOT_INITIALIZED', 'does not exist; create a device with "hsm init-emulated"', {
      file: dir,
    });
  readDeviceDescriptor(dir); // clear errors for "no device here" before taking the lock
  const release = acquireLock(dir);
  let kek: Buffer | undefined;
  try {
    removeStrayTemporaries(dir);
    const desc = readDeviceDescriptor(dir);
    if (desc.state === 'zeroized')
      throw new UsageError(
        'HSM_ZEROIZED',
        `the emulated HSM was zeroised on ${desc.zeroizedAt ?? '?'}; it holds nothing and refuses use`,
        {
          file: dir,
        },
      );
    const serial = desc.record.serial;
    const failures = readFailures(dir, serial);
    if (failures >= MAX_PIN_ATTEMPTS) throw locked(dir);
    const file = join(dir, KEYSTORE_FILE);
    const bytes = readStateFile(file, MAX_KEYSTORE_BYTES, 'HSM_STATE_TAMPERED');
    const { header } = parseKeystoreHeader(bytes, file);
    if (header.serial !== serial)
      throw new UsageError(
        'HSM_STATE_TAMPERED',
        `keystore belongs to device ${header.serial}, not ${serial}`,
        { file },
      );

    writeFailures(dir, serial, failures + 1); // count the attempt first (see the module doc)
    kek = await deriveKek(options.pin, header.salt, header.kdf);
    const state: KeystorePayload | undefined = openKeystore(kek, bytes, file);
    if (state === undefined) {
      const left = MAX_PIN_ATTEMPTS - (failures + 1);
      if (left === 0) throw locked(dir);
      throw new UsageError('HSM_WRONG_PIN', `wrong PIN; ${left} attempt(s) left before the device locks`, {
        field: 'pin',
        file: dir,
      });
    }
    writeFailures(dir, serial, 0);
    if (!sameRecord(state.device, desc.record)) {
      wipePayload(state);
      throw new UsageError(
        'HSM_STATE_TAMPERED',
        'device.json does not match the record inside the encrypted keystore',
        {
          file: join(dir, 'device.json'),
        },
      );
    }
    const session = { dir, header, kek, state, release };
    kek = undefined; // owned by the session now
    return new EmulatedHsm(session);
  } catch (e) {
    kek?.fill(0);
    release();
    throw e;
  }
}
