/**
 * Where to find a PKCS#11 module when the operator names none: `FLEET_PKCS11_MODULE`, else the
 * standard install locations of SoftHSM2 (Debian/Ubuntu, multiarch, Fedora/RHEL, Homebrew, /usr/local).
 */
import { existsSync } from 'node:fs';

/** Standard SoftHSM2 module locations, probed in order. */
export const SOFTHSM_MODULE_CANDIDATES: readonly string[] = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/lib/pkcs11/libsofthsm2.so',
  '/usr/lib64/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

/**
 * The module path to use: `env.FLEET_PKCS11_MODULE` when set (returned as given, even if missing,
 * so that opening it reports the operator's path), else the first existing SoftHSM2 candidate,
 * else undefined.
 */
export function locatePkcs11Module(
  env: Readonly<Record<string, string | undefined>> = process.env,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const configured = env['FLEET_PKCS11_MODULE'];
  if (configured !== undefined && configured !== '') return configured;
  return SOFTHSM_MODULE_CANDIDATES.find((p) => exists(p));
}
