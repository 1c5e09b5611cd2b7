/**
 * The two private-key operations, run inside the token: signing and ECDH.
 *
 * - Ed25519: `CKM_EDDSA` without parameters (pure Ed25519, RFC 8032) over the message.
 * - P-256: `CKM_ECDSA` over SHA-256(message), computed on the host (SoftHSM2 2.6 has no
 *   `CKM_ECDSA_SHA256`); the token returns raw `r || s` (PKCS#11 v2.40 §2.3.1), 64 bytes.
 * - ECDH (P-256 only): `CKM_ECDH1_DERIVE` with `CKD_NULL` into a session object
 *   (`CKK_GENERIC_SECRET`, not a token object, extractable, not sensitive: the shared secret is
 *   the result the caller asked for), whose `CKA_VALUE` is read and which is destroyed at once.
 *
 * Every function here runs inside the module's queue (callers hold it).
 */
import pkcs11js from 'pkcs11js';
import type { ECDH1 } from 'pkcs11js';
import { p256 as nobleP256 } from '@noble/curves/nist.js';
import { MalformedError, UsageError } from '../../errors.js';
import { sha256 } from '../../crypto/index.js';
import { CKM_ECDH1_DERIVE, PROFILES } from './constants.js';
import type { KeyPairObjects, SessionContext } from './keys.js';

function requireUsage(ctx: SessionContext, pair: KeyPairObjects, usage: 'sign' | 'derive'): void {
  if (!pair.usages.includes(usage)) {
    throw new UsageError(
      'HSM_KEY_USAGE_NOT_PERMITTED',
      `key '${pair.label}' on token '${ctx.token}' is not a ${usage} key (usages: ${pair.usages.join(', ') || 'none'})`,
    );
  }
}

/**
 * Signs `message` with `pair` inside the token: Ed25519 over the message, or ECDSA P-256 over
 * SHA-256(message) as raw `r || s`.
 *
 * @throws UsageError `HSM_KEY_USAGE_NOT_PERMITTED` for a key without the sign usage; pkcs11js
 *   errors propagate (the caller maps them).
 */
export async function signInToken(
  ctx: SessionContext,
  pair: KeyPairObjects,
  message: Uint8Array,
): Promise<Uint8Array> {
  requireUsage(ctx, pair, 'sign');
  const profile = PROFILES[pair.algorithm];
  const input = pair.algorithm === 'p256' ? sha256(message) : message;
  ctx.p.C_SignInit(ctx.session, { mechanism: profile.signMechanism }, pair.privateKey);
  const out = await ctx.p.C_SignAsync(ctx.session, Buffer.from(input), Buffer.alloc(64));
  if (out.length !== 64) {
    throw new MalformedError(
      'PKCS11_SIGNATURE_INVALID',
      `token '${ctx.token}' returned a ${out.length}-byte signature for key '${pair.label}', want 64`,
    );
  }
  return new Uint8Array(out);
}

/**
 * Checks that `peer` is an uncompressed P-256 point on the curve (not the identity).
 *
 * @throws MalformedError `HSM_PEER_KEY_INVALID` otherwise.
 */
export function checkP256Peer(peer: Uint8Array): void {
  let ok = peer instanceof Uint8Array && peer.length === 65 && peer[0] === 0x04;
  if (ok) {
    try {
      nobleP256.Point.fromBytes(peer).assertValidity();
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new MalformedError(
      'HSM_PEER_KEY_INVALID',
      'peer public key is not an uncompressed P-256 point on the curve (65 bytes, 04 || X || Y)',
      { field: 'peerPublicKey' },
    );
  }
}

/**
 * ECDH between the P-256 key `pair` and `peerPublicKey` inside the token; returns the 32-byte
 * x-coordinate of the shared point (SEC 1 §3.3.1, as `CKD_NULL` yields it).
 *
 * @throws UsageError `HSM_KEY_USAGE_NOT_PERMITTED`; MalformedError `HSM_PEER_KEY_INVALID`.
 */
export async function deriveInToken(
  ctx: SessionContext,
  pair: KeyPairObjects,
  peerPublicKey: Uint8Array,
): Promise<Uint8Array> {
  requireUsage(ctx, pair, 'derive');
  if (pair.algorithm !== 'p256') {
    throw new UsageError(
      'HSM_KEY_USAGE_NOT_PERMITTED',
      `key '${pair.label}' is ${pair.algorithm}; ECDH needs p256`,
    );
  }
  checkP256Peer(peerPublicKey);
  const { p, session } = ctx;
  const parameter: ECDH1 = {
    type: pkcs11js.CK_PARAMS_EC_DH,
    kdf: pkcs11js.CKD_NULL,
    publicData: Buffer.from(peerPublicKey),
  };
  const derived = await p.C_DeriveKeyAsync(
    session,
    { mechanism: CKM_ECDH1_DERIVE, parameter },
    pair.privateKey,
    [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: false },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
    ],
  );
  try {
    const [attr] = p.C_GetAttributeValue(session, derived, [{ type: pkcs11js.CKA_VALUE }]);
    const value = attr?.value;
    if (value?.length !== 32) {
      throw new MalformedError(
        'PKCS11_DERIVE_INVALID',
        `token '${ctx.token}' derived a secret of the wrong length`,
      );
    }
    const secret = new Uint8Array(value);
    value.fill(0); // the native copy: do not leave the secret in a buffer we no longer own
    return secret;
  } finally {
    p.C_DestroyObject(session, derived);
  }
}
