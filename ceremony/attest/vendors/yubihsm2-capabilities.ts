/**
 * YubiHSM 2 capability names by bit number (Yubico, "YubiHSM 2 Capabilities", and
 * `yubihsm-shell` lib/yubihsm.h `yh_capability`). Bit 16, `exportable-under-wrap`, is the one
 * attestation verification acts on.
 *
 * Portable: no `node:` imports.
 */

/** Capability name of each bit, index = bit number. */
export const YUBIHSM_CAPABILITIES: readonly string[] = [
  'get-opaque', // 0
  'put-opaque',
  'put-authentication-key',
  'put-asymmetric-key',
  'generate-asymmetric-key',
  'sign-pkcs', // 5
  'sign-pss',
  'sign-ecdsa',
  'sign-eddsa',
  'decrypt-pkcs',
  'decrypt-oaep', // 10
  'derive-ecdh',
  'export-wrapped',
  'import-wrapped',
  'put-wrap-key',
  'generate-wrap-key', // 15
  'exportable-under-wrap',
  'set-option',
  'get-option',
  'get-pseudo-random',
  'put-mac-key', // 20
  'generate-hmac-key',
  'sign-hmac',
  'verify-hmac',
  'get-log-entries',
  'sign-ssh-certificate', // 25
  'get-template',
  'put-template',
  'reset-device',
  'decrypt-otp',
  'create-otp-aead', // 30
  'randomize-otp-aead',
  'rewrap-from-otp-aead-key',
  'rewrap-to-otp-aead-key',
  'sign-attestation-certificate',
  'put-otp-aead-key', // 35
  'generate-otp-aead-key',
  'wrap-data',
  'unwrap-data',
  'delete-opaque',
  'delete-authentication-key', // 40
  'delete-asymmetric-key',
  'delete-wrap-key',
  'delete-hmac-key',
  'delete-template',
  'delete-otp-aead-key', // 45
  'change-authentication-key',
  'put-symmetric-key',
  'generate-symmetric-key',
  'delete-symmetric-key',
  'decrypt-ecb', // 50
  'encrypt-ecb',
  'decrypt-cbc',
  'encrypt-cbc',
];
