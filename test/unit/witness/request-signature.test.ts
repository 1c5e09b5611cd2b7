/**
 * Operator request signatures (ceremony/witness/auth): the signed message's exact bytes, and each
 * refusal of verifyRequest, one header or input changed at a time; Ed25519 and P-256 keys.
 */
import { describe, expect, it } from 'vitest';
import { utf8Decode } from '../../../ceremony/codec/index.js';
import { ed25519, p256, sha256 } from '../../../ceremony/crypto/index.js';
import {
  AUTH_HEADERS,
  requestSigningMessage,
  signRequest,
} from '../../../ceremony/witness/auth/request-signature.js';
import { verifyRequest } from '../../../ceremony/witness/auth/verify-request.js';
import type { OperatorConfig } from '../../../ceremony/witness/config/types.js';

const NOW = 1_750_000_000_000;
const ed = ed25519.generateKeyPair();
const ec = p256.generateKeyPair();
const operators: OperatorConfig[] = [
  { name: 'op-ed', algorithm: 'ed25519', publicKey: ed.publicKey },
  { name: 'op-ec', algorithm: 'p256', publicKey: ec.publicKey },
];
const body = new TextEncoder().encode('body bytes');

async function signed(name = 'op-ed', over: { now?: number; nonce?: string } = {}) {
  const sk =
    name === 'op-ec'
      ? (m: Uint8Array) => p256.sign(ec.secretKey, m)
      : (m: Uint8Array) => ed25519.sign(ed.secretKey, m);
  return signRequest({
    method: 'POST',
    path: '/namespaces/ns/sign',
    body,
    operator: name,
    sign: sk,
    now: () => over.now ?? NOW,
    nonce: over.nonce ?? 'a'.repeat(32),
  });
}

function check(
  headers: Record<string, string | undefined>,
  o: { path?: string; body?: Uint8Array; seen?: Set<string> } = {},
): string {
  const seen = o.seen ?? new Set<string>();
  try {
    return verifyRequest(
      { method: 'POST', path: o.path ?? '/namespaces/ns/sign', headers, body: o.body ?? body },
      {
        operators,
        now: NOW,
        clockSkewSeconds: 300,
        useNonce: (id) => !seen.has(String(id)) && !!seen.add(String(id)),
      },
    ).name;
  } catch (e) {
    return (e as { code: string }).code;
  }
}

describe('request signatures', () => {
  it('the signed message is the context and one field per line', () => {
    const m = requestSigningMessage({
      method: 'post',
      path: '/p?q=1',
      operator: 'op',
      timestamp: 5,
      nonce: 'ab',
      bodyDigest: sha256(new Uint8Array(0)),
    });
    expect(utf8Decode(m)).toBe(
      'fleet-ceremony/witness-request/v1\nPOST\n/p?q=1\nop\n5\nab\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n',
    );
  });
  it('accepts an Ed25519 and a P-256 operator', async () => {
    expect(check(await signed('op-ed'))).toBe('op-ed');
    expect(check(await signed('op-ec'))).toBe('op-ec');
  });
  it('refuses a missing header', async () => {
    for (const h of Object.values(AUTH_HEADERS))
      expect(check({ ...(await signed()), [h]: undefined })).toBe('AUTH_MISSING');
  });
  it('refuses malformed headers', async () => {
    expect(check({ ...(await signed()), [AUTH_HEADERS.timestamp]: '01' })).toBe('AUTH_MALFORMED');
    expect(check({ ...(await signed()), [AUTH_HEADERS.nonce]: 'A'.repeat(32) })).toBe('AUTH_MALFORMED');
    expect(check({ ...(await signed()), [AUTH_HEADERS.signature]: '!!' })).toBe('AUTH_MALFORMED');
  });
  it('refuses an unknown operator', async () => {
    expect(check({ ...(await signed()), [AUTH_HEADERS.operator]: 'op-x' })).toBe('AUTH_UNKNOWN_OPERATOR');
  });
  it('refuses a timestamp outside the skew window, either way', async () => {
    expect(check(await signed('op-ed', { now: NOW - 301_000 }))).toBe('AUTH_TIMESTAMP_SKEW');
    expect(check(await signed('op-ed', { now: NOW + 301_000 }))).toBe('AUTH_TIMESTAMP_SKEW');
    expect(check(await signed('op-ed', { now: NOW + 299_000 }))).toBe('op-ed');
  });
  it('refuses a signature over another path, body, operator or nonce', async () => {
    expect(check(await signed(), { path: '/namespaces/other/sign' })).toBe('AUTH_SIGNATURE_INVALID');
    expect(check(await signed(), { body: new Uint8Array([1]) })).toBe('AUTH_SIGNATURE_INVALID');
    expect(check({ ...(await signed('op-ed')), [AUTH_HEADERS.operator]: 'op-ec' })).toBe(
      'AUTH_SIGNATURE_INVALID',
    );
    expect(check({ ...(await signed()), [AUTH_HEADERS.nonce]: 'b'.repeat(32) })).toBe(
      'AUTH_SIGNATURE_INVALID',
    );
  });
  it('refuses the same nonce twice (replay), not two nonces', async () => {
    const seen = new Set<string>();
    expect(check(await signed(), { seen })).toBe('op-ed');
    expect(check(await signed(), { seen })).toBe('AUTH_REPLAY');
    expect(check(await signed('op-ed', { nonce: 'c'.repeat(32) }), { seen })).toBe('op-ed');
  });
});
