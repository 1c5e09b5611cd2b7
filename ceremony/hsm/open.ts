/**
 * One entry point to open either backend as an {@link Hsm}. The PKCS#11 backend (and its native
 * addon) is loaded only when a PKCS#11 device is asked for.
 */
import { UsageError } from '../errors.js';
import { openEmulatedHsm } from './emulated/index.js';
import { DEFAULT_PIN_ENV, resolvePin } from './pin.js';
import type { Hsm } from './types.js';

/** An emulated HSM: its state directory and PIN. */
export interface EmulatedHsmSpec {
  backend: 'emulated';
  dir: string;
  pin: string;
}

/** A PKCS#11 token: the module, the token (by label and/or serial), and the user PIN. */
export interface Pkcs11HsmSpec {
  backend: 'pkcs11';
  module: string;
  tokenLabel?: string;
  tokenSerial?: string;
  pin: string;
}

/** Which device to open. */
export type HsmSpec = EmulatedHsmSpec | Pkcs11HsmSpec;

/**
 * Opens and logs in to the device `spec` names. The PIN is used for login only and kept nowhere
 * (the emulated device keeps the key derived from it for the session).
 * @throws UsageError `HSM_BACKEND_UNKNOWN`; and whatever `openEmulatedHsm` / `openPkcs11Hsm` throw
 *   (`HSM_WRONG_PIN`, `HSM_LOCKED`, `HSM_NOT_INITIALIZED`, `PKCS11_TOKEN_NOT_FOUND`, ...).
 */
export async function openHsm(spec: HsmSpec): Promise<Hsm> {
  switch (spec.backend) {
    case 'emulated':
      return openEmulatedHsm({ dir: spec.dir, pin: spec.pin });
    case 'pkcs11': {
      const { openPkcs11Hsm } = await import('./pkcs11/index.js');
      return openPkcs11Hsm({
        module: spec.module,
        ...(spec.tokenLabel === undefined ? {} : { tokenLabel: spec.tokenLabel }),
        ...(spec.tokenSerial === undefined ? {} : { tokenSerial: spec.tokenSerial }),
        pin: spec.pin,
      });
    }
    default: {
      const backend: unknown = (spec as { backend?: unknown }).backend;
      throw new UsageError(
        'HSM_BACKEND_UNKNOWN',
        `unknown HSM backend ${JSON.stringify(backend)} (emulated or pkcs11)`,
        {
          field: 'backend',
        },
      );
    }
  }
}

/** One token of a PKCS#11 module, as `hsm list` shows it. */
export interface TokenSummary {
  slotId: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  firmware: string;
  initialized: boolean;
}

/**
 * Lists the slots with a token of a PKCS#11 module.
 * @throws UsageError `PKCS11_MODULE_NOT_FOUND`, `PKCS11_MODULE_INVALID`, or a mapped CKR_ error.
 */
export async function listTokens(module: string): Promise<TokenSummary[]> {
  const { listPkcs11Tokens } = await import('./pkcs11/index.js');
  return listPkcs11Tokens(module);
}

/**
 * The PKCS#11 module to use when the operator names none: `FLEET_PKCS11_MODULE`, else a standard
 * SoftHSM2 location that exists, else undefined.
 */
export async function defaultPkcs11Module(): Promise<string | undefined> {
  const { locatePkcs11Module } = await import('./pkcs11/index.js');
  return locatePkcs11Module();
}

/** How an operator names a device (the CLI's --dir / --module / --token-* / --pin-env flags). */
export interface DeviceSelector {
  /** State directory of an emulated HSM. */
  dir?: string;
  /** PKCS#11 module; then `tokenLabel` and/or `tokenSerial` name the token. */
  module?: string;
  tokenLabel?: string;
  tokenSerial?: string;
  /** Environment variable holding the PIN (default FLEET_HSM_PIN); else a hidden prompt. */
  pinEnv?: string;
}

/**
 * Turns a device selector into an {@link HsmSpec}, resolving the PIN (environment variable or
 * hidden prompt, see `resolvePin`).
 * @throws UsageError `HSM_DEVICE_REQUIRED` (neither or both of dir and module),
 *   `PKCS11_TOKEN_NOT_SPECIFIED` (a module without a token), `HSM_PIN_REQUIRED`.
 */
export async function resolveHsmSpec(sel: DeviceSelector): Promise<HsmSpec> {
  const env = sel.pinEnv ?? DEFAULT_PIN_ENV;
  if ((sel.dir === undefined) === (sel.module === undefined))
    throw new UsageError(
      'HSM_DEVICE_REQUIRED',
      'name exactly one device: --dir DIR (emulated) or --module PATH with --token-label/--token-serial',
    );
  if (sel.dir !== undefined) {
    const pin = await resolvePin({ env, label: `PIN of the emulated HSM in ${sel.dir}` });
    return { backend: 'emulated', dir: sel.dir, pin };
  }
  const token = sel.tokenLabel ?? sel.tokenSerial;
  if (token === undefined)
    throw new UsageError(
      'PKCS11_TOKEN_NOT_SPECIFIED',
      'with a PKCS#11 module, name the token by label or serial',
      {
        field: 'tokenLabel',
      },
    );
  const pin = await resolvePin({ env, label: `user PIN of PKCS#11 token ${token}` });
  return {
    backend: 'pkcs11',
    module: sel.module!,
    ...(sel.tokenLabel === undefined ? {} : { tokenLabel: sel.tokenLabel }),
    ...(sel.tokenSerial === undefined ? {} : { tokenSerial: sel.tokenSerial }),
    pin,
  };
}
