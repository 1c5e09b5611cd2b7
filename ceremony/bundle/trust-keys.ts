/**
 * The keys of the trust file (docs/trust-file.md): witness statement keys with their validity,
 * operator keys, and C2SP verifier keys, each checked and named by its JSON path.
 *
 * Portable: no `node:` imports.
 */
import { hexDecode } from '../codec/index.js';
import { checkPublicKey } from '../crypto/index.js';
import { statementKeyId } from '../statement/index.js';
import { parseVerifierKey } from '../tlog/index.js';
import type { Verifier } from '../tlog/index.js';
import type { Json, JsonReader } from './json-reader.js';
import { operatorKeyId } from './operator-key.js';
import { readValidity } from './trust-validity.js';
import type { TrustedOperatorKey, TrustedWitnessKey } from './trust.js';

/** A C2SP verifier key at `path`. @throws MalformedError `TRUST_VKEY_INVALID`. */
export function parseVkey(r: JsonReader, v: Json | undefined, path: string): Verifier {
  const text = r.string(v, path);
  try {
    return parseVerifierKey(text);
  } catch (cause) {
    return r.fail(
      'VKEY_INVALID',
      path,
      `not a C2SP verifier key (${cause instanceof Error ? cause.message : String(cause)})`,
      cause,
    );
  }
}

/** A raw public key in lowercase hex, valid for `algorithm`. @throws MalformedError `TRUST_KEY_INVALID`. */
export function parseKey(
  r: JsonReader,
  v: Json | undefined,
  path: string,
  algorithm: 'ed25519' | 'p256',
): Uint8Array {
  const length = algorithm === 'ed25519' ? 32 : 65;
  let key: Uint8Array;
  try {
    key = hexDecode(r.string(v, path), path, length);
    checkPublicKey(algorithm, key, path);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && String(cause.code).startsWith('TRUST_')) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    return r.fail(
      'KEY_INVALID',
      path,
      `want ${length} bytes of ${algorithm} public key in lowercase hex (${why})`,
      cause,
    );
  }
  return key;
}

/** The pinned witness statement keys. @throws MalformedError `TRUST_*`. */
export function witnessKeys(r: JsonReader, v: Json | undefined, path: string): TrustedWitnessKey[] {
  const seen = new Set<string>();
  return r.array(v, path, 1, 64).map((item, i) => {
    const p = `${path}[${i}]`;
    const o = r.object(item, p, ['public_key', 'not_before'], ['not_after']);
    const publicKey = parseKey(r, o.public_key, `${p}.public_key`, 'ed25519');
    if (seen.has(o.public_key as string))
      r.fail('KEY_DUPLICATE', `${p}.public_key`, 'the same key is pinned twice');
    seen.add(o.public_key as string);
    const { notBefore = 0, notAfter } = readValidity(r, o, p, true);
    return {
      publicKey,
      keyId: statementKeyId(publicKey),
      notBefore,
      ...(notAfter === undefined ? {} : { notAfter }),
    };
  });
}

/** The pinned operator keys. @throws MalformedError `TRUST_*`. */
export function operatorKeys(r: JsonReader, v: Json | undefined, path: string): TrustedOperatorKey[] {
  const seen = new Set<number>();
  return r.array(v, path, 1, 64).map((item, i) => {
    const p = `${path}[${i}]`;
    const o = r.object(item, p, ['algorithm', 'public_key'], ['not_before', 'not_after']);
    const algorithm = r.string(o.algorithm, `${p}.algorithm`);
    if (algorithm !== 'ed25519' && algorithm !== 'p256') {
      r.fail(
        'ALGORITHM_INVALID',
        `${p}.algorithm`,
        `got ${JSON.stringify(algorithm.slice(0, 32))}, want ed25519 or p256`,
      );
    }
    const publicKey = parseKey(r, o.public_key, `${p}.public_key`, algorithm);
    const keyId = operatorKeyId(algorithm, publicKey);
    if (seen.has(keyId))
      r.fail('KEY_DUPLICATE', `${p}.public_key`, 'a key with the same operator key id is already pinned');
    seen.add(keyId);
    return { algorithm, publicKey, keyId, ...readValidity(r, o, p, false) };
  });
}
