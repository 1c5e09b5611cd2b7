/**
 * The mapping of pkcs11js errors onto typed errors, for the CK_RVs SoftHSM2 cannot be made to
 * return on demand (CKR_PIN_LOCKED, CKR_DEVICE_MEMORY, vendor codes), using pkcs11js's own
 * Pkcs11Error class as the native binding constructs it.
 */
import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { MalformedError, UsageError } from '../../../ceremony/errors.js';
import { ckrName, mapPkcs11Error } from '../../../ceremony/hsm/pkcs11/errors.js';

type Pkcs11ErrorCtor = new (message: string, code: number, method: string) => Error;
const Pkcs11Error = (pkcs11js as unknown as { Pkcs11Error: Pkcs11ErrorCtor }).Pkcs11Error;
const ctx = { operation: 'C_Login', module: '/opt/hsm/lib.so', token: 'tok', key: 'k1' };

describe('mapPkcs11Error', () => {
  it.each([
    ['CKR_PIN_INCORRECT', 'HSM_WRONG_PIN'],
    ['CKR_PIN_LOCKED', 'HSM_LOCKED'],
    ['CKR_PIN_EXPIRED', 'HSM_PIN_EXPIRED'],
    ['CKR_USER_ALREADY_LOGGED_IN', 'PKCS11_TOKEN_IN_USE'],
    ['CKR_TOKEN_NOT_PRESENT', 'PKCS11_TOKEN_NOT_FOUND'],
    ['CKR_MECHANISM_INVALID', 'PKCS11_MECHANISM_UNSUPPORTED'],
    ['CKR_KEY_HANDLE_INVALID', 'HSM_KEY_NOT_FOUND'],
    ['CKR_DEVICE_MEMORY', 'PKCS11_DEVICE_FULL'],
    ['CKR_FUNCTION_FAILED', 'PKCS11_CALL_FAILED'],
  ])('maps %s to %s, naming the CKR_ name, call, token, key and module', (ckr, code) => {
    const value = (pkcs11js as unknown as Record<string, number>)[ckr] ?? -1;
    const e = mapPkcs11Error(new Pkcs11Error(`${ckr}:${value}`, value, 'C_Login'), ctx);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.code).toBe(code);
    expect(e.message).toContain(ckr);
    expect(e.message).toMatch(/^C_Login failed with .*key 'k1', token 'tok', module \/opt\/hsm\/lib\.so/);
    expect(e.cause).toBeUndefined();
  });

  it('names vendor-defined CK_RVs in hex', () => {
    expect(ckrName(0x80000123)).toBe('CKR_0x80000123');
    const e = mapPkcs11Error(Object.assign(new Error('x'), { name: 'Pkcs11Error', code: 0x80000123 }), ctx);
    expect(e.message).toContain('CKR_0x80000123');
    expect(e.code).toBe('PKCS11_CALL_FAILED');
  });

  it('passes project errors through and wraps anything else with its first line only', () => {
    const ours = new MalformedError('X', 'y');
    expect(mapPkcs11Error(ours, ctx)).toBe(ours);
    const other = mapPkcs11Error(new Error('first line\nsecond line'), ctx);
    expect(other).toMatchObject({ code: 'PKCS11_CALL_FAILED' });
    expect(other.message).toContain('first line');
    expect(other.message).not.toContain('second line');
  });
});
