/**
 * The emulated HSM backend (docs/hsm.md): an emulated vendor CA, device enrolment, login, the
 * {@link EmulatedHsm} device, and zeroisation. Re-exports only.
 */
export { EmulatedHsm } from './device.js';
export { DEFAULT_FIRMWARE, DEFAULT_MODEL, enrollEmulatedDevice } from './enroll.js';
export type { EnrollOptions, EnrollResult } from './enroll.js';
export { DEFAULT_KDF } from './kdf.js';
export type { ScryptParams } from './kdf.js';
export { MAX_PIN_ATTEMPTS } from './counter.js';
export { openEmulatedHsm } from './login.js';
export type { OpenEmulatedOptions } from './login.js';
export { DEFAULT_VENDOR_NAME, ROOT_CERT_FILE, createEmulatedVendor, loadEmulatedVendor } from './vendor.js';
export type { EmulatedVendor } from './vendor.js';
export { zeroizeEmulatedDevice } from './zeroize.js';
export { readDeviceDescriptor } from './record.js';
export type { DeviceDescriptor } from './record.js';
export type { DeviceRecord } from './payload.js';
