/**
 * Builds `pkcs11-attributes/v1` attestations (docs/attestation-pkcs11-attributes.md) for tokens
 * without vendor attestation: the token's identity and the key's security attributes as the token
 * reports them, bound to the caller's challenge, with a proof of possession signed by the attested
 * key inside the token (sign keys only; derive-only keys record `pop: "none"`).
 *
 * Runs inside the module's queue (the caller holds it).
 */
import pkcs11js from 'pkcs11js';
import { UsageError } from '../../errors.js';
import {
  PKCS11_ATTRIBUTES_FORMAT,
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesPopMessage,
  verifyPkcs11Attributes,
} from '../../attest/pkcs11-attributes/index.js';
import type { Pkcs11AttributesBody, Pkcs11KeyAttributes } from '../../attest/pkcs11-attributes/index.js';
import type { KeyAttestation } from '../../attest/types.js';
import { readBool, readNumber } from './attributes.js';
import type { KeyPairObjects, SessionContext } from './keys.js';
import { signInToken } from './operations.js';
import { versionString } from './tokens.js';

/** Longest challenge accepted (the statement format's bound). */
export const MAX_CHALLENGE_BYTES = 1024;

/** The recorded attributes of a private key, read one by one (null when not reported). */
export function readKeyAttributes(ctx: SessionContext, privateKey: Buffer): Pkcs11KeyAttributes {
  const b = (type: number): boolean | null => readBool(ctx.p, ctx.session, privateKey, type);
  return {
    CKA_LOCAL: b(pkcs11js.CKA_LOCAL),
    CKA_NEVER_EXTRACTABLE: b(pkcs11js.CKA_NEVER_EXTRACTABLE),
    CKA_ALWAYS_SENSITIVE: b(pkcs11js.CKA_ALWAYS_SENSITIVE),
    CKA_SENSITIVE: b(pkcs11js.CKA_SENSITIVE),
    CKA_EXTRACTABLE: b(pkcs11js.CKA_EXTRACTABLE),
    CKA_KEY_GEN_MECHANISM: readNumber(ctx.p, ctx.session, privateKey, pkcs11js.CKA_KEY_GEN_MECHANISM),
    CKA_SIGN: b(pkcs11js.CKA_SIGN),
    CKA_DERIVE: b(pkcs11js.CKA_DERIVE),
  };
}

/**
 * The attestation of `pair` on the token in `slot`, bound to `challenge`, timed `now`.
 *
 * @throws UsageError `HSM_CHALLENGE_INVALID` (not bytes, or over {@link MAX_CHALLENGE_BYTES});
 *   `HSM_ATTESTATION_FAILED` if the statement does not verify right after it was made (the token
 *   misbehaved). pkcs11js errors propagate (the caller maps them).
 */
export async function attestKeyPair(
  ctx: SessionContext,
  slot: Buffer,
  pair: KeyPairObjects,
  challenge: Uint8Array,
  now: Date,
): Promise<KeyAttestation> {
  if (!(challenge instanceof Uint8Array) || challenge.length > MAX_CHALLENGE_BYTES) {
    throw new UsageError('HSM_CHALLENGE_INVALID', `challenge must be at most ${MAX_CHALLENGE_BYTES} bytes`, {
      field: 'challenge',
    });
  }
  const info = ctx.p.C_GetTokenInfo(slot);
  const attributes = readKeyAttributes(ctx, pair.privateKey);
  const body: Pkcs11AttributesBody = {
    format: PKCS11_ATTRIBUTES_FORMAT,
    token: {
      manufacturer: info.manufacturerID.trimEnd(),
      model: info.model.trimEnd(),
      serial: info.serialNumber.trimEnd(),
      label: info.label.trimEnd(),
      hardwareVersion: versionString(info.hardwareVersion),
      firmwareVersion: versionString(info.firmwareVersion),
    },
    key: {
      label: pair.label,
      id: pair.id,
      algorithm: pair.algorithm,
      publicKey: pair.publicKey,
      keyType: readNumber(ctx.p, ctx.session, pair.privateKey, pkcs11js.CKA_KEY_TYPE) ?? 0,
      attributes,
    },
    challenge: challenge.slice(),
    time: now.getTime(),
    pop: attributes.CKA_SIGN === true ? 'signature' : 'none',
  };
  const bodyBytes = encodePkcs11AttributesBody(body);
  const signature =
    body.pop === 'signature'
      ? await signInToken(ctx, pair, pkcs11AttributesPopMessage(bodyBytes, body.challenge))
      : null;
  const attestation: KeyAttestation = {
    format: PKCS11_ATTRIBUTES_FORMAT,
    statement: encodePkcs11AttributesStatement(bodyBytes, signature),
    chain: [],
  };
  // Check what we hand out: a PoP that does not verify means the token signed with another key.
  const popFailures = verifyPkcs11Attributes(attestation, { trustedRoots: [], now }).failures.filter(
    (f) => f.code.startsWith('ATTEST_POP') || f.code === 'ATTEST_MALFORMED',
  );
  if (popFailures.length > 0) {
    throw new UsageError(
      'HSM_ATTESTATION_FAILED',
      `attestation of key '${pair.label}' on token '${ctx.token}' does not verify: ${popFailures.map((f) => f.reason).join('; ')}`,
    );
  }
  return attestation;
}
