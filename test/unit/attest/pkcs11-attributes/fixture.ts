/**
 * Good `pkcs11-attributes/v1` fixtures made on the host (keys from ceremony/crypto), as a
 * conforming token would make them, and helpers to change exactly one thing.
 */
import {
  PKCS11_ATTRIBUTES_FORMAT,
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesPopMessage,
} from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import type { Pkcs11AttributesBody } from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import type { AttestationVerifyOptions, KeyAttestation } from '../../../../ceremony/attest/types.js';
import { ed25519, p256 } from '../../../../ceremony/crypto/index.js';
import type { KeyPair } from '../../../../ceremony/crypto/index.js';

export const CHALLENGE = Uint8Array.from({ length: 32 }, (_, i) => i);
export const NOW = new Date('2026-01-02T03:04:05Z');
export const OPTIONS: AttestationVerifyOptions = { trustedRoots: [], now: NOW, expectedChallenge: CHALLENGE };

export type Kind = 'ed25519' | 'p256' | 'p256-derive';

/** A fixture: the key pair, the body, and the evidence. */
export interface Fixture {
  keys: KeyPair;
  body: Pkcs11AttributesBody;
  evidence: KeyAttestation;
}

const keyCache = new Map<Kind, KeyPair>();

function keysFor(kind: Kind): KeyPair {
  let k = keyCache.get(kind);
  if (k === undefined) {
    k = kind === 'ed25519' ? ed25519.generateKeyPair() : p256.generateKeyPair();
    keyCache.set(kind, k);
  }
  return k;
}

/** The body a conforming token reports for a freshly generated key of `kind`. */
export function goodBody(kind: Kind, publicKey: Uint8Array): Pkcs11AttributesBody {
  const derive = kind === 'p256-derive';
  return {
    format: PKCS11_ATTRIBUTES_FORMAT,
    token: {
      manufacturer: 'SoftHSM project',
      model: 'SoftHSM v2',
      serial: '0123456789abcdef',
      label: 'fleet-hsm-1',
      hardwareVersion: '2.6',
      firmwareVersion: '2.6',
    },
    key: {
      label: `fleet-${kind}`,
      id: Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i),
      algorithm: kind === 'ed25519' ? 'ed25519' : 'p256',
      publicKey,
      keyType: kind === 'ed25519' ? 0x40 : 0x03,
      attributes: {
        CKA_LOCAL: true,
        CKA_NEVER_EXTRACTABLE: true,
        CKA_ALWAYS_SENSITIVE: true,
        CKA_SENSITIVE: true,
        CKA_EXTRACTABLE: false,
        CKA_KEY_GEN_MECHANISM: kind === 'ed25519' ? 0x1055 : 0x1040,
        CKA_SIGN: !derive,
        CKA_DERIVE: derive,
      },
    },
    challenge: CHALLENGE,
    time: Date.parse('2026-01-02T03:00:00Z'),
    pop: derive ? 'none' : 'signature',
  };
}

/** Signs the PoP message of `bodyBytes` with `keys` the way the token does. */
export function popSignature(
  kind: Kind,
  keys: KeyPair,
  bodyBytes: Uint8Array,
  challenge: Uint8Array,
): Uint8Array {
  const message = pkcs11AttributesPopMessage(bodyBytes, challenge);
  return kind === 'ed25519' ? ed25519.sign(keys.secretKey, message) : p256.sign(keys.secretKey, message);
}

/**
 * A fixture of `kind`; `edit` changes the body before it is encoded and signed (so the PoP stays
 * valid and only the edited property is wrong).
 */
export function fixture(kind: Kind, edit: (b: Pkcs11AttributesBody) => void = () => undefined): Fixture {
  const keys = keysFor(kind);
  const body = goodBody(kind, keys.publicKey);
  edit(body);
  const bodyBytes = encodePkcs11AttributesBody(body);
  const signature = body.pop === 'signature' ? popSignature(kind, keys, bodyBytes, body.challenge) : null;
  return {
    keys,
    body,
    evidence: {
      format: PKCS11_ATTRIBUTES_FORMAT,
      statement: encodePkcs11AttributesStatement(bodyBytes, signature),
      chain: [],
    },
  };
}
