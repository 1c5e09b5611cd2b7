/**
 * Generates the session protocol's known-answer vectors (x25519.json, p256.json next to this
 * file) from fixed secrets: both handshake messages, the transcript hash, es and ee, the two
 * session keys and three frames. Run once, review, commit; the suite then pins them and checks
 * them again against node:crypto (HKDF, AES-256-GCM, ECDH) as an independent implementation.
 *
 *     npx tsx test/unit/bundle/session/vectors/generate.ts
 *
 * The `bundle` field is opaque to the key schedule, so the vectors carry fixed text there.
 */
import { writeFileSync } from 'node:fs';
import {
  deriveSessionKeys,
  encodeCall,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  encodeReply,
  SessionChannel,
  transcriptHash,
} from '../../../../../ceremony/bundle/session/index.js';
import type { SessionAlgorithm } from '../../../../../ceremony/bundle/session/index.js';
import { hexEncode, utf8Encode } from '../../../../../ceremony/codec/index.js';
import { p256, sha256, x25519 } from '../../../../../ceremony/crypto/index.js';

const secret = (label: string) => sha256(utf8Encode(`fleet-ceremony session vector ${label}`));
const scheme = (a: SessionAlgorithm) => (a === 'x25519' ? x25519 : p256);

/** One vector: the inputs, every intermediate value, and frames in both directions. */
export async function vector(
  algorithm: SessionAlgorithm,
  keyIdRequested: string | null,
  offer: SessionAlgorithm[],
) {
  const fleetStaticSecret = secret(`${algorithm} fleet static`);
  const clientSecrets = Object.fromEntries(offer.map((a) => [a, secret(`${a} client ephemeral`)]));
  const serverEphemeralSecret = secret(`${algorithm} server ephemeral`);
  const nonce = secret('nonce');
  const sessionId = secret('session id').slice(0, 16);
  const keyId = algorithm === 'x25519' ? 'session-x1' : 'session-p1';
  const bundle = utf8Encode('opaque to the key schedule: a real response carries the validation bundle here');
  const shares = Object.fromEntries(offer.map((a) => [a, scheme(a).getPublicKey(clientSecrets[a]!)]));
  const request = encodeHandshakeRequest({ nonce, keyId: keyIdRequested, shares });
  const serverShare = scheme(algorithm).getPublicKey(serverEphemeralSecret);
  const response = encodeHandshakeResponse({ sessionId, keyId, share: serverShare, bundle, ttlSeconds: 300 });
  const fleetPublic = scheme(algorithm).getPublicKey(fleetStaticSecret);
  const es = scheme(algorithm).sharedSecret(fleetStaticSecret, shares[algorithm]!);
  const ee = scheme(algorithm).sharedSecret(serverEphemeralSecret, shares[algorithm]!);
  const th = transcriptHash(request, response);
  const keys = deriveSessionKeys(es.slice(), ee.slice(), th);
  const out = {
    clientToServer: hexEncode(keys.clientToServer),
    serverToClient: hexEncode(keys.serverToClient),
  };
  const client = await SessionChannel.create(
    'client',
    { ...keys, clientToServer: keys.clientToServer.slice(), serverToClient: keys.serverToClient.slice() },
    th,
  );
  const server = await SessionChannel.create('server', keys, th);
  const call0 = encodeCall({ op: 'echo', data: utf8Encode('hello, fleet') });
  const call1 = encodeCall({ op: 'status', data: new Uint8Array(0) });
  const reply0 = encodeReply({ code: 'OK', data: utf8Encode('hello, fleet') });
  const frames = [
    {
      direction: 'client-to-server',
      seq: 0,
      plaintext: hexEncode(call0),
      frame: hexEncode(await client.seal(call0)),
    },
    {
      direction: 'client-to-server',
      seq: 1,
      plaintext: hexEncode(call1),
      frame: hexEncode(await client.seal(call1)),
    },
    {
      direction: 'server-to-client',
      seq: 0,
      plaintext: hexEncode(reply0),
      frame: hexEncode(await server.seal(reply0)),
    },
  ];
  return {
    source:
      'fleet-ceremony test/unit/bundle/session/vectors/generate.ts; checked against node:crypto in key-schedule.test.ts',
    algorithm,
    inputs: {
      fleetStaticSecret: hexEncode(fleetStaticSecret),
      fleetStaticPublic: hexEncode(fleetPublic),
      clientEphemeralSecrets: Object.fromEntries(offer.map((a) => [a, hexEncode(clientSecrets[a]!)])),
      clientShares: Object.fromEntries(offer.map((a) => [a, hexEncode(shares[a]!)])),
      serverEphemeralSecret: hexEncode(serverEphemeralSecret),
      serverShare: hexEncode(serverShare),
      nonce: hexEncode(nonce),
      keyIdRequested,
      keyId,
      sessionId: hexEncode(sessionId),
      bundle: hexEncode(bundle),
      ttlSeconds: 300,
    },
    request: hexEncode(request),
    response: hexEncode(response),
    transcriptHash: hexEncode(th),
    es: hexEncode(es),
    ee: hexEncode(ee),
    ...out,
    frames,
  };
}

if (process.argv[1]?.endsWith('generate.ts')) {
  const dir = new URL('.', import.meta.url);
  writeFileSync(
    new URL('x25519.json', dir),
    JSON.stringify(await vector('x25519', null, ['x25519', 'p256']), null, 2) + '\n',
  );
  writeFileSync(
    new URL('p256.json', dir),
    JSON.stringify(await vector('p256', 'session-p1', ['p256']), null, 2) + '\n',
  );
}
