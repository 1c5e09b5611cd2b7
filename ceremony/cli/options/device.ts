/**
 * The HSM device selector shared by `hsm info|keygen|attest` and `fleet serve`: an emulated HSM
 * (`--dir`) or a PKCS#11 token (`--module`, `--token-label`, `--token-serial`), and the variable
 * holding its PIN (`--pin-env`, default FLEET_HSM_PIN). Flags map onto `resolveHsmSpec`.
 */
import type { Argv } from 'yargs';
import { DEFAULT_PIN_ENV } from '../../hsm/pin.js';
import type { Hsm } from '../../hsm/index.js';

/** The device flags, as yargs parses them. */
export interface DeviceArgs {
  dir?: string;
  module?: string;
  'token-label'?: string;
  'token-serial'?: string;
  'pin-env': string;
}

/** Adds `--dir`, `--module`, `--token-label`, `--token-serial`, `--pin-env`; `--dir` excludes the rest. */
export const withDeviceOptions = <T>(y: Argv<T>) =>
  y
    .option('dir', { type: 'string', describe: 'state directory of an emulated HSM' })
    .option('module', { type: 'string', describe: 'PKCS#11 module (shared library)' })
    .option('token-label', { type: 'string', describe: 'PKCS#11 token label' })
    .option('token-serial', { type: 'string', describe: 'PKCS#11 token serial number' })
    .option('pin-env', {
      type: 'string',
      default: DEFAULT_PIN_ENV,
      describe: 'environment variable holding the PIN',
    })
    .conflicts('dir', ['module', 'token-label', 'token-serial']);

/**
 * Opens the device the flags select (the HSM library is loaded only now, not for --help).
 * The caller closes it.
 */
export async function openSelectedDevice(a: DeviceArgs): Promise<Hsm> {
  const { openHsm, resolveHsmSpec } = await import('../../hsm/index.js');
  return openHsm(
    await resolveHsmSpec({
      dir: a.dir,
      module: a.module,
      tokenLabel: a['token-label'],
      tokenSerial: a['token-serial'],
      pinEnv: a['pin-env'],
    }),
  );
}
