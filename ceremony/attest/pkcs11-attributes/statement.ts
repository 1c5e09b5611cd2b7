/**
 * The `pkcs11-attributes/v1` statement (docs/attestation-pkcs11-attributes.md): what a PKCS#11
 * token without vendor attestation reports about a key, encoded as deterministic CBOR, plus a
 * proof of possession (PoP) signed by the attested key itself inside the token.
 *
 * ```
 * statement = { "body": bstr .cbor body, "signature": bstr / null }
 * body = { "format": "pkcs11-attributes/v1", "token": {...}, "key": {...},
 *          "challenge": bstr, "time": uint (ms since the Unix epoch, UTC),
 *          "pop": "signature" / "none" }
 * PoP message = "fleet-ceremony pkcs11-attributes/v1 proof-of-possession" || 0x00
 *               || SHA-256(body bytes) || SHA-256(challenge)
 * ```
 *
 * The attributes are the token's own report: software we do not control could report anything.
 * The PoP proves only that whoever produced the statement could sign with the attested key.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes, encodeCbor, utf8Encode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';

/** The format identifier, in `KeyAttestation.format` and in the body. */
export const PKCS11_ATTRIBUTES_FORMAT = 'pkcs11-attributes/v1';

/** The domain-separation prefix of the PoP message (followed by one 0x00 byte). */
export const PKCS11_ATTRIBUTES_POP_CONTEXT = 'fleet-ceremony pkcs11-attributes/v1 proof-of-possession';

/** Largest statement accepted by the decoder, in bytes. */
export const PKCS11_ATTRIBUTES_MAX_BYTES = 8192;

/** The token as `C_GetTokenInfo` reports it (blank padding removed). */
export interface Pkcs11TokenFacts {
  manufacturer: string;
  model: string;
  serial: string;
  label: string;
  /** `major.minor`. */
  hardwareVersion: string;
  /** `major.minor`. */
  firmwareVersion: string;
}

/**
 * The recorded key attributes, named as in PKCS#11. `null` means the token did not report the
 * attribute (or reported `CK_UNAVAILABLE_INFORMATION` for `CKA_KEY_GEN_MECHANISM`).
 */
export interface Pkcs11KeyAttributes {
  CKA_LOCAL: boolean | null;
  CKA_NEVER_EXTRACTABLE: boolean | null;
  CKA_ALWAYS_SENSITIVE: boolean | null;
  CKA_SENSITIVE: boolean | null;
  CKA_EXTRACTABLE: boolean | null;
  CKA_KEY_GEN_MECHANISM: number | null;
  CKA_SIGN: boolean | null;
  CKA_DERIVE: boolean | null;
}

/** The attested key. */
export interface Pkcs11KeyFacts {
  label: string;
  /** `CKA_ID`. */
  id: Uint8Array;
  algorithm: 'ed25519' | 'p256';
  /** Raw public key: Ed25519 32 bytes, P-256 uncompressed 65 bytes. */
  publicKey: Uint8Array;
  /** `CKA_KEY_TYPE` of the private key (`CKK_EC_EDWARDS` 0x40, `CKK_EC` 0x03). */
  keyType: number;
  attributes: Pkcs11KeyAttributes;
}

/** The signed body of a statement. */
export interface Pkcs11AttributesBody {
  format: typeof PKCS11_ATTRIBUTES_FORMAT;
  token: Pkcs11TokenFacts;
  key: Pkcs11KeyFacts;
  challenge: Uint8Array;
  /** Milliseconds since the Unix epoch (UTC) when the token was read. */
  time: number;
  /** `signature` for keys that can sign; `none` for derive-only keys (no PoP is possible). */
  pop: 'signature' | 'none';
}

/**
 * The deterministic CBOR bytes of `body`.
 *
 * @throws UsageError/MalformedError from the CBOR encoder for values outside the profile.
 */
export function encodePkcs11AttributesBody(body: Pkcs11AttributesBody): Uint8Array {
  return encodeCbor({
    format: body.format,
    token: { ...body.token },
    key: { ...body.key, attributes: { ...body.key.attributes } },
    challenge: body.challenge,
    time: body.time,
    pop: body.pop,
  });
}

/** The message the attested key signs: context, 0x00, SHA-256(body bytes), SHA-256(challenge). */
export function pkcs11AttributesPopMessage(bodyBytes: Uint8Array, challenge: Uint8Array): Uint8Array {
  return concatBytes(
    utf8Encode(PKCS11_ATTRIBUTES_POP_CONTEXT),
    Uint8Array.of(0),
    sha256(bodyBytes),
    sha256(challenge),
  );
}

/** The statement bytes: the body bytes and the PoP signature (null for derive-only keys). */
export function encodePkcs11AttributesStatement(
  bodyBytes: Uint8Array,
  signature: Uint8Array | null,
): Uint8Array {
  return encodeCbor({ body: bodyBytes, signature });
}
