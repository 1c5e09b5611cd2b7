/**
 * LiquidSecurity object attribute records: the tags (PKCS#11 `CKA_*` values, plus Cavium's
 * `OBJ_ATTR_*` extensions) and strict readers for their values.
 *
 * Names follow the Marvell/Cavium SDK (`OBJ_ATTR_LOCAL` is PKCS#11 `CKA_LOCAL`, and so on).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';

/** Attribute tags used by the verifier (u32, big-endian in the blob). */
export const ATTR = {
  CLASS: 0x0000,
  TOKEN: 0x0001,
  PRIVATE: 0x0002,
  LABEL: 0x0003,
  TRUSTED: 0x0086,
  KEY_TYPE: 0x0100,
  ID: 0x0102,
  SENSITIVE: 0x0103,
  ENCRYPT: 0x0104,
  DECRYPT: 0x0105,
  WRAP: 0x0106,
  UNWRAP: 0x0107,
  SIGN: 0x0108,
  VERIFY: 0x010a,
  DERIVE: 0x010c,
  MODULUS: 0x0120,
  MODULUS_BITS: 0x0121,
  PUBLIC_EXPONENT: 0x0122,
  VALUE_LEN: 0x0161,
  EXTRACTABLE: 0x0162,
  LOCAL: 0x0163,
  NEVER_EXTRACTABLE: 0x0164,
  ALWAYS_SENSITIVE: 0x0165,
  KCV: 0x0173,
  WRAP_WITH_TRUSTED: 0x0210,
  EXT_ATTR1: 0x1000,
  EKCV: 0x1003,
} as const;

/** PKCS#11 object class `CKO_PUBLIC_KEY`. */
export const CKO_PUBLIC_KEY = 2;
/** PKCS#11 object class `CKO_PRIVATE_KEY`. */
export const CKO_PRIVATE_KEY = 3;
/** PKCS#11 key type `CKK_RSA`. */
export const CKK_RSA = 0;
/** PKCS#11 key type `CKK_EC`. */
export const CKK_EC = 3;

/** One object's attributes, tag → raw value, in blob order. */
export type Attributes = ReadonlyMap<number, Uint8Array>;

function name(tag: number): string {
  const entry = Object.entries(ATTR).find(([, v]) => v === tag);
  return entry === undefined ? `0x${tag.toString(16).padStart(8, '0')}` : `OBJ_ATTR_${entry[0]}`;
}

function get(attrs: Attributes, tag: number, field: string): Uint8Array {
  const v = attrs.get(tag);
  if (v === undefined) {
    throw new MalformedError('MARVELL_ATTRIBUTE_MISSING', `${field}: no ${name(tag)} attribute`, { field });
  }
  return v;
}

/** A CK_BBOOL attribute: one byte, 0 or 1 (anything else is refused). */
export function boolAttr(attrs: Attributes, tag: number, field: string): boolean {
  const v = get(attrs, tag, field);
  if (v.length !== 1 || v[0]! > 1) {
    throw new MalformedError('MARVELL_ATTRIBUTE_INVALID', `${field}: ${name(tag)} is not a 0/1 byte`, {
      field,
    });
  }
  return v[0] === 1;
}

/** A one-byte enumerated attribute (CLASS, KEY_TYPE). */
export function byteAttr(attrs: Attributes, tag: number, field: string): number {
  const v = get(attrs, tag, field);
  if (v.length !== 1) {
    throw new MalformedError('MARVELL_ATTRIBUTE_INVALID', `${field}: ${name(tag)} is not one byte`, {
      field,
    });
  }
  return v[0]!;
}

/** A u32 attribute (MODULUS_BITS, VALUE_LEN), big-endian. */
export function u32Attr(attrs: Attributes, tag: number, field: string): number {
  const v = get(attrs, tag, field);
  if (v.length !== 4) {
    throw new MalformedError('MARVELL_ATTRIBUTE_INVALID', `${field}: ${name(tag)} is not 4 bytes`, { field });
  }
  return ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
}

/** A byte-string attribute, optionally of an exact length. */
export function bytesAttr(attrs: Attributes, tag: number, field: string, length?: number): Uint8Array {
  const v = get(attrs, tag, field);
  if (length !== undefined && v.length !== length) {
    throw new MalformedError(
      'MARVELL_ATTRIBUTE_INVALID',
      `${field}: ${name(tag)} is ${v.length} bytes, want ${length}`,
      { field },
    );
  }
  return v;
}

/**
 * A NUL-padded text attribute (LABEL): printable ASCII, then only NUL bytes.
 *
 * @throws MalformedError `MARVELL_ATTRIBUTE_INVALID` for other bytes, or text after the padding.
 */
export function textAttr(attrs: Attributes, tag: number, field: string): string {
  const v = get(attrs, tag, field);
  let end = v.indexOf(0);
  if (end < 0) end = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (i < end ? c < 0x20 || c > 0x7e : c !== 0) {
      throw new MalformedError(
        'MARVELL_ATTRIBUTE_INVALID',
        `${field}: ${name(tag)} is not NUL-padded ASCII`,
        {
          field,
        },
      );
    }
  }
  return String.fromCharCode(...v.subarray(0, end));
}
