/**
 * Public keys as tokens store them. `CKA_EC_POINT` is, per PKCS#11, a DER OCTET STRING around the
 * point (SoftHSM2: `04 41 04…` for P-256, `04 20 …` for Ed25519); some tokens store the bare point.
 * Both forms are accepted and the raw key is returned. `CKA_EC_PARAMS` identifies the curve.
 */
import { MalformedError } from '../../errors.js';
import { EC_PARAMS_ED25519_NAME, EC_PARAMS_ED25519_OID, EC_PARAMS_P256 } from './constants.js';

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The curve named by a `CKA_EC_PARAMS` value, or undefined for any other curve.
 * Ed25519 may be given as the RFC 8410 OID or as the PrintableString "edwards25519".
 */
export function curveOfParams(params: Uint8Array): 'ed25519' | 'p256' | undefined {
  if (equal(params, EC_PARAMS_P256)) return 'p256';
  if (equal(params, EC_PARAMS_ED25519_OID) || equal(params, EC_PARAMS_ED25519_NAME)) return 'ed25519';
  return undefined;
}

/**
 * The raw public key in a `CKA_EC_POINT` value: 32 bytes (Ed25519) or a 65-byte uncompressed
 * point (P-256), with or without the DER OCTET STRING wrapper.
 *
 * @throws MalformedError `PKCS11_EC_POINT_INVALID` when the value is neither form.
 */
export function rawPublicKey(ecPoint: Uint8Array, algorithm: 'ed25519' | 'p256', label: string): Uint8Array {
  const n = algorithm === 'ed25519' ? 32 : 65;
  const isRaw = (b: Uint8Array): boolean => b.length === n && (algorithm === 'ed25519' || b[0] === 0x04);
  if (ecPoint.length === n + 2 && ecPoint[0] === 0x04 && ecPoint[1] === n && isRaw(ecPoint.subarray(2))) {
    return ecPoint.slice(2);
  }
  if (isRaw(ecPoint)) return ecPoint.slice();
  throw new MalformedError(
    'PKCS11_EC_POINT_INVALID',
    `CKA_EC_POINT of key '${label}' is not a ${algorithm} public key (${ecPoint.length} bytes)`,
    { field: 'CKA_EC_POINT' },
  );
}
