/**
 * Finding key pairs on a logged-in session. A key pair is one private and one public key object
 * with the same `CKA_LABEL` and `CKA_ID`. Only Ed25519 and P-256 pairs are reported; other objects
 * on the token (other algorithms, certificates, data) are left alone and not listed.
 *
 * Every function here runs inside the module's queue (callers hold it); none queues by itself.
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11, Template } from 'pkcs11js';
import { UsageError } from '../../errors.js';
import type { KeyInfo, KeyUsage } from '../types.js';
import { readBool, readBytes, readNumber } from './attributes.js';
import { PROFILES } from './constants.js';
import { curveOfParams, rawPublicKey } from './ec-point.js';

/** An open, logged-in session and the public names used in messages. */
export interface SessionContext {
  p: PKCS11;
  session: Buffer;
  module: string;
  token: string;
}

/** A key pair on the token: its handles and its public description. */
export interface KeyPairObjects extends KeyInfo {
  algorithm: 'ed25519' | 'p256';
  id: Uint8Array;
  privateKey: Buffer;
  publicKeyObject: Buffer;
}

/** Every object matching `template` (all of them, in the token's order). */
export function findObjects(ctx: SessionContext, template: Template): Buffer[] {
  const { p, session } = ctx;
  p.C_FindObjectsInit(session, template);
  try {
    const found: Buffer[] = [];
    for (;;) {
      const batch = p.C_FindObjects(session, 64);
      found.push(...batch);
      if (batch.length < 64) return found;
    }
  } finally {
    p.C_FindObjectsFinal(session);
  }
}

/** Every token object (any class) labelled `label`. */
export function objectsWithLabel(ctx: SessionContext, label: string): Buffer[] {
  return findObjects(ctx, [{ type: pkcs11js.CKA_LABEL, value: label }]);
}

function idKey(label: string, id: Uint8Array): string {
  return `${label}\u0000${Buffer.from(id).toString('hex')}`;
}

/** Public key objects by label and id (all of them, or those labelled `label`). */
function publicIndex(ctx: SessionContext, label?: string): Map<string, Buffer[]> {
  const template: Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }];
  if (label !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: label });
  const index = new Map<string, Buffer[]>();
  for (const handle of findObjects(ctx, template)) {
    const l = readBytes(ctx.p, ctx.session, handle, pkcs11js.CKA_LABEL) ?? new Uint8Array(0);
    const id = readBytes(ctx.p, ctx.session, handle, pkcs11js.CKA_ID) ?? new Uint8Array(0);
    const key = idKey(new TextDecoder().decode(l), id);
    index.set(key, [...(index.get(key) ?? []), handle]);
  }
  return index;
}

function describePair(
  ctx: SessionContext,
  privateKey: Buffer,
  label: string,
  publicKeys: Map<string, Buffer[]>,
): KeyPairObjects | undefined {
  const { p, session } = ctx;
  const id = readBytes(p, session, privateKey, pkcs11js.CKA_ID) ?? new Uint8Array(0);
  const keyType = readNumber(p, session, privateKey, pkcs11js.CKA_KEY_TYPE);
  const publics = publicKeys.get(idKey(label, id)) ?? [];
  const publicKeyObject = publics[0];
  if (publicKeyObject === undefined || publics.length > 1) return undefined;
  const params = readBytes(p, session, publicKeyObject, pkcs11js.CKA_EC_PARAMS);
  const point = readBytes(p, session, publicKeyObject, pkcs11js.CKA_EC_POINT);
  const algorithm = params === undefined ? undefined : curveOfParams(params);
  if (algorithm === undefined || point === undefined || PROFILES[algorithm].keyType !== keyType)
    return undefined;
  const usages: KeyUsage[] = [];
  if (readBool(p, session, privateKey, pkcs11js.CKA_SIGN) === true) usages.push('sign');
  if (readBool(p, session, privateKey, pkcs11js.CKA_DERIVE) === true) usages.push('derive');
  const publicKey = rawPublicKey(point, algorithm, label);
  return { label, algorithm, publicKey, usages, id, privateKey, publicKeyObject };
}

function privateKeys(ctx: SessionContext, label?: string): Buffer[] {
  const template: Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
  if (label !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: label });
  return findObjects(ctx, template);
}

/**
 * The key pair labelled `label`, or undefined when there is no private key with that label.
 *
 * @throws UsageError `HSM_LABEL_AMBIGUOUS` when several private keys carry the label;
 *   `HSM_KEY_UNSUPPORTED` when the private key has no matching Ed25519/P-256 public key object.
 */
export function findKeyPair(ctx: SessionContext, label: string): KeyPairObjects | undefined {
  const found = privateKeys(ctx, label);
  if (found.length === 0) return undefined;
  if (found.length > 1) {
    throw new UsageError(
      'HSM_LABEL_AMBIGUOUS',
      `${found.length} private keys are labelled '${label}' on token '${ctx.token}'; refusing to guess`,
    );
  }
  const pair = describePair(ctx, found[0] as Buffer, label, publicIndex(ctx, label));
  if (pair === undefined) {
    throw new UsageError(
      'HSM_KEY_UNSUPPORTED',
      `key '${label}' on token '${ctx.token}' is not an Ed25519 or P-256 pair with one public key object`,
    );
  }
  return pair;
}

/**
 * {@link findKeyPair}, for operations that need the key.
 *
 * @throws UsageError `HSM_KEY_NOT_FOUND` when there is no such key, and what findKeyPair throws.
 */
export function requireKeyPair(ctx: SessionContext, label: string): KeyPairObjects {
  const pair = findKeyPair(ctx, label);
  if (pair === undefined) {
    throw new UsageError('HSM_KEY_NOT_FOUND', `no key labelled '${label}' on token '${ctx.token}'`);
  }
  return pair;
}

/** Every Ed25519/P-256 key pair on the token, sorted by label. */
export function listKeyPairs(ctx: SessionContext): KeyPairObjects[] {
  const pairs: KeyPairObjects[] = [];
  const publics = publicIndex(ctx);
  for (const handle of privateKeys(ctx)) {
    const label = readBytes(ctx.p, ctx.session, handle, pkcs11js.CKA_LABEL);
    if (label === undefined) continue;
    const pair = describePair(ctx, handle, new TextDecoder().decode(label), publics);
    if (pair !== undefined) pairs.push(pair);
  }
  return pairs.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The public part of a pair, as the Hsm interface returns it. */
export function keyInfo(pair: KeyPairObjects): KeyInfo {
  return {
    label: pair.label,
    algorithm: pair.algorithm,
    publicKey: pair.publicKey.slice(),
    usages: [...pair.usages],
  };
}
