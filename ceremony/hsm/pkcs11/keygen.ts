/**
 * Key-pair generation inside the token, with the refusal of existing labels before and the
 * self-test after (Let's Encrypt's ceremony tool does the same): sign a fresh random nonce inside
 * the token and verify it on the host with the public key read back; for a derive key, an ECDH
 * round trip with an ephemeral host key. A pair that fails its self-test is destroyed.
 *
 * Runs inside the module's queue (the caller holds it), so the label check and the generation are
 * atomic with respect to every other call this process makes to the module.
 */
import pkcs11js from 'pkcs11js';
import { UsageError } from '../../errors.js';
import { ed25519, p256, randomBytes } from '../../crypto/index.js';
import type { GenerateKeyOptions, KeyUsage } from '../types.js';
import { KEY_ID_LENGTH, MAX_KEY_LABEL_BYTES, PROFILES } from './constants.js';
import type { AlgorithmProfile } from './constants.js';
import { mapPkcs11Error } from './errors.js';
import { findKeyPair, objectsWithLabel } from './keys.js';
import type { KeyPairObjects, SessionContext } from './keys.js';
import { deriveInToken, signInToken } from './operations.js';
import { pairTemplates } from './templates.js';

/** The host-side checks of the self-test; replaceable only to test the failure path. */
export interface SelfTestChecks {
  /** Verifies a signature by the new key over `nonce`. */
  verifySignature(pair: KeyPairObjects, nonce: Uint8Array, signature: Uint8Array): boolean;
  /** The shared secret the host computes with its ephemeral secret and the new public key. */
  hostSharedSecret(ephemeralSecret: Uint8Array, pair: KeyPairObjects): Uint8Array;
}

/** The real checks: ceremony/crypto verification and P-256 ECDH (`p256.sharedSecret`). */
export const defaultSelfTestChecks: SelfTestChecks = {
  verifySignature: (pair, nonce, sig) =>
    pair.algorithm === 'ed25519'
      ? ed25519.verify(pair.publicKey, nonce, sig)
      : p256.verify(pair.publicKey, nonce, sig),
  hostSharedSecret: (sk, pair) => p256.sharedSecret(sk, pair.publicKey),
};

/**
 * Validates generation options against what the backend supports and returns the profile and usages.
 *
 * @throws PKCS11_MECHANISM_UNSUPPORTED (x25519), UsageError `HSM_ALGORITHM_UNSUPPORTED`,
 *   `HSM_USAGE_UNSUPPORTED`, `HSM_LABEL_INVALID`.
 */
export function checkGenerateOptions(o: GenerateKeyOptions, token: string): [AlgorithmProfile, KeyUsage[]] {
  const label: unknown = o.label;
  if (
    typeof label !== 'string' ||
    label === '' ||
    new TextEncoder().encode(label).length > MAX_KEY_LABEL_BYTES
  ) {
    throw new UsageError(
      'HSM_LABEL_INVALID',
      `key label must be 1 to ${MAX_KEY_LABEL_BYTES} bytes of UTF-8`,
      {
        field: 'label',
      },
    );
  }
  if (o.algorithm === 'x25519') {
    throw new UsageError(
      'PKCS11_MECHANISM_UNSUPPORTED',
      `x25519 keys cannot be generated on PKCS#11 token '${token}': the backend supports ed25519 (sign) and p256 (sign, derive); use p256 for ECDH`,
      { field: 'algorithm' },
    );
  }
  const profile = o.algorithm === 'ed25519' || o.algorithm === 'p256' ? PROFILES[o.algorithm] : undefined;
  if (profile === undefined) {
    throw new UsageError('HSM_ALGORITHM_UNSUPPORTED', `unknown key algorithm '${String(o.algorithm)}'`, {
      field: 'algorithm',
    });
  }
  const usages = [...new Set<KeyUsage>(o.usages ?? ['sign'])];
  if (usages.length === 0 || usages.some((u) => !profile.usages.includes(u))) {
    throw new UsageError(
      'HSM_USAGE_UNSUPPORTED',
      `${profile.algorithm} keys allow usages ${profile.usages.join(', ')}; got ${usages.join(', ') || 'none'}`,
      { field: 'usages' },
    );
  }
  return [profile, usages];
}

function requireMechanisms(
  ctx: SessionContext,
  slot: Buffer,
  profile: AlgorithmProfile,
  usages: KeyUsage[],
): void {
  const supported = new Set(ctx.p.C_GetMechanismList(slot));
  const needed: Array<[number, string]> = [[profile.keyGenMechanism, 'key generation']];
  if (usages.includes('sign')) needed.push([profile.signMechanism, 'signing']);
  if (usages.includes('derive')) needed.push([pkcs11js.CKM_ECDH1_DERIVE, 'ECDH']);
  for (const [mech, what] of needed) {
    if (!supported.has(mech)) {
      throw new UsageError(
        'PKCS11_MECHANISM_UNSUPPORTED',
        `token '${ctx.token}' (module ${ctx.module}) lacks mechanism 0x${mech.toString(16)} for ${profile.algorithm} ${what}`,
      );
    }
  }
}

async function selfTest(
  ctx: SessionContext,
  pair: KeyPairObjects,
  checks: SelfTestChecks,
): Promise<string | undefined> {
  if (pair.usages.includes('sign')) {
    const nonce = randomBytes(32);
    const sig = await signInToken(ctx, pair, nonce);
    if (!checks.verifySignature(pair, nonce, sig)) return 'the signature over a random nonce does not verify';
  }
  if (pair.usages.includes('derive')) {
    const { secretKey: eph, publicKey: ephPublic } = p256.generateKeyPair();
    const inToken = await deriveInToken(ctx, pair, ephPublic);
    const onHost = checks.hostSharedSecret(eph, pair);
    eph.fill(0); // the ephemeral secret has served its purpose
    const same = inToken.length === onHost.length && inToken.every((b, i) => b === onHost[i]);
    inToken.fill(0);
    onHost.fill(0);
    if (!same) return 'the ECDH secret differs from the one computed on the host';
  }
  return undefined;
}

function destroyQuietly(ctx: SessionContext, handles: Buffer[]): void {
  for (const h of handles) {
    try {
      ctx.p.C_DestroyObject(ctx.session, h);
    } catch {
      // best effort: the pair is reported as failed either way
    }
  }
}

/**
 * Generates a key pair in the token, refuses existing labels, self-tests it.
 *
 * @throws UsageError `HSM_LABEL_EXISTS` (any object with the label exists; nothing is created),
 *   `PKCS11_MECHANISM_UNSUPPORTED`, what {@link checkGenerateOptions} throws, and
 *   `HSM_SELF_TEST_FAILED` (any failure after generation; the new pair has been destroyed).
 *   pkcs11js errors before generation propagate (the caller maps them).
 */
export async function generateKeyPairInToken(
  ctx: SessionContext,
  slot: Buffer,
  options: GenerateKeyOptions,
  checks: SelfTestChecks = defaultSelfTestChecks,
): Promise<KeyPairObjects> {
  const [profile, usages] = checkGenerateOptions(options, ctx.token);
  const label = options.label;
  requireMechanisms(ctx, slot, profile, usages);
  if (objectsWithLabel(ctx, label).length > 0) {
    throw new UsageError(
      'HSM_LABEL_EXISTS',
      `token '${ctx.token}' already holds an object labelled '${label}'; labels are never reused or overwritten`,
      { field: 'label' },
    );
  }
  const t = pairTemplates(profile, label, randomBytes(KEY_ID_LENGTH), usages);
  const handles = await ctx.p.C_GenerateKeyPairAsync(
    ctx.session,
    { mechanism: profile.keyGenMechanism },
    t.publicKey,
    t.privateKey,
  );
  let failure: string | undefined;
  let pair: KeyPairObjects | undefined;
  try {
    pair = findKeyPair(ctx, label);
    failure = pair === undefined ? 'the new pair cannot be read back' : await selfTest(ctx, pair, checks);
  } catch (e) {
    failure = mapPkcs11Error(e, {
      operation: 'self-test',
      module: ctx.module,
      token: ctx.token,
      key: label,
    }).message;
  }
  if (failure !== undefined || pair === undefined) {
    destroyQuietly(ctx, [handles.privateKey, handles.publicKey]);
    throw new UsageError(
      'HSM_SELF_TEST_FAILED',
      `self-test of new ${profile.algorithm} key '${label}' on token '${ctx.token}' failed: ${failure}; the pair was destroyed`,
    );
  }
  return pair;
}
