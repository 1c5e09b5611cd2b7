/**
 * Strict decoding of a `pkcs11-attributes/v1` statement: deterministic CBOR only (the codec
 * re-encodes and compares), bounded size and depth, exactly the documented fields, each of the
 * documented type and length. Semantics (policy, PoP) are checked by ./verify.ts.
 *
 * Portable: no `node:` imports.
 */
import {
  decodeCbor,
  expectFields,
  expectMap,
  fieldPath,
  getBool,
  getBytes,
  getField,
  getMap,
  getText,
  getUint,
} from '../../codec/index.js';
import type { CborMap } from '../../codec/index.js';
import { MalformedError } from '../../errors.js';
import { PKCS11_ATTRIBUTES_FORMAT, PKCS11_ATTRIBUTES_MAX_BYTES } from './statement.js';
import type {
  Pkcs11AttributesBody,
  Pkcs11KeyAttributes,
  Pkcs11KeyFacts,
  Pkcs11TokenFacts,
} from './statement.js';

/** A decoded statement: the body, its exact bytes (what the PoP covers) and the signature. */
export interface DecodedPkcs11Statement {
  body: Pkcs11AttributesBody;
  bodyBytes: Uint8Array;
  signature: Uint8Array | null;
}

const VERSION = /[0-9]{1,3}\.[0-9]{1,3}/;
const BOOL_ATTRIBUTES = [
  'CKA_LOCAL',
  'CKA_NEVER_EXTRACTABLE',
  'CKA_ALWAYS_SENSITIVE',
  'CKA_SENSITIVE',
  'CKA_EXTRACTABLE',
  'CKA_SIGN',
  'CKA_DERIVE',
] as const;

function token(m: CborMap, path: string): Pkcs11TokenFacts {
  const keys = ['manufacturer', 'model', 'serial', 'label', 'hardwareVersion', 'firmwareVersion'];
  expectFields(m, path, { required: keys });
  return {
    manufacturer: getText(m, 'manufacturer', path, { maxLength: 32 }),
    model: getText(m, 'model', path, { maxLength: 16 }),
    serial: getText(m, 'serial', path, { maxLength: 16 }),
    label: getText(m, 'label', path, { maxLength: 32 }),
    hardwareVersion: getText(m, 'hardwareVersion', path, { pattern: VERSION }),
    firmwareVersion: getText(m, 'firmwareVersion', path, { pattern: VERSION }),
  };
}

function attributes(m: CborMap, path: string): Pkcs11KeyAttributes {
  expectFields(m, path, { required: [...BOOL_ATTRIBUTES, 'CKA_KEY_GEN_MECHANISM'] });
  const bool = (k: (typeof BOOL_ATTRIBUTES)[number]): boolean | null =>
    getField(m, k, path) === null ? null : getBool(m, k, path);
  const mech =
    getField(m, 'CKA_KEY_GEN_MECHANISM', path) === null ? null : getUint(m, 'CKA_KEY_GEN_MECHANISM', path);
  return {
    CKA_LOCAL: bool('CKA_LOCAL'),
    CKA_NEVER_EXTRACTABLE: bool('CKA_NEVER_EXTRACTABLE'),
    CKA_ALWAYS_SENSITIVE: bool('CKA_ALWAYS_SENSITIVE'),
    CKA_SENSITIVE: bool('CKA_SENSITIVE'),
    CKA_EXTRACTABLE: bool('CKA_EXTRACTABLE'),
    CKA_KEY_GEN_MECHANISM: mech,
    CKA_SIGN: bool('CKA_SIGN'),
    CKA_DERIVE: bool('CKA_DERIVE'),
  };
}

function key(m: CborMap, path: string): Pkcs11KeyFacts {
  expectFields(m, path, { required: ['label', 'id', 'algorithm', 'publicKey', 'keyType', 'attributes'] });
  const algorithm = getText(m, 'algorithm', path, { pattern: /ed25519|p256/ }) as 'ed25519' | 'p256';
  return {
    label: getText(m, 'label', path, { minLength: 1, maxLength: 128 }),
    id: getBytes(m, 'id', path, { maxLength: 64 }),
    algorithm,
    publicKey: getBytes(m, 'publicKey', path, { length: algorithm === 'ed25519' ? 32 : 65 }),
    keyType: getUint(m, 'keyType', path, { max: 0xffff_ffff }),
    attributes: attributes(getMap(m, 'attributes', path), fieldPath(path, 'attributes')),
  };
}

function body(m: CborMap, path: string): Pkcs11AttributesBody {
  expectFields(m, path, { required: ['format', 'token', 'key', 'challenge', 'time', 'pop'] });
  const format = getText(m, 'format', path);
  if (format !== PKCS11_ATTRIBUTES_FORMAT) {
    throw new MalformedError(
      'FIELD_PATTERN',
      `${path}.format: got '${format}', want '${PKCS11_ATTRIBUTES_FORMAT}'`,
      {
        field: fieldPath(path, 'format'),
      },
    );
  }
  return {
    format: PKCS11_ATTRIBUTES_FORMAT,
    token: token(getMap(m, 'token', path), fieldPath(path, 'token')),
    key: key(getMap(m, 'key', path), fieldPath(path, 'key')),
    challenge: getBytes(m, 'challenge', path, { maxLength: 1024 }),
    time: getUint(m, 'time', path),
    pop: getText(m, 'pop', path, { pattern: /signature|none/ }) as 'signature' | 'none',
  };
}

/**
 * Decodes statement bytes.
 *
 * @throws MalformedError (codec codes `CBOR_*`, `FIELD_*`) naming the offending field, e.g.
 *   `statement.body.key.attributes.CKA_LOCAL`.
 */
export function decodePkcs11AttributesStatement(bytes: Uint8Array): DecodedPkcs11Statement {
  const outer = expectMap(
    decodeCbor(bytes, { maxBytes: PKCS11_ATTRIBUTES_MAX_BYTES, maxDepth: 1, field: 'statement' }),
    'statement',
  );
  expectFields(outer, 'statement', { required: ['body', 'signature'] });
  const bodyBytes = getBytes(outer, 'body', 'statement', { maxLength: PKCS11_ATTRIBUTES_MAX_BYTES });
  const signature =
    getField(outer, 'signature', 'statement') === null
      ? null
      : getBytes(outer, 'signature', 'statement', { length: 64 });
  const inner = expectMap(
    decodeCbor(bodyBytes, { maxBytes: PKCS11_ATTRIBUTES_MAX_BYTES, maxDepth: 3, field: 'statement.body' }),
    'statement.body',
  );
  return { body: body(inner, 'statement.body'), bodyBytes, signature };
}
