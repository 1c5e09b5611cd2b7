/**
 * Strict decoding of every session message: handshake request and response, frames, calls,
 * replies and status. Each negative case changes one thing of a good message and expects its own
 * code and field; the largest valid request fits the documented bound.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeCall,
  decodeFrame,
  decodeHandshakeRequest,
  decodeHandshakeResponse,
  decodeReply,
  decodeStatus,
  encodeCall,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  encodeReply,
  encodeStatus,
  MAX_HANDSHAKE_REQUEST_BYTES,
} from '../../../../ceremony/bundle/session/index.js';
import { encodeCbor } from '../../../../ceremony/codec/index.js';
import type { CborMap } from '../../../../ceremony/codec/index.js';
import { p256, x25519 } from '../../../../ceremony/crypto/index.js';
import { editCbor, errorOf } from './helpers.js';

const x = x25519.generateKeyPair().publicKey;
const p = p256.generateKeyPair().publicKey;
const nonce = new Uint8Array(32).fill(7);
const good = () => encodeHandshakeRequest({ nonce, keyId: null, shares: { x25519: x, p256: p } });
const response = () =>
  encodeHandshakeResponse({
    sessionId: new Uint8Array(16).fill(1),
    keyId: 'session-x1',
    share: x,
    bundle: Uint8Array.of(1, 2, 3),
    ttlSeconds: 300,
  });

/** The code and field of the error decoding `bytes` with `decode` throws. */
function refusal(decode: (b: Uint8Array) => unknown, bytes: Uint8Array) {
  const e = errorOf(() => decode(bytes));
  return { code: e.code, field: e.field, name: e.name };
}

describe('handshake request', () => {
  it('round-trips; the largest valid request is within the bound', () => {
    expect(decodeHandshakeRequest(good())).toEqual({
      version: 1,
      nonce,
      keyId: null,
      shares: { x25519: x, p256: p },
    });
    const largest = encodeHandshakeRequest({ nonce, keyId: 'k'.repeat(64), shares: { x25519: x, p256: p } });
    expect(largest.length).toBe(208);
    expect(largest.length).toBeLessThanOrEqual(MAX_HANDSHAKE_REQUEST_BYTES);
  });

  const cases: [string, (m: CborMap) => void, string, string][] = [
    ['version 2', (m) => m.set(0, 2), 'SESSION_VERSION_UNSUPPORTED', 'request.version'],
    ['version as text', (m) => m.set(0, '1'), 'SESSION_REQUEST_MALFORMED', 'request.version'],
    ['a 31-byte nonce', (m) => m.set(1, new Uint8Array(31)), 'SESSION_REQUEST_MALFORMED', 'request.nonce'],
    ['no nonce', (m) => m.delete(1), 'SESSION_REQUEST_MALFORMED', 'request.nonce'],
    ['a key id with a space', (m) => m.set(2, 'session x1'), 'SESSION_REQUEST_MALFORMED', 'request.keyId'],
    ['a key id of 65 bytes', (m) => m.set(2, 'k'.repeat(65)), 'SESSION_REQUEST_MALFORMED', 'request.keyId'],
    [
      'no key id (null is required for "any")',
      (m) => m.delete(2),
      'SESSION_REQUEST_MALFORMED',
      'request.keyId',
    ],
    ['no share at all', (m) => (m.delete(3), m.delete(4)), 'SESSION_REQUEST_MALFORMED', 'request.x25519'],
    [
      'a 33-byte x25519 share',
      (m) => m.set(3, new Uint8Array(33)),
      'SESSION_REQUEST_MALFORMED',
      'request.x25519',
    ],
    [
      'a compressed p256 share',
      (m) => m.set(4, p.slice(0, 33).fill(2, 0, 1)),
      'SESSION_REQUEST_MALFORMED',
      'request.p256',
    ],
    [
      'an x25519 share of low order',
      (m) => m.set(3, new Uint8Array(32)),
      'SESSION_SHARE_INVALID',
      'request.x25519',
    ],
    [
      'a non-canonical x25519 share',
      (m) => m.set(3, new Uint8Array(32).fill(0xff)),
      'SESSION_SHARE_INVALID',
      'request.x25519',
    ],
    [
      'a p256 share off the curve',
      (m) =>
        m.set(
          4,
          Uint8Array.from(p, (b, i) => (i === 64 ? b ^ 1 : b)),
        ),
      'SESSION_SHARE_INVALID',
      'request.p256',
    ],
    ['an unknown field', (m) => m.set(5, 0), 'SESSION_REQUEST_MALFORMED', 'request.5'],
    ['a text key', (m) => m.set('x', 0), 'SESSION_REQUEST_MALFORMED', 'request.x'],
  ];
  it.each(cases)('refuses %s', (_name, edit, code, field) => {
    const r = refusal(decodeHandshakeRequest, editCbor(good(), edit));
    expect(r).toEqual({ code, field, name: 'MalformedError' });
  });

  it('refuses non-canonical CBOR, trailing bytes, a non-map and oversized input', () => {
    const b = good();
    expect(refusal(decodeHandshakeRequest, Uint8Array.of(...b, 0)).code).toBe('SESSION_REQUEST_MALFORMED');
    expect(refusal(decodeHandshakeRequest, Uint8Array.of(0xb8, 5, ...b.slice(1))).code).toBe(
      'SESSION_REQUEST_MALFORMED',
    );
    expect(refusal(decodeHandshakeRequest, encodeCbor([1, 2])).code).toBe('SESSION_REQUEST_MALFORMED');
    expect(errorOf(() => decodeHandshakeRequest(new Uint8Array(257))).message).toContain('CBOR_TOO_LARGE');
    expect(refusal(decodeHandshakeRequest, new Uint8Array(0)).code).toBe('SESSION_REQUEST_MALFORMED');
  });

  it('the encoder refuses what the decoder would refuse', () => {
    expect(errorOf(() => encodeHandshakeRequest({ nonce, keyId: null, shares: {} })).code).toBe(
      'SESSION_REQUEST_MALFORMED',
    );
    expect(
      errorOf(() => encodeHandshakeRequest({ nonce: nonce.slice(1), keyId: null, shares: { x25519: x } }))
        .code,
    ).toBe('SESSION_REQUEST_MALFORMED');
  });
});

describe('handshake response', () => {
  const cases: [string, (m: CborMap) => void, string, string][] = [
    ['version 7', (m) => m.set(0, 7), 'SESSION_VERSION_UNSUPPORTED', 'response.version'],
    [
      'a 15-byte session id',
      (m) => m.set(1, new Uint8Array(15)),
      'SESSION_REPLY_MALFORMED',
      'response.sessionId',
    ],
    ['a key id with a slash', (m) => m.set(2, 'a/b'), 'SESSION_REPLY_MALFORMED', 'response.keyId'],
    ['a 33-byte share', (m) => m.set(3, new Uint8Array(33)), 'SESSION_REPLY_MALFORMED', 'response.share'],
    ['an empty bundle', (m) => m.set(4, new Uint8Array(0)), 'SESSION_REPLY_MALFORMED', 'response.bundle'],
    ['a ttl of 0', (m) => m.set(5, 0), 'SESSION_REPLY_MALFORMED', 'response.ttl'],
    ['a ttl over a day', (m) => m.set(5, 86_401), 'SESSION_REPLY_MALFORMED', 'response.ttl'],
    ['no bundle', (m) => m.delete(4), 'SESSION_REPLY_MALFORMED', 'response.bundle'],
    ['an unknown field', (m) => m.set(9, null), 'SESSION_REPLY_MALFORMED', 'response.9'],
  ];
  it.each(cases)('refuses %s', (_name, edit, code, field) => {
    expect(refusal(decodeHandshakeResponse, editCbor(response(), edit))).toEqual({
      code,
      field,
      name: 'MalformedError',
    });
  });

  it('round-trips', () => {
    expect(decodeHandshakeResponse(response()).keyId).toBe('session-x1');
  });
});

describe('frames, calls, replies and status', () => {
  it('frames: seq within 0 … 2^32 − 1, ciphertext at least a tag, no other field', () => {
    const f = encodeCbor(
      new Map<number, number | Uint8Array>([
        [0, 3],
        [1, new Uint8Array(16)],
      ]),
    );
    expect(decodeFrame(f)).toEqual({ seq: 3, ciphertext: new Uint8Array(16) });
    const bad = (m: (c: CborMap) => void) => refusal(decodeFrame, editCbor(f, m));
    expect(bad((c) => c.set(0, 2 ** 32))).toEqual({
      code: 'SESSION_FRAME_MALFORMED',
      field: 'frame.seq',
      name: 'MalformedError',
    });
    expect(bad((c) => c.set(1, new Uint8Array(15)))).toEqual({
      code: 'SESSION_FRAME_MALFORMED',
      field: 'frame.ciphertext',
      name: 'MalformedError',
    });
    expect(bad((c) => c.set(2, 0)).field).toBe('frame.2');
  });

  it('calls and replies: op and code syntax, data bounds', () => {
    expect(decodeCall(encodeCall({ op: 'echo', data: Uint8Array.of(1) }))).toEqual({
      op: 'echo',
      data: Uint8Array.of(1),
    });
    expect(decodeReply(encodeReply({ code: 'OK', data: new Uint8Array(0) }))).toEqual({
      code: 'OK',
      data: new Uint8Array(0),
    });
    expect(errorOf(() => encodeCall({ op: 'Echo', data: new Uint8Array(0) })).field).toBe('call.op');
    expect(errorOf(() => encodeCall({ op: 'echo', data: new Uint8Array(65_001) })).field).toBe('call.data');
    expect(errorOf(() => encodeReply({ code: 'ok', data: new Uint8Array(0) })).field).toBe('reply.code');
  });

  it('status: namespace, epoch ≥ 1, key id, time', () => {
    const s = { namespace: 'example.com/x', epoch: 9n, keyId: 'k1', time: 1_700_000_000_000 };
    expect(decodeStatus(encodeStatus(s))).toEqual(s);
    expect(errorOf(() => encodeStatus({ ...s, epoch: 0n })).field).toBe('status.epoch');
  });
});
