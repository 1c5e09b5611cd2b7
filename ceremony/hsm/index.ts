/**
 * HSMs: the {@link Hsm} interface, the emulated and PKCS#11 backends, opening either one, and PIN
 * entry (docs/hsm.md). Re-exports only; the PKCS#11 backend is reached through {@link openHsm} /
 * {@link listTokens} (loaded on demand) or `./pkcs11/index.js`.
 */
export type {
  DeviceInfo,
  GenerateKeyOptions,
  Hsm,
  HsmBackendName,
  KeyAlgorithm,
  KeyInfo,
  KeyUsage,
} from './types.js';
export { defaultPkcs11Module, listTokens, openHsm, resolveHsmSpec } from './open.js';
export type { DeviceSelector, EmulatedHsmSpec, HsmSpec, Pkcs11HsmSpec, TokenSummary } from './open.js';
export { DEFAULT_PIN_ENV, readHiddenLine, resolvePin } from './pin.js';
export type { ResolvePinOptions, TtyInput } from './pin.js';
export * from './emulated/index.js';
