/**
 * Opening the devices a script names: fleet HSMs and participants' tokens. Paths resolve from the
 * script's directory; PINs come from the named environment variable or a hidden prompt, are used
 * for login only, and are never recorded.
 */
import { isAbsolute, resolve } from 'node:path';
import { openHsm } from '../hsm/index.js';
import type { Hsm, HsmSpec } from '../hsm/index.js';
import { resolveSecret } from './prompts.js';
import type { Prompts } from './prompts.js';

/** The device fields scripts share between `hsms[]` and `participants[].token`. */
export interface DeviceRef {
  backend: 'emulated' | 'pkcs11';
  dir?: string;
  module?: string;
  tokenLabel?: string;
  tokenSerial?: string;
  pinEnv?: string;
}

/** `path` resolved from `baseDir` unless absolute. */
export function scriptPath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** The {@link HsmSpec} of a device reference. Precondition: the script passed validation. */
export function deviceSpec(d: DeviceRef, baseDir: string, pin: string): HsmSpec {
  if (d.backend === 'emulated') return { backend: 'emulated', dir: scriptPath(baseDir, d.dir!), pin };
  return {
    backend: 'pkcs11',
    // A module named without a slash is looked up by the dynamic loader, as PKCS#11 tools do.
    module: d.module!.includes('/') ? scriptPath(baseDir, d.module!) : d.module!,
    ...(d.tokenLabel === undefined ? {} : { tokenLabel: d.tokenLabel }),
    ...(d.tokenSerial === undefined ? {} : { tokenSerial: d.tokenSerial }),
    pin,
  };
}

/**
 * Opens a device, asking for its PIN as needed.
 * @throws UsageError `RUNNER_PIN_REQUIRED`, and whatever `openHsm` throws (wrong PIN, locked, absent).
 */
export async function openDevice(
  d: DeviceRef,
  o: {
    baseDir: string;
    label: string;
    prompts: Prompts;
    environment?: Readonly<Record<string, string | undefined>>;
  },
): Promise<Hsm> {
  const pin = await resolveSecret({
    ...(d.pinEnv === undefined ? {} : { env: d.pinEnv }),
    label: `PIN of ${o.label}`,
    prompts: o.prompts,
    ...(o.environment === undefined ? {} : { environment: o.environment }),
  });
  return openHsm(deviceSpec(d, o.baseDir, pin));
}
