/**
 * Known-answer vectors of the session protocol (./vectors/*.json, X25519 and P-256): the
 * handshake messages byte for byte, the transcript hash, es and ee on both crypto backends, the
 * session keys, and the frames — each recomputed by our code and, independently, with node:crypto
 * (createHash, hkdfSync, ECDH, aes-256-gcm) following docs/session-protocol.md.
 */
import {
  createCipheriv,
  createECDH,
  createHash,
  diffieHellman,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_TO_SERVER_INFO,
  decodeHandshakeRequest,
  decodeHandshakeResponse,
  deriveSessionKeys,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  SERVER_TO_CLIENT_INFO,
  SessionChannel,
  TRANSCRIPT_LABEL,
  transcriptHash,
} from '../../../../ceremony/bundle/session/index.js';
import type { SessionAlgorithm } from '../../../../ceremony/bundle/session/index.js';
import { hexDecode as h, hexEncode as hex } from '../../../../ceremony/codec/index.js';
import { nativeBackend, portable } from '../../../../ceremony/crypto/index.js';
import { vector } from './vectors/generate.js';

type Vector = Awaited<ReturnType<typeof vector>>;
const load = (name: string): Vector =>
  JSON.parse(readFileSync(new URL(`./vectors/${name}.json`, import.meta.url), 'utf8')) as Vector;
const vectors = [load('x25519'), load('p256')];
const backends = [portable, nativeBackend()!];

/** OpenSSL's ECDH directly (not through the facade). */
function opensslDh(algorithm: string, secret: Uint8Array, peer: Uint8Array): string {
  if (algorithm === 'p256') {
    const e = createECDH('prime256v1');
    e.setPrivateKey(secret);
    return e.computeSecret(peer).toString('hex');
  }
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: b64(secret), x: b64(new Uint8Array(32)) },
    format: 'jwk',
  });
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64(peer) }, format: 'jwk' });
  return diffieHellman({ privateKey, publicKey }).toString('hex');
}

/** The transcript hash as docs/session-protocol.md spells it, with node:crypto. */
function docTranscript(request: Uint8Array, response: Uint8Array): string {
  const len = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  return createHash('sha256')
    .update(TRANSCRIPT_LABEL)
    .update(Buffer.of(0))
    .update(len(request.length))
    .update(request)
    .update(len(response.length))
    .update(response)
    .digest('hex');
}

/** AES-256-GCM with node:crypto: nonce 0^32 || u64be(seq), AAD = transcript hash; frame = CBOR {0: seq, 1: ct||tag}. */
function docSeal(key: string, th: string, seq: number, plaintext: string): string {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(seq), 4);
  const c = createCipheriv('aes-256-gcm', Buffer.from(key, 'hex'), iv);
  c.setAAD(Buffer.from(th, 'hex'));
  const ct = Buffer.concat([c.update(Buffer.from(plaintext, 'hex')), c.final(), c.getAuthTag()]);
  // Frames here are small: seq < 24 is one byte (0x00 + seq); ct length 24..255 has head 0x58 len.
  expect(seq).toBeLessThan(24);
  expect(ct.length).toBeGreaterThanOrEqual(24);
  expect(ct.length).toBeLessThan(256);
  return Buffer.concat([Buffer.of(0xa2, 0x00, seq, 0x01, 0x58, ct.length), ct]).toString('hex');
}

describe.each(vectors)('session vector, $algorithm', (v) => {
  const alg = v.algorithm as SessionAlgorithm;
  const req = h(v.request);
  const res = h(v.response);

  it('encodes both handshake messages byte for byte, and decodes them back', () => {
    const shares = Object.fromEntries(Object.entries(v.inputs.clientShares).map(([a, s]) => [a, h(s)]));
    expect(
      hex(encodeHandshakeRequest({ nonce: h(v.inputs.nonce), keyId: v.inputs.keyIdRequested, shares })),
    ).toBe(v.request);
    const response = {
      sessionId: h(v.inputs.sessionId),
      keyId: v.inputs.keyId,
      share: h(v.inputs.serverShare),
      bundle: h(v.inputs.bundle),
      ttlSeconds: v.inputs.ttlSeconds,
    };
    expect(hex(encodeHandshakeResponse(response))).toBe(v.response);
    expect(decodeHandshakeRequest(req)).toEqual({
      version: 1,
      nonce: h(v.inputs.nonce),
      keyId: v.inputs.keyIdRequested,
      shares,
    });
    expect(decodeHandshakeResponse(res)).toEqual({ version: 1, ...response });
  });

  it('transcript hash: ours equals the documented layout computed with node:crypto', () => {
    expect(hex(transcriptHash(req, res))).toBe(v.transcriptHash);
    expect(docTranscript(req, res)).toBe(v.transcriptHash);
  });

  it.each(backends)('es and ee on the $name backend, from both sides, and with OpenSSL directly', (b) => {
    const s = alg === 'x25519' ? b.x25519 : b.p256;
    const clientSecret = h((v.inputs.clientEphemeralSecrets as Record<string, string>)[alg]!);
    const clientShare = h((v.inputs.clientShares as Record<string, string>)[alg]!);
    expect(hex(s.getPublicKey(h(v.inputs.fleetStaticSecret)))).toBe(v.inputs.fleetStaticPublic);
    expect(hex(s.sharedSecret(clientSecret, h(v.inputs.fleetStaticPublic)))).toBe(v.es);
    expect(hex(s.sharedSecret(h(v.inputs.fleetStaticSecret), clientShare))).toBe(v.es);
    expect(hex(s.sharedSecret(clientSecret, h(v.inputs.serverShare)))).toBe(v.ee);
    expect(hex(s.sharedSecret(h(v.inputs.serverEphemeralSecret), clientShare))).toBe(v.ee);
    expect(opensslDh(alg, clientSecret, h(v.inputs.fleetStaticPublic))).toBe(v.es);
    expect(opensslDh(alg, h(v.inputs.serverEphemeralSecret), clientShare)).toBe(v.ee);
  });

  it('session keys: HKDF-SHA256(salt = TH, IKM = es || ee), ours and node:crypto hkdfSync', () => {
    const keys = deriveSessionKeys(h(v.es), h(v.ee), h(v.transcriptHash));
    expect(hex(keys.clientToServer)).toBe(v.clientToServer);
    expect(hex(keys.serverToClient)).toBe(v.serverToClient);
    const ikm = Buffer.concat([h(v.es), h(v.ee)]);
    const doc = (info: string) =>
      Buffer.from(hkdfSync('sha256', ikm, h(v.transcriptHash), info, 32)).toString('hex');
    expect(doc(CLIENT_TO_SERVER_INFO)).toBe(v.clientToServer);
    expect(doc(SERVER_TO_CLIENT_INFO)).toBe(v.serverToClient);
    expect(v.clientToServer).not.toBe(v.serverToClient);
  });

  it('deriveSessionKeys wipes es and ee', () => {
    const es = h(v.es);
    const ee = h(v.ee);
    deriveSessionKeys(es, ee, h(v.transcriptHash));
    expect(es.every((b) => b === 0) && ee.every((b) => b === 0)).toBe(true);
  });

  it('frames: our channels seal the pinned frames, node:crypto agrees, and the peer opens them', async () => {
    const keys = () => ({ clientToServer: h(v.clientToServer), serverToClient: h(v.serverToClient) });
    const client = await SessionChannel.create('client', keys(), h(v.transcriptHash));
    const server = await SessionChannel.create('server', keys(), h(v.transcriptHash));
    for (const f of v.frames) {
      const [from, to, key] =
        f.direction === 'client-to-server'
          ? [client, server, v.clientToServer]
          : [server, client, v.serverToClient];
      expect(hex(await from.seal(h(f.plaintext)))).toBe(f.frame);
      expect(docSeal(key, v.transcriptHash, f.seq, f.plaintext)).toBe(f.frame);
      expect(hex(await to.open(h(f.frame)))).toBe(f.plaintext);
    }
  });

  it('the generator still produces the pinned vector (the implementation did not drift)', async () => {
    const again = await vector(
      alg,
      v.inputs.keyIdRequested,
      Object.keys(v.inputs.clientShares) as SessionAlgorithm[],
    );
    expect(again).toEqual(v);
  });
});
