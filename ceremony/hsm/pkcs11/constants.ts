/**
 * PKCS#11 numbers the backend uses, including the PKCS#11 3.0 Edwards-curve values pkcs11js 2.1
 * has no names for (PKCS#11 v3.0 §6.3), and the DER `CKA_EC_PARAMS` of each supported curve.
 *
 * The backend supports exactly two key algorithms: Ed25519 (`CKK_EC_EDWARDS`, generated with
 * `CKM_EC_EDWARDS_KEY_PAIR_GEN`, signing with `CKM_EDDSA`) and P-256 (`CKK_EC`, generated with
 * `CKM_EC_KEY_PAIR_GEN`, signing with `CKM_ECDSA` over a host-computed SHA-256 digest, ECDH with
 * `CKM_ECDH1_DERIVE`). X25519 is refused: SoftHSM2 2.6 cannot generate Montgomery keys.
 */
import pkcs11js from 'pkcs11js';
import type { KeyAlgorithm } from '../types.js';

/** `CKK_EC_EDWARDS` (PKCS#11 v3.0). */
export const CKK_EC_EDWARDS = 0x40;
/** `CKM_EC_EDWARDS_KEY_PAIR_GEN` (PKCS#11 v3.0). */
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
/** `CKM_EDDSA` (PKCS#11 v3.0); without parameters it is pure Ed25519 (RFC 8032). */
export const CKM_EDDSA = 0x1057;

/** DER OID 1.2.840.10045.3.1.7 (secp256r1 / P-256): the P-256 `CKA_EC_PARAMS`. */
export const EC_PARAMS_P256 = Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);
/** DER OID 1.3.101.112 (id-Ed25519, RFC 8410): the Ed25519 `CKA_EC_PARAMS` we write. */
export const EC_PARAMS_ED25519_OID = Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x70);
/** DER PrintableString "edwards25519": the other Ed25519 `CKA_EC_PARAMS` form (PKCS#11 v3.0). */
export const EC_PARAMS_ED25519_NAME = Uint8Array.of(
  0x13,
  0x0c,
  ...Array.from('edwards25519', (c) => c.charCodeAt(0)),
);

/** How one supported algorithm maps onto PKCS#11. */
export interface AlgorithmProfile {
  algorithm: Exclude<KeyAlgorithm, 'x25519'>;
  keyType: number;
  keyGenMechanism: number;
  signMechanism: number;
  /** `CKA_EC_PARAMS` written at generation. */
  ecParams: Uint8Array;
  /** Length of the raw public key (Ed25519 32, P-256 uncompressed 65). */
  publicKeyLength: number;
  /** Usages this algorithm allows. */
  usages: ReadonlyArray<'sign' | 'derive'>;
}

/** The two supported algorithms. */
export const PROFILES: Readonly<Record<'ed25519' | 'p256', AlgorithmProfile>> = {
  ed25519: {
    algorithm: 'ed25519',
    keyType: CKK_EC_EDWARDS,
    keyGenMechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN,
    signMechanism: CKM_EDDSA,
    ecParams: EC_PARAMS_ED25519_OID,
    publicKeyLength: 32,
    usages: ['sign'],
  },
  p256: {
    algorithm: 'p256',
    keyType: pkcs11js.CKK_EC,
    keyGenMechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN,
    signMechanism: pkcs11js.CKM_ECDSA,
    ecParams: EC_PARAMS_P256,
    publicKeyLength: 65,
    usages: ['sign', 'derive'],
  },
};

/** The mechanism that derives an ECDH shared secret with a P-256 key. */
export const CKM_ECDH1_DERIVE: number = pkcs11js.CKM_ECDH1_DERIVE;

/** Length of the random `CKA_ID` given to both halves of a new key pair. */
export const KEY_ID_LENGTH = 16;

/** Longest key label accepted (bytes of UTF-8); tokens store labels as byte strings. */
export const MAX_KEY_LABEL_BYTES = 128;
