/**
 * Token discovery and selection. Tokens are found by label or by serial number, never by slot
 * number: SoftHSM2 (and many HSMs) renumber slots when tokens are added.
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11, TokenInfo } from 'pkcs11js';
import { UsageError } from '../../errors.js';
import { handleId } from './attributes.js';
import { mapPkcs11Error } from './errors.js';
import { acquireModule } from './module.js';

/** What {@link listPkcs11Tokens} reports about one token. Every field is public. */
export interface Pkcs11TokenSummary {
  /** The slot id (a CK_SLOT_ID, decimal); may change when tokens are added. */
  slotId: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  /** Firmware version, `major.minor`. */
  firmware: string;
  initialized: boolean;
}

/** A token found in a slot, with the handle needed to open a session on it. */
export interface FoundToken extends Pkcs11TokenSummary {
  slot: Buffer;
  info: TokenInfo;
}

/** `major.minor` of a CK_VERSION. */
export function versionString(v: { major: number; minor: number }): string {
  return `${v.major}.${v.minor}`;
}

/** Every slot with a token present, with its (blank-trimmed) token information. */
export function scanTokens(p: PKCS11): FoundToken[] {
  return p.C_GetSlotList(true).map((slot) => {
    const info = p.C_GetTokenInfo(slot);
    return {
      slot,
      info,
      slotId: handleId(slot),
      label: info.label.trimEnd(),
      manufacturer: info.manufacturerID.trimEnd(),
      model: info.model.trimEnd(),
      serial: info.serialNumber.trimEnd(),
      firmware: versionString(info.firmwareVersion),
      initialized: (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
    };
  });
}

/**
 * Lists the tokens present in every slot of `module` (uninitialised ones included, with
 * `initialized: false`). Loads the module for the duration of the call, or shares it if it is
 * already loaded.
 *
 * @param module - path of the PKCS#11 shared library
 * @throws UsageError `PKCS11_MODULE_NOT_FOUND`, `PKCS11_MODULE_INVALID`, or a mapped CKR_ error.
 */
export async function listPkcs11Tokens(module: string): Promise<Pkcs11TokenSummary[]> {
  const lease = acquireModule(module);
  try {
    const tokens = await lease.run(() => {
      try {
        return scanTokens(lease.pkcs11);
      } catch (e) {
        throw mapPkcs11Error(e, { operation: 'C_GetSlotList', module: lease.path });
      }
    });
    return tokens.map(({ slot: _slot, info: _info, ...summary }) => summary);
  } finally {
    await lease.release();
  }
}

/** How to choose a token: by label, by serial, or by both (then both must match). */
export interface TokenSelector {
  tokenLabel?: string | undefined;
  tokenSerial?: string | undefined;
}

function describe(sel: TokenSelector): string {
  const parts: string[] = [];
  if (sel.tokenLabel !== undefined) parts.push(`label '${sel.tokenLabel}'`);
  if (sel.tokenSerial !== undefined) parts.push(`serial '${sel.tokenSerial}'`);
  return parts.join(' and ');
}

/**
 * The one initialised token matching `sel` among `tokens`.
 *
 * @throws UsageError `PKCS11_TOKEN_NOT_SPECIFIED` (neither label nor serial),
 *   `PKCS11_TOKEN_NOT_FOUND` (no match; the message lists the tokens present),
 *   `PKCS11_TOKEN_AMBIGUOUS` (several match), `PKCS11_TOKEN_NOT_INITIALIZED`.
 */
export function selectToken(tokens: FoundToken[], sel: TokenSelector, module: string): FoundToken {
  if (sel.tokenLabel === undefined && sel.tokenSerial === undefined) {
    throw new UsageError('PKCS11_TOKEN_NOT_SPECIFIED', `select a token of ${module} by label or serial`);
  }
  const matches = tokens.filter(
    (t) =>
      (sel.tokenLabel === undefined || t.label === sel.tokenLabel) &&
      (sel.tokenSerial === undefined || t.serial === sel.tokenSerial),
  );
  if (matches.length === 0) {
    const present = tokens.filter((t) => t.initialized).map((t) => `'${t.label}' (serial ${t.serial})`);
    throw new UsageError(
      'PKCS11_TOKEN_NOT_FOUND',
      `no token with ${describe(sel)} in module ${module}; present: ${present.join(', ') || 'none'}`,
    );
  }
  if (matches.length > 1) {
    throw new UsageError(
      'PKCS11_TOKEN_AMBIGUOUS',
      `${matches.length} tokens with ${describe(sel)} in module ${module}; select by serial`,
    );
  }
  const token = matches[0] as FoundToken;
  if (!token.initialized || (token.info.flags & pkcs11js.CKF_USER_PIN_INITIALIZED) === 0) {
    throw new UsageError(
      'PKCS11_TOKEN_NOT_INITIALIZED',
      `token with ${describe(sel)} in module ${module} is not initialised or has no user PIN`,
    );
  }
  return token;
}
