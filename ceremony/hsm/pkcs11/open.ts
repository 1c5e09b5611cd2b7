/**
 * Opening a PKCS#11 token as an {@link Hsm}: load (or share) the module, find the token by label
 * and/or serial, open a read/write session and log in as the user. The PIN is passed to `C_Login`
 * and kept nowhere: not in the returned object, not in any error or log.
 */
import pkcs11js from 'pkcs11js';
import { UsageError } from '../../errors.js';
import type { Hsm } from '../types.js';
import { mapPkcs11Error } from './errors.js';
import { Pkcs11Hsm } from './hsm.js';
import { defaultSelfTestChecks } from './keygen.js';
import type { SelfTestChecks } from './keygen.js';
import { acquireModule } from './module.js';
import { scanTokens, selectToken } from './tokens.js';

/** What {@link openPkcs11Hsm} needs. */
export interface OpenPkcs11Options {
  /** Path of the PKCS#11 shared library. */
  module: string;
  /** Token label (`CKA_LABEL` of the token, blank padding ignored). */
  tokenLabel?: string;
  /** Token serial number; with a label, both must match. */
  tokenSerial?: string;
  /** The user PIN. Never logged, echoed or kept. */
  pin: string;
}

/** Test seams: the self-test's host-side checks and the clock used in attestations. */
export interface Pkcs11Hooks {
  selfTestChecks?: SelfTestChecks;
  clock?: () => Date;
}

function checkOptions(o: OpenPkcs11Options): void {
  const pin: unknown = o.pin;
  if (typeof pin !== 'string' || pin === '') {
    throw new UsageError('HSM_PIN_MISSING', 'no user PIN given for the PKCS#11 token', { field: 'pin' });
  }
  for (const field of ['tokenLabel', 'tokenSerial'] as const) {
    const v: unknown = o[field];
    if (v !== undefined && (typeof v !== 'string' || v === '')) {
      throw new UsageError('PKCS11_TOKEN_NOT_SPECIFIED', `${field} must be a non-empty string`, { field });
    }
  }
}

/**
 * {@link openPkcs11Hsm} with test seams. Not re-exported from the package index.
 *
 * @throws see {@link openPkcs11Hsm}
 */
export async function openPkcs11HsmWith(o: OpenPkcs11Options, hooks: Pkcs11Hooks): Promise<Pkcs11Hsm> {
  checkOptions(o);
  const lease = acquireModule(o.module);
  try {
    const opened = await lease.run(() => {
      const p = lease.pkcs11;
      let token;
      try {
        token = selectToken(
          scanTokens(p),
          { tokenLabel: o.tokenLabel, tokenSerial: o.tokenSerial },
          lease.path,
        );
      } catch (e) {
        throw mapPkcs11Error(e, { operation: 'C_GetTokenInfo', module: lease.path });
      }
      const ctx = { module: lease.path, token: token.label };
      if (!lease.claimSlot(token.slotId)) {
        throw new UsageError(
          'PKCS11_TOKEN_IN_USE',
          `token '${token.label}' (module ${lease.path}) is already open in this process; close it first`,
        );
      }
      let session: Buffer | undefined;
      try {
        session = p.C_OpenSession(token.slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
        p.C_Login(session, pkcs11js.CKU_USER, o.pin);
        return { token, session };
      } catch (e) {
        if (session !== undefined) {
          try {
            p.C_CloseSession(session);
          } catch {
            // the session is gone either way
          }
        }
        lease.releaseSlot(token.slotId);
        throw mapPkcs11Error(e, { operation: session === undefined ? 'C_OpenSession' : 'C_Login', ...ctx });
      }
    });
    const { slot, info: _info, ...summary } = opened.token;
    return new Pkcs11Hsm({
      lease,
      slot,
      session: opened.session,
      token: summary,
      selfTestChecks: hooks.selfTestChecks ?? defaultSelfTestChecks,
      clock: hooks.clock ?? (() => new Date()),
    });
  } catch (e) {
    await lease.release();
    throw e;
  }
}

/**
 * Opens the token selected by `tokenLabel` and/or `tokenSerial` in `module` and logs in with `pin`.
 * The module is loaded once per process and shared; each token may be open once per process.
 *
 * @throws UsageError `HSM_PIN_MISSING`, `PKCS11_MODULE_NOT_FOUND`, `PKCS11_MODULE_INVALID`,
 *   `PKCS11_TOKEN_NOT_SPECIFIED`, `PKCS11_TOKEN_NOT_FOUND`, `PKCS11_TOKEN_AMBIGUOUS`,
 *   `PKCS11_TOKEN_NOT_INITIALIZED`, `PKCS11_TOKEN_IN_USE`, `HSM_WRONG_PIN` (CKR_PIN_INCORRECT),
 *   `HSM_LOCKED` (CKR_PIN_LOCKED), or another mapped CKR_ error.
 */
export function openPkcs11Hsm(o: OpenPkcs11Options): Promise<Hsm> {
  return openPkcs11HsmWith(o, {});
}
