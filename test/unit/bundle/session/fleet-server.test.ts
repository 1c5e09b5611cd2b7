/**
 * The fleet server over real HTTP on loopback, with `connect` from the portable client and an
 * emulated HSM: setup checks (the HSM key must be the bundle's session key), the listen address,
 * refusals (routes, content type, sizes, malformed requests), session bounds (capacity, expiry,
 * message budget, close), replayed, tampered and reordered frames, key confirmation, and what the
 * key log sees.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  decodeHandshakeResponse,
  encodeHandshakeResponse,
} from '../../../../ceremony/bundle/session/index.js';
import type { SessionOp } from '../../../../ceremony/bundle/session/index.js';
import { hexEncode } from '../../../../ceremony/codec/index.js';
import { parseListen, startFleetServer } from '../../../../ceremony/fleet/index.js';
import type { FleetServer, FleetServerOptions } from '../../../../ceremony/fleet/index.js';
import type { Hsm } from '../../../../ceremony/hsm/index.js';
import { anchors, emulatedDevice, fleetEntries, OPERATOR_LABEL, tempDir } from './fixture.js';
import { errorOf, flip, rejectionOf } from './helpers.js';

let hsm: Hsm;
const base = tempDir('fleet-server');
let world: ReturnType<typeof anchors>;
let bundle: Uint8Array;
let entries: Awaited<ReturnType<typeof fleetEntries>>;
const servers: FleetServer[] = [];

beforeAll(async () => {
  ({ hsm } = await emulatedDevice(base, 'EMU-FS', [
    { label: 'session-x1', algorithm: 'x25519' },
    { label: 'session-x2', algorithm: 'x25519' },
    { label: 'session-p1', algorithm: 'p256', usages: ['derive'] },
    { label: 'not-in-bundle', algorithm: 'x25519' },
    { label: OPERATOR_LABEL, algorithm: 'ed25519' },
  ]));
  world = anchors(hsm, (await hsm.findKey(OPERATOR_LABEL))!.publicKey);
  entries = await fleetEntries(
    hsm,
    'hsm-1',
    ['session-p1', 'session-x1', 'session-x2', OPERATOR_LABEL],
    'emulated',
  );
  bundle = await world.bundle({ hsms: [entries.hsm], keys: entries.keys });
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await hsm.close();
  rmSync(base, { recursive: true, force: true });
});

async function serve(o: Partial<FleetServerOptions> = {}): Promise<FleetServer> {
  const s = await startFleetServer({ hsm, bundle, sessionKeyLabel: 'session-x1', ...o });
  servers.push(s);
  return s;
}

const post = (url: string, body: Uint8Array | string, type = 'application/cbor') =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
const refusal = async (res: Response) => ({
  status: res.status,
  ...((await res.json()) as { error: string; message: string }),
});

/** A fetch that lets `edit` change the body of replies to paths containing `match`. */
function tampering(match: string, edit: (body: Uint8Array) => Uint8Array, log?: Uint8Array[]): typeof fetch {
  return async (input, init) => {
    if (log !== undefined && init?.body instanceof Uint8Array)
      log.push(new Uint8Array(init.body as Uint8Array));
    const res = await fetch(input, init);
    if (!String(input).includes(match) || !res.ok) return res;
    return new Response(new Uint8Array(edit(new Uint8Array(await res.arrayBuffer()))), {
      status: res.status,
      headers: res.headers,
    });
  };
}

describe('startFleetServer setup', () => {
  it.each([
    ['no such HSM key', { sessionKeyLabel: 'nope' }, 'FLEET_KEY_NOT_FOUND'],
    ['a signing key', { sessionKeyLabel: OPERATOR_LABEL }, 'FLEET_KEY_NOT_DERIVE'],
    ['a key the bundle does not list', { sessionKeyLabel: 'not-in-bundle' }, 'FLEET_KEY_NOT_IN_BUNDLE'],
    ['bytes that are not a bundle', { bundle: Uint8Array.of(0xa0) }, 'FLEET_BUNDLE_INVALID'],
    ['a session lifetime of 0', { sessionTtlSeconds: 0 }, 'FLEET_OPTION_INVALID'],
    ['a bad listen address', { listen: 'localhost' }, 'FLEET_OPTION_INVALID'],
  ])('refuses %s', async (_name, o, code) => {
    expect((await rejectionOf(() => serve(o as Partial<FleetServerOptions>))).code).toBe(code);
  });

  it('refuses a bundle that lists the label with another public key, or not as a session key', async () => {
    const x2 = entries.keys.find((k) => k.keyId === 'session-x2')!;
    const swapped = entries.keys
      .filter((k) => k !== x2)
      .map((k) => (k.keyId === 'session-x1' ? { ...k, publicKey: x2.publicKey } : k));
    const b1 = await world.bundle({ hsms: [entries.hsm], keys: swapped });
    expect((await rejectionOf(() => serve({ bundle: b1 }))).code).toBe('FLEET_KEY_MISMATCH');
    const signing = entries.keys.map((k) =>
      k.keyId === 'session-p1' ? { ...k, role: 'signing' as const } : k,
    );
    const b2 = await world.bundle({ hsms: [entries.hsm], keys: signing });
    expect((await rejectionOf(() => serve({ bundle: b2, sessionKeyLabel: 'session-p1' }))).code).toBe(
      'FLEET_KEY_NOT_SESSION',
    );
  });

  it('parses listen addresses: loopback by default', () => {
    expect(parseListen(undefined)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('0.0.0.0:9780')).toEqual({ host: '0.0.0.0', port: 9780 });
    expect(parseListen('[::1]:80')).toEqual({ host: '::1', port: 80 });
    for (const bad of ['::1:80', 'host:', ':80', 'h:65536', 'h:-1', 'a b:1']) {
      expect(errorOf(() => parseListen(bad)).code, bad).toBe('FLEET_OPTION_INVALID');
    }
  });
});

describe('fleet server over HTTP', () => {
  it('serves both algorithms; status, echo and close; the key log sees what the client derived', async () => {
    const logged: string[] = [];
    for (const label of ['session-x1', 'session-p1']) {
      const s = await serve({
        sessionKeyLabel: label,
        keyLog: (e) => logged.push(hexEncode(e.transcriptHash)),
      });
      const c = await connect(s.url, world.trust, { now: world.now });
      expect(c.key.keyId).toBe(label);
      expect(logged).toContain(hexEncode(c.transcriptHash));
      expect(await c.status()).toMatchObject({
        namespace: 'example.com/fleet-sessions',
        epoch: 2n,
        keyId: label,
      });
      expect(new TextDecoder().decode(await c.echo('héllo'))).toBe('héllo');
      expect(c.confirmed).toBe(true);
      await c.close();
      expect((await rejectionOf(() => c.echo('after close'))).code).toBe('SESSION_CLOSED');
      expect(s.stats()).toMatchObject({ handshakes: 1, messages: 3, refused: 0, sessions: 0 });
    }
  });

  it('refuses unknown routes, other content types, oversized and malformed bodies, unknown sessions', async () => {
    const s = await serve();
    expect(await refusal(await post(`${s.url}/v1/nope`, 'x'))).toMatchObject({
      status: 404,
      error: 'SESSION_ROUTE_UNKNOWN',
    });
    expect(await refusal(await post(`${s.url}/v1/handshake`, '{}', 'application/json'))).toMatchObject({
      status: 415,
      error: 'SESSION_CONTENT_TYPE_UNSUPPORTED',
    });
    expect(await refusal(await post(`${s.url}/v1/handshake`, new Uint8Array(257)))).toMatchObject({
      status: 413,
      error: 'SESSION_BODY_TOO_LARGE',
    });
    expect(await refusal(await post(`${s.url}/v1/handshake`, Uint8Array.of(0xa1, 0, 2)))).toMatchObject({
      status: 400,
      error: 'SESSION_VERSION_UNSUPPORTED',
    });
    const r = await refusal(await post(`${s.url}/v1/handshake`, Uint8Array.of(0xa1, 0, 1)));
    expect(r).toMatchObject({ status: 400, error: 'SESSION_REQUEST_MALFORMED' });
    expect(r.message).toContain('request.nonce');
    expect(
      await refusal(await post(`${s.url}/v1/session/${'0'.repeat(32)}/message`, Uint8Array.of(0xa0))),
    ).toMatchObject({ status: 404, error: 'SESSION_UNKNOWN' });
    expect(await refusal(await post(`${s.url}/v1/session/XYZ/message`, Uint8Array.of(0xa0)))).toMatchObject({
      status: 404,
      error: 'SESSION_UNKNOWN',
    });
    expect(s.stats().refused).toBe(7);
  });

  it('bounds sessions: capacity, expiry and the message budget', async () => {
    let t = world.now;
    const s = await serve({ maxSessions: 2, sessionTtlSeconds: 60, maxMessagesPerSession: 2, now: () => t });
    const c1 = await connect(s.url, world.trust, { now: world.now });
    await connect(s.url, world.trust, { now: world.now });
    const full = await rejectionOf(() => connect(s.url, world.trust, { now: world.now }));
    expect([full.code, full.exitCode]).toEqual(['SESSION_SERVER_REFUSED', 2]);
    expect(full.message).toContain('503 SESSION_CAPACITY');
    await c1.echo('one');
    await c1.echo('two');
    expect((await rejectionOf(() => c1.echo('three'))).message).toContain('410 SESSION_EXHAUSTED');
    const c3 = await connect(s.url, world.trust, { now: world.now });
    await c3.echo('before expiry');
    t += 60_000;
    expect((await rejectionOf(() => c3.echo('after expiry'))).message).toContain('404 SESSION_UNKNOWN');
    await connect(s.url, world.trust, { now: world.now }); // expired sessions made room
  });

  it('refuses a replayed frame (409) before decrypting it, and the session goes on', async () => {
    const s = await serve();
    const sent: Uint8Array[] = [];
    const c = await connect(s.url, world.trust, {
      now: world.now,
      fetch: tampering('/nothing', (b) => b, sent),
    });
    await c.echo('first');
    const url = `${s.url}/v1/session/${c.sessionId}/message`;
    expect(await refusal(await post(url, sent[1]!))).toMatchObject({
      status: 409,
      error: 'SESSION_COUNTER_MISMATCH',
    });
    expect(new TextDecoder().decode(await c.echo('second'))).toBe('second');
    expect(s.stats()).toMatchObject({ messages: 2, refused: 1, sessions: 1 });
  });

  it('a forged frame from the client ends the session', async () => {
    const s = await serve();
    const c = await connect(s.url, world.trust, { now: world.now });
    await c.echo('ok');
    const res = await post(
      `${s.url}/v1/session/${c.sessionId}/message`,
      Uint8Array.of(0xa2, 0, 1, 1, 0x50, ...new Uint8Array(16)),
    );
    expect(await refusal(res)).toMatchObject({ status: 400, error: 'SESSION_DECRYPT_FAILED' });
    expect((await rejectionOf(() => c.echo('gone'))).message).toContain('404 SESSION_UNKNOWN');
  });

  it('the client refuses a reply frame altered on the way (and one replayed from before)', async () => {
    const s = await serve();
    const c = await connect(s.url, world.trust, {
      now: world.now,
      fetch: tampering('/message', (b) => flip(b, b.length - 3)),
    });
    const e = await rejectionOf(() => c.echo('x'));
    expect([e.code, e.name]).toEqual(['SESSION_DECRYPT_FAILED', 'VerificationError']);
    let first: Uint8Array | undefined;
    const replaying = tampering('/message', (b) => (first ??= b));
    const c2 = await connect(s.url, world.trust, { now: world.now, fetch: replaying });
    await c2.echo('1');
    expect((await rejectionOf(() => c2.echo('2'))).code).toBe('SESSION_COUNTER_MISMATCH');
  });

  it('a handshake altered on the way fails key confirmation at the first message', async () => {
    const s = await serve();
    const other = (await hsm.findKey('session-x2'))!.publicKey;
    const swapShare = (b: Uint8Array) =>
      encodeHandshakeResponse({ ...decodeHandshakeResponse(b), share: other });
    const c = await connect(s.url, world.trust, {
      now: world.now,
      fetch: tampering('/handshake', swapShare),
    });
    const e = await rejectionOf(() => c.echo('x'));
    expect([e.code, e.exitCode]).toEqual(['SESSION_KEY_CONFIRMATION_FAILED', 1]);
    expect(e.message).toContain('SESSION_DECRYPT_FAILED');
  });

  it('answers an unknown call with an authenticated error; many clients at once', async () => {
    const s = await serve({ sessionKeyLabel: 'session-p1' });
    const c = await connect(s.url, world.trust, { now: world.now, keyId: 'session-p1' });
    const e = await rejectionOf(() => c.call('launch' as SessionOp));
    expect([e.code, e.message]).toEqual([
      'SESSION_CALL_REFUSED',
      'reply.code: the server answered SESSION_OP_UNKNOWN: call.op: launch is not one of echo, status, close',
    ]);
    const many = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        connect(s.url, world.trust, { now: world.now }).then((k) => k.echo(`client ${i}`)),
      ),
    );
    expect(many.map((b) => new TextDecoder().decode(b))).toEqual(
      Array.from({ length: 16 }, (_, i) => `client ${i}`),
    );
    const wrong = await rejectionOf(() =>
      connect(s.url, world.trust, { now: world.now, keyId: 'session-x1' }),
    );
    expect(wrong.message).toContain('409 SESSION_KEY_UNAVAILABLE');
  });
});
