/**
 * Object templates for `C_GenerateKeyPair`. Both halves are token objects with one `CKA_LABEL` and
 * one random `CKA_ID`; neither may be modified or copied after creation.
 *
 * The private key is `CKA_TOKEN`, `CKA_PRIVATE` and `CKA_SENSITIVE` true and `CKA_EXTRACTABLE`
 * false (so the token also sets `CKA_ALWAYS_SENSITIVE` and `CKA_NEVER_EXTRACTABLE`), with exactly
 * the requested usage: `CKA_SIGN` and/or `CKA_DERIVE`; decryption, unwrapping and sign-recover are
 * off. The public key is not private (anyone may read it) and verifies only if the pair signs.
 */
import pkcs11js from 'pkcs11js';
import type { Template } from 'pkcs11js';
import type { KeyUsage } from '../types.js';
import type { AlgorithmProfile } from './constants.js';

/** The public and private templates for a new pair. */
export interface PairTemplates {
  publicKey: Template;
  privateKey: Template;
}

/**
 * Templates for a new key pair of `profile` labelled `label` with id `id` and `usages`.
 * Precondition: `usages` is a non-empty subset of `profile.usages` (checked by the caller).
 */
export function pairTemplates(
  profile: AlgorithmProfile,
  label: string,
  id: Uint8Array,
  usages: readonly KeyUsage[],
): PairTemplates {
  const sign = usages.includes('sign');
  const derive = usages.includes('derive');
  const common: Template = [
    { type: pkcs11js.CKA_KEY_TYPE, value: profile.keyType },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: Buffer.from(id) },
    { type: pkcs11js.CKA_MODIFIABLE, value: false },
    { type: pkcs11js.CKA_COPYABLE, value: false },
  ];
  return {
    publicKey: [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      ...common,
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(profile.ecParams) },
      { type: pkcs11js.CKA_VERIFY, value: sign },
      { type: pkcs11js.CKA_ENCRYPT, value: false },
      { type: pkcs11js.CKA_WRAP, value: false },
    ],
    privateKey: [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      ...common,
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_SIGN, value: sign },
      { type: pkcs11js.CKA_DERIVE, value: derive },
      { type: pkcs11js.CKA_DECRYPT, value: false },
      { type: pkcs11js.CKA_UNWRAP, value: false },
      { type: pkcs11js.CKA_SIGN_RECOVER, value: false },
    ],
  };
}
