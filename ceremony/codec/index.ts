/**
 * Strict encodings every format of fleet-ceremony uses (docs/codec.md): deterministic CBOR,
 * canonical base64, hex and decimal, PEM, and byte utilities. Re-exports only.
 */

// Deterministic CBOR (RFC 8949 §4.2.1)
export { encodeCbor } from './cbor-encode.js';
export { decodeCbor } from './cbor-decode.js';
export { CBOR_DEFAULT_MAX_BYTES, CBOR_DEFAULT_MAX_DEPTH, CBOR_MAX_DEPTH_LIMIT } from './cbor-types.js';
export type {
  CborInput,
  CborKey,
  CborMap,
  CborObject,
  CborValue,
  DecodeCborOptions,
  EncodeCborOptions,
} from './cbor-types.js';

// Typed access to decoded CBOR
export {
  cborTypeName,
  expectArray,
  expectBool,
  expectBytes,
  expectMap,
  expectText,
  expectUint,
  expectUint64,
} from './cbor-expect.js';
export type { LengthBounds } from './cbor-expect.js';
export {
  expectFields,
  fieldPath,
  getArray,
  getBool,
  getBytes,
  getField,
  getMap,
  getText,
  getUint,
  getUint64,
} from './cbor-fields.js';

// Text encodings
export { base64Decode, base64Encode } from './base64.js';
export { hexDecode, hexEncode } from './hex.js';
export { MAX_DECIMAL, formatDecimal, parseDecimal } from './decimal.js';
export { pemDecode, pemDecodeAll, pemEncode } from './pem.js';
export type { PemBlock, PemDecodeOptions } from './pem.js';

// Bytes
export {
  compareBytes,
  concatBytes,
  equalBytes,
  isUtf8,
  readU64be,
  u64be,
  utf8Decode,
  utf8Encode,
} from './bytes.js';
