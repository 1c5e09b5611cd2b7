/**
 * SoftHSM2 tokens for `demo --hsm softhsm`: a configuration and token directory inside the demo
 * directory, and one token per label, initialised through PKCS#11 itself (`C_InitToken`, then
 * `C_InitPIN` as security officer), so no PIN ever appears on a command line. The security
 * officer PIN is random and forgotten: a demo token needs no recovery.
 *
 * SoftHSM2 reads `SOFTHSM2_CONF` when the module is initialised, so this sets it in
 * `process.env` for the rest of the process (the demo's ceremony runs in this process).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { UsageError } from '../errors.js';
import { listPkcs11Tokens, locatePkcs11Module } from '../hsm/pkcs11/index.js';

/** One initialised token. */
export interface DemoToken {
  label: string;
  serial: string;
}

/** The SoftHSM2 environment of a demo. */
export interface DemoSoftHsm {
  module: string;
  conf: string;
  tokens: DemoToken[];
}

/**
 * Creates `dir/softhsm2.conf` and `dir/tokens/`, and one token per label with the user PIN of
 * `pins` (same order).
 * @throws UsageError `DEMO_SOFTHSM_MISSING` when SoftHSM2 is not installed; `PKCS11_*` errors.
 */
export async function createDemoTokens(
  dir: string,
  labels: readonly string[],
  pins: readonly string[],
): Promise<DemoSoftHsm> {
  const module = locatePkcs11Module();
  if (module === undefined)
    throw new UsageError(
      'DEMO_SOFTHSM_MISSING',
      'SoftHSM2 is not installed (libsofthsm2.so not found): apt-get install softhsm2, or run scripts/demo.sh',
    );
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    {
      mode: 0o600,
      flag: 'wx',
    },
  );
  process.env['SOFTHSM2_CONF'] = conf;
  const p = new pkcs11js.PKCS11();
  p.load(module);
  p.C_Initialize();
  try {
    labels.forEach((label, i) => initToken(p, label, pins[i]!));
  } finally {
    p.C_Finalize();
    p.close();
  }
  const listed = await listPkcs11Tokens(module);
  return {
    module,
    conf,
    tokens: labels.map((label) => ({ label, serial: listed.find((t) => t.label === label)?.serial ?? '' })),
  };
}

function initToken(p: pkcs11js.PKCS11, label: string, pin: string): void {
  const soPin = randomBytes(16).toString('hex');
  const free = p
    .C_GetSlotList(true)
    .find((s) => (p.C_GetTokenInfo(s).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0);
  if (free === undefined)
    throw new UsageError('DEMO_SOFTHSM_NO_SLOT', 'SoftHSM2 offers no free slot for a new token');
  // PKCS#11 labels are 32 bytes padded with blanks (pkcs11js would pad with NUL bytes).
  p.C_InitToken(free, soPin, label.padEnd(32, ' '));
  const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trimEnd() === label);
  if (slot === undefined)
    throw new UsageError('DEMO_SOFTHSM_NO_SLOT', `the new token ${label} is not listed`);
  const session = p.C_OpenSession(slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
  try {
    p.C_Login(session, pkcs11js.CKU_SO, soPin);
    p.C_InitPIN(session, pin);
    p.C_Logout(session);
  } finally {
    p.C_CloseSession(session);
  }
}
