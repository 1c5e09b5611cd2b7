/**
 * Reading PKCS#11 attribute values. pkcs11js returns raw bytes: CK_BBOOL is one byte, CK_ULONG is
 * `sizeof(long)` bytes in host byte order (8 on 64-bit Linux and macOS, 4 on Windows).
 */
import { endianness } from 'node:os';
import type { PKCS11 } from 'pkcs11js';
import { ckrOf } from './errors.js';

/** `CK_UNAVAILABLE_INFORMATION` (~0) as read from a CK_ULONG. */
const UNAVAILABLE_64 = (1n << 64n) - 1n;
const UNAVAILABLE_32 = 0xffff_ffff;
const LITTLE = endianness() === 'LE';

/**
 * A CK_ULONG value (also a slot or object handle) as a bigint.
 *
 * @throws Error when `bytes` is neither 4 nor 8 bytes long.
 */
export function readUlong(bytes: Buffer): bigint {
  if (bytes.length === 8) return LITTLE ? bytes.readBigUInt64LE(0) : bytes.readBigUInt64BE(0);
  if (bytes.length === 4) return BigInt(LITTLE ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0));
  throw new Error(`CK_ULONG of ${bytes.length} bytes`);
}

/** A CK_ULONG as a number, or null for `CK_UNAVAILABLE_INFORMATION` or a value beyond 2^53. */
export function readUlongNumber(bytes: Buffer): number | null {
  const v = readUlong(bytes);
  if (v === UNAVAILABLE_64 || (bytes.length === 4 && v === BigInt(UNAVAILABLE_32))) return null;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

/** A handle (slot, session, object) as a decimal string, for maps and messages. */
export function handleId(handle: Buffer): string {
  return readUlong(handle).toString(10);
}

/**
 * The raw value of one attribute, or undefined when the token says the attribute is not there
 * (`CKR_ATTRIBUTE_TYPE_INVALID`) or may not be read (`CKR_ATTRIBUTE_SENSITIVE`).
 * Other failures propagate. Attributes are read one at a time so one absent attribute cannot hide
 * the others.
 */
export function readAttribute(p: PKCS11, session: Buffer, object: Buffer, type: number): Buffer | undefined {
  try {
    const [attr] = p.C_GetAttributeValue(session, object, [{ type }]);
    return attr?.value;
  } catch (e) {
    const ckr = ckrOf(e);
    if (ckr === 'CKR_ATTRIBUTE_TYPE_INVALID' || ckr === 'CKR_ATTRIBUTE_SENSITIVE') return undefined;
    throw e;
  }
}

/** A CK_BBOOL attribute, or null when the token does not report it. */
export function readBool(p: PKCS11, session: Buffer, object: Buffer, type: number): boolean | null {
  const v = readAttribute(p, session, object, type);
  if (v?.length !== 1) return null;
  return v[0] !== 0;
}

/** A CK_ULONG attribute, or null when the token does not report it (or reports it unavailable). */
export function readNumber(p: PKCS11, session: Buffer, object: Buffer, type: number): number | null {
  const v = readAttribute(p, session, object, type);
  if (v === undefined || (v.length !== 4 && v.length !== 8)) return null;
  return readUlongNumber(v);
}

/** A byte-string attribute (a fresh Uint8Array), or undefined when absent. */
export function readBytes(p: PKCS11, session: Buffer, object: Buffer, type: number): Uint8Array | undefined {
  const v = readAttribute(p, session, object, type);
  return v === undefined ? undefined : new Uint8Array(v);
}
