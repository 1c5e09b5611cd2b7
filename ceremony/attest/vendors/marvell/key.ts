/**
 * The attested key of a LiquidSecurity blob: its public key rebuilt from the attribute records and
 * checked against the blob's own check values, and the attributes policy reads.
 *
 * - KCV (`OBJ_ATTR_KCV`) is the first 3 bytes of SHA-1 over the SubjectPublicKeyInfo, and EKCV
 *   (`OBJ_ATTR_EKCV`) its SHA-256: both must match the SPKI rebuilt here (for EC keys, this also
 *   confirms the curve, which the blob only implies by the point's length).
 * - When a public-key object comes with the private one (a key pair), it must carry the same key.
 *
 * Portable: no `node:` imports.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { equalBytes } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import type { AttestationFailure } from '../../types.js';
import { failure } from '../../codes.js';
import type { Attributes } from './attributes.js';
import {
  ATTR,
  CKK_EC,
  CKK_RSA,
  CKO_PRIVATE_KEY,
  CKO_PUBLIC_KEY,
  boolAttr,
  byteAttr,
  bytesAttr,
  textAttr,
  u32Attr,
} from './attributes.js';
import type { MarvellObject } from './blob.js';
import type { SpkiKey } from '../../x509/spki.js';
import {
  NAMED_CURVES,
  encodeEcSpki,
  encodeRsaSpki,
  keyAlgorithmName,
  publicKeyProblem,
} from '../../x509/spki.js';

/** What the blob says about the attested private key. */
export interface MarvellKey {
  handle: number;
  label: string;
  /** e.g. `ec-p256`, `rsa-4096`. */
  algorithm: string;
  spki: Uint8Array;
  local: boolean;
  extractable: boolean;
  neverExtractable: boolean;
  sensitive: boolean;
  alwaysSensitive: boolean;
  usages: string[];
}

const USAGES: ReadonlyArray<[number, string]> = [
  [ATTR.SIGN, 'sign'],
  [ATTR.DECRYPT, 'decrypt'],
  [ATTR.UNWRAP, 'unwrap'],
  [ATTR.DERIVE, 'derive'],
];

function malformed(field: string, reason: string): never {
  throw new MalformedError('MARVELL_BLOB_INVALID', `${field}: ${reason}`, { field });
}

/** Rebuilds the SPKI of an object and names its algorithm. */
function publicKey(a: Attributes, field: string): { spki: Uint8Array; algorithm: string } {
  const type = byteAttr(a, ATTR.KEY_TYPE, field);
  const modulus = bytesAttr(a, ATTR.MODULUS, field);
  if (type === CKK_EC) {
    // The blob names no curve: the point's length tells it, and the check values confirm it.
    const curve = Object.values(NAMED_CURVES).find((c) => modulus.length === 1 + 2 * c.size)?.name;
    const key: SpkiKey | undefined =
      curve === undefined ? undefined : { type: 'ec', curve, publicKey: modulus };
    if (key === undefined || modulus[0] !== 0x04 || publicKeyProblem(key) !== undefined)
      malformed(field, 'OBJ_ATTR_MODULUS is not an uncompressed point on P-256, P-384 or P-521');
    return { spki: encodeEcSpki(key.curve, modulus), algorithm: keyAlgorithmName(key) };
  }
  if (type === CKK_RSA) {
    const bits = u32Attr(a, ATTR.MODULUS_BITS, field);
    if (modulus.length * 8 !== bits || modulus[0]! < 0x80)
      malformed(field, `the modulus is not ${bits} bits`);
    const e = bytesAttr(a, ATTR.PUBLIC_EXPONENT, field);
    if (e.length === 0 || e[0] === 0 || (e[e.length - 1]! & 1) === 0)
      malformed(field, 'bad RSA public exponent');
    const spki = encodeRsaSpki(modulus, e);
    return { spki, algorithm: `rsa-${bits}` };
  }
  malformed(field, `key type ${type} is not CKK_RSA or CKK_EC`);
}

/**
 * Finds the private key among the objects and reads it; pushes ATTEST_ATTRIBUTE_MISMATCH failures
 * for check values or a public-key object that disagree.
 *
 * @throws MalformedError `MARVELL_BLOB_INVALID` / `MARVELL_ATTRIBUTE_*` for missing or bad attributes.
 */
export function readAttestedKey(
  objects: readonly MarvellObject[],
  failures: AttestationFailure[],
): MarvellKey {
  const classes = objects.map((o, i) => byteAttr(o.attributes, ATTR.CLASS, `objects[${i}]`));
  const priv = classes.indexOf(CKO_PRIVATE_KEY);
  if (priv < 0 || classes.lastIndexOf(CKO_PRIVATE_KEY) !== priv)
    malformed('objects', 'want exactly one private key object');
  if (classes.some((c) => c !== CKO_PRIVATE_KEY && c !== CKO_PUBLIC_KEY))
    malformed('objects', 'an object is not a key');
  const field = `objects[${priv}]`;
  const a = objects[priv]!.attributes;
  const { spki, algorithm } = publicKey(a, field);
  const kcv = bytesAttr(a, ATTR.KCV, field, 3);
  const ekcv = bytesAttr(a, ATTR.EKCV, field, 32);
  if (!equalBytes(kcv, sha1(spki).subarray(0, 3))) {
    failures.push(
      failure('ATTEST_ATTRIBUTE_MISMATCH', `${field}: OBJ_ATTR_KCV is not SHA-1 of the key's SPKI`),
    );
  }
  if (!equalBytes(ekcv, sha256(spki))) {
    failures.push(
      failure('ATTEST_ATTRIBUTE_MISMATCH', `${field}: OBJ_ATTR_EKCV is not SHA-256 of the key's SPKI`),
    );
  }
  objects.forEach((o, i) => {
    if (i === priv) return;
    const other = publicKey(o.attributes, `objects[${i}]`);
    const same =
      equalBytes(other.spki, spki) &&
      equalBytes(bytesAttr(o.attributes, ATTR.KCV, `objects[${i}]`, 3), kcv) &&
      equalBytes(bytesAttr(o.attributes, ATTR.EKCV, `objects[${i}]`, 32), ekcv);
    if (!same)
      failures.push(
        failure('ATTEST_ATTRIBUTE_MISMATCH', `objects[${i}]: the public key object carries another key`),
      );
  });
  return {
    handle: objects[priv]!.handle,
    label: textAttr(a, ATTR.LABEL, field),
    algorithm,
    spki,
    local: boolAttr(a, ATTR.LOCAL, field),
    extractable: boolAttr(a, ATTR.EXTRACTABLE, field),
    neverExtractable: boolAttr(a, ATTR.NEVER_EXTRACTABLE, field),
    sensitive: boolAttr(a, ATTR.SENSITIVE, field),
    alwaysSensitive: boolAttr(a, ATTR.ALWAYS_SENSITIVE, field),
    usages: USAGES.filter(([tag]) => boolAttr(a, tag, field)).map(([, name]) => name),
  };
}
