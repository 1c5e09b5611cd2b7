/**
 * Maps errors thrown by pkcs11js onto the project's typed errors, once, with the CKR_ name.
 *
 * pkcs11js throws a `Pkcs11Error` whose `message` is the CKR_ name and whose `code` is the CK_RV;
 * its arguments (a PIN passed to `C_Login`, data passed to `C_Sign`) are never part of it, and the
 * messages built here name only the operation, the token, the key label and the module path.
 */
import pkcs11js from 'pkcs11js';
import { CeremonyError, UsageError } from '../../errors.js';

/** Where a failing call happened; every field is public information. */
export interface Pkcs11Context {
  /** The call or step, e.g. `C_Login`, `generateKey`. */
  operation: string;
  module: string;
  token?: string;
  key?: string;
}

const ckrNames = new Map<number, string>();
for (const [name, value] of Object.entries(pkcs11js)) {
  if (name.startsWith('CKR_') && typeof value === 'number' && !ckrNames.has(value)) ckrNames.set(value, name);
}

/** The CKR_ name of a CK_RV, or `CKR_0x…` for a vendor-defined value. */
export function ckrName(code: number): string {
  return ckrNames.get(code) ?? `CKR_0x${code.toString(16).padStart(8, '0')}`;
}

/** [our code, what it means] for the CK_RVs an operator can act on. */
const KNOWN: Readonly<Record<string, readonly [string, string]>> = {
  CKR_PIN_INCORRECT: ['HSM_WRONG_PIN', 'the PIN is wrong'],
  CKR_PIN_INVALID: ['HSM_WRONG_PIN', 'the PIN contains invalid characters'],
  CKR_PIN_LEN_RANGE: ['HSM_WRONG_PIN', 'the PIN has the wrong length'],
  CKR_PIN_LOCKED: ['HSM_LOCKED', 'the user PIN is locked'],
  CKR_PIN_EXPIRED: ['HSM_PIN_EXPIRED', 'the user PIN has expired'],
  CKR_USER_PIN_NOT_INITIALIZED: ['PKCS11_TOKEN_NOT_INITIALIZED', 'the token has no user PIN'],
  CKR_USER_ALREADY_LOGGED_IN: ['PKCS11_TOKEN_IN_USE', 'the token is already logged in by this process'],
  CKR_USER_ANOTHER_ALREADY_LOGGED_IN: ['PKCS11_TOKEN_IN_USE', 'another user is logged in'],
  CKR_USER_TOO_MANY_TYPES: ['PKCS11_TOKEN_IN_USE', 'too many users are logged in'],
  CKR_SESSION_COUNT: ['PKCS11_TOKEN_IN_USE', 'the token has no free session'],
  CKR_TOKEN_NOT_PRESENT: ['PKCS11_TOKEN_NOT_FOUND', 'the token is not present'],
  CKR_TOKEN_NOT_RECOGNIZED: ['PKCS11_TOKEN_NOT_FOUND', 'the token is not recognised'],
  CKR_DEVICE_REMOVED: ['PKCS11_TOKEN_NOT_FOUND', 'the token was removed'],
  CKR_SLOT_ID_INVALID: ['PKCS11_TOKEN_NOT_FOUND', 'the slot does not exist'],
  CKR_MECHANISM_INVALID: ['PKCS11_MECHANISM_UNSUPPORTED', 'the token does not support the mechanism'],
  CKR_MECHANISM_PARAM_INVALID: ['PKCS11_MECHANISM_UNSUPPORTED', 'the token refused the mechanism parameters'],
  CKR_DOMAIN_PARAMS_INVALID: ['PKCS11_MECHANISM_UNSUPPORTED', 'the token does not support the curve'],
  CKR_OBJECT_HANDLE_INVALID: ['HSM_KEY_NOT_FOUND', 'the key object no longer exists'],
  CKR_KEY_HANDLE_INVALID: ['HSM_KEY_NOT_FOUND', 'the key object no longer exists'],
  CKR_KEY_FUNCTION_NOT_PERMITTED: ['HSM_KEY_USAGE_NOT_PERMITTED', 'the key does not permit this operation'],
  CKR_KEY_TYPE_INCONSISTENT: ['HSM_KEY_USAGE_NOT_PERMITTED', 'the key type does not fit the mechanism'],
  CKR_SESSION_HANDLE_INVALID: ['PKCS11_SESSION_CLOSED', 'the session was closed'],
  CKR_SESSION_CLOSED: ['PKCS11_SESSION_CLOSED', 'the session was closed'],
  CKR_DEVICE_MEMORY: ['PKCS11_DEVICE_FULL', 'the token is out of memory'],
  CKR_DEVICE_ERROR: ['PKCS11_DEVICE_ERROR', 'the device reported an error'],
  CKR_CRYPTOKI_NOT_INITIALIZED: ['PKCS11_MODULE_NOT_INITIALIZED', 'the module is not initialised'],
  CKR_CRYPTOKI_ALREADY_INITIALIZED: [
    'PKCS11_MODULE_ALREADY_INITIALIZED',
    'the module was initialised by other code in this process',
  ],
};

/** The CKR_ name carried by a pkcs11js error, if it is one. */
export function ckrOf(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  if (/^CKR_[A-Z0-9_x]+$/.test(e.message)) return e.message;
  const code = (e as { code?: unknown }).code;
  return e.name === 'Pkcs11Error' && typeof code === 'number' ? ckrName(code) : undefined;
}

function where(ctx: Pkcs11Context): string {
  const parts = [
    ctx.key === undefined ? undefined : `key '${ctx.key}'`,
    ctx.token === undefined ? undefined : `token '${ctx.token}'`,
    `module ${ctx.module}`,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}

/**
 * Converts anything a PKCS#11 call threw into a typed error. Errors of this project pass through.
 * The result is a UsageError (exit 2): a device state or a refusal, never a verdict on evidence.
 * No `cause` is attached: the message already carries the CKR_ name, and the raw native error is
 * kept out of anything that might be printed.
 *
 * @param e - what the call threw
 * @param ctx - public description of the call
 */
export function mapPkcs11Error(e: unknown, ctx: Pkcs11Context): CeremonyError {
  if (e instanceof CeremonyError) return e;
  const ckr = ckrOf(e);
  if (ckr === undefined) {
    const text = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return new UsageError('PKCS11_CALL_FAILED', `${ctx.operation} failed (${where(ctx)}): ${text}`);
  }
  const known = KNOWN[ckr];
  const code = known?.[0] ?? 'PKCS11_CALL_FAILED';
  const reason = known === undefined ? '' : `: ${known[1]}`;
  return new UsageError(code, `${ctx.operation} failed with ${ckr} (${where(ctx)})${reason}`);
}
