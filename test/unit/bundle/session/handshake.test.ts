/**
 * The handshake between the portable client (`ClientHandshake`) and the fleet server's responder,
 * in process (no HTTP), with fleet session keys inside a real emulated HSM — X25519 and P-256 —
 * and a real validation bundle. Success for both algorithms; then every way a server reply can be
 * wrong: the key id (another session key, a signing key, an unknown key, not the one asked for),
 * the algorithm, the share, the version, and a bundle that does not verify (checked before any
 * key is derived).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientHandshake,
  decodeHandshakeRequest,
  encodeHandshakeRequest,
} from '../../../../ceremony/bundle/session/index.js';
import type { SessionAlgorithm } from '../../../../ceremony/bundle/session/index.js';
import { p256 } from '../../../../ceremony/crypto/index.js';
import { resolveServedKey, respondToHandshake, SessionStore } from '../../../../ceremony/fleet/index.js';
import type { ResponderContext } from '../../../../ceremony/fleet/index.js';
import { isCeremonyError } from '../../../../ceremony/errors.js';
import type { Hsm } from '../../../../ceremony/hsm/index.js';
import { anchors, emulatedDevice, fleetEntries, OPERATOR_LABEL, tempDir } from './fixture.js';
import { editCbor, errorOf, rejectionOf } from './helpers.js';

let hsm: Hsm;
let base: string;
let world: ReturnType<typeof anchors>;
let bundle: Uint8Array;
let forged: Uint8Array;
const LABELS = ['session-p1', 'session-x1', 'session-x2', OPERATOR_LABEL];

beforeAll(async () => {
  base = tempDir('session-hs');
  ({ hsm } = await emulatedDevice(base, 'EMU-HS', [
    { label: 'session-x1', algorithm: 'x25519' },
    { label: 'session-x2', algorithm: 'x25519' },
    { label: 'session-p1', algorithm: 'p256', usages: ['derive'] },
    { label: OPERATOR_LABEL, algorithm: 'ed25519' },
  ]));
  world = anchors(hsm, (await hsm.findKey(OPERATOR_LABEL))!.publicKey);
  const e = await fleetEntries(hsm, 'hsm-1', LABELS, 'emulated');
  bundle = await world.bundle({ hsms: [e.hsm], keys: e.keys });
  forged = await world.bundle({ hsms: [e.hsm], keys: e.keys }, { forgeWitness: true });
});

afterAll(async () => {
  await hsm.close();
  rmSync(base, { recursive: true, force: true });
});

async function server(label: string, b = bundle): Promise<ResponderContext> {
  const store = new SessionStore({ maxSessions: 100_000, ttlMs: 60_000, maxMessages: 100 }, Date.now);
  return { hsm, key: await resolveServedKey(hsm, b, label), bundle: b, store, ttlSeconds: 300 };
}

const verify = () => ({ now: world.now });
const text = (s: string) => new TextEncoder().encode(s);

/** Whether the client's and the server's channels interoperate in both directions. */
async function interoperate(
  client: Awaited<ReturnType<ClientHandshake['finish']>>,
  session: Awaited<ReturnType<typeof respondToHandshake>>['session'],
) {
  try {
    await session.channel.open(await client.channel.seal(text('ping')));
    await client.channel.open(await session.channel.seal(text('pong')));
    return true;
  } catch {
    return false;
  }
}

describe.each([
  ['session-x1', 'x25519'],
  ['session-p1', 'p256'],
] as const)('handshake with %s (%s)', (label, algorithm) => {
  it('agrees keys: any key or this key, with both shares offered or only this one', async () => {
    const ctx = await server(label);
    for (const o of [{}, { keyId: label }, { algorithms: [algorithm] as SessionAlgorithm[] }]) {
      const hs = ClientHandshake.begin(o);
      const { response, session } = await respondToHandshake(hs.request, ctx);
      const s = await hs.finish(response, world.trust, verify());
      expect(s.key).toMatchObject({ keyId: label, algorithm, role: 'session' });
      expect(s.verified.namespace).toBe('example.com/fleet-sessions');
      expect(s.transcriptHash).toHaveLength(32);
      expect(await interoperate(s, session)).toBe(true);
    }
  });

  it('any change to any byte of the server reply fails the handshake or the first message', async () => {
    const ctx = await server(label);
    const probe = await respondToHandshake(ClientHandshake.begin().request, ctx);
    const bundleAt = Buffer.from(probe.response).indexOf(Buffer.from(bundle));
    const codes = { bundle: new Set<string>(), other: new Set<string>() };
    for (let i = 0; i < probe.response.length; i++) {
      // Bundle bytes are verified the same way whatever the algorithm; the emulated HSM's P-256
      // ECDH is slow (pure JS), so P-256 samples every 9th byte of the bundle, X25519 takes all.
      if (algorithm === 'p256' && i >= bundleAt && i < bundleAt + bundle.length && (i - bundleAt) % 9 !== 0)
        continue;
      const hs = ClientHandshake.begin();
      const { response, session } = await respondToHandshake(hs.request, ctx);
      const tampered = response.slice();
      tampered[i] = tampered[i]! ^ (1 << (i % 8));
      const inBundle = i >= bundleAt && i < bundleAt + bundle.length;
      let code = 'KEYS_DIFFER';
      try {
        const s = await hs.finish(tampered, world.trust, verify());
        expect(await interoperate(s, session), `byte ${i}: a tampered reply gave working keys`).toBe(false);
      } catch (e) {
        const err = isCeremonyError(e) ? e : undefined;
        code = err?.code ?? `untyped: ${String(e)}`;
        expect(err?.exitCode, `byte ${i} ${code}: a failed handshake is a verification failure`).toBe(1);
      }
      (inBundle ? codes.bundle : codes.other).add(code);
      if (inBundle) expect(code, `bundle byte ${i - bundleAt}`).toMatch(/^BUNDLE_/);
    }
    // The key share, session id and ttl are bound through the transcript: their changes give keys that differ.
    expect(codes.other).toContain('KEYS_DIFFER');
    expect(codes.other).toContain('SESSION_KEY_UNKNOWN');
    if (algorithm === 'p256') expect(codes.other).toContain('SESSION_SHARE_INVALID');
    expect([...codes.bundle].length).toBeGreaterThan(3);
  }, 60_000);
});

describe('the client refuses a reply that names the wrong key', () => {
  it('another session key of the same fleet than the server used: keys differ', async () => {
    const ctx = await server('session-x1');
    const hs = ClientHandshake.begin();
    const { response, session } = await respondToHandshake(hs.request, ctx);
    const s = await hs.finish(
      editCbor(response, (m) => m.set(2, 'session-x2')),
      world.trust,
      verify(),
    );
    expect(await interoperate(s, session)).toBe(false);
  });

  it.each([
    ['a signing key', OPERATOR_LABEL, 'SESSION_KEY_NOT_SESSION', 'response.keyId'],
    ['a key not in the fleet', 'session-x9', 'SESSION_KEY_UNKNOWN', 'response.keyId'],
    ['a P-256 key with an X25519 share', 'session-p1', 'SESSION_ALGORITHM_MISMATCH', 'response.share'],
  ])('%s', async (_name, keyId, code, field) => {
    const hs = ClientHandshake.begin();
    const { response } = await respondToHandshake(hs.request, await server('session-x1'));
    const e = await rejectionOf(() =>
      hs.finish(
        editCbor(response, (m) => m.set(2, keyId)),
        world.trust,
        verify(),
      ),
    );
    expect([e.code, e.field, e.name]).toEqual([code, field, 'VerificationError']);
  });

  it('a key of an algorithm the client did not offer', async () => {
    const hs = ClientHandshake.begin({ algorithms: ['x25519'] });
    const p = new Uint8Array(p256.generateKeyPair().publicKey);
    const { response } = await respondToHandshake(hs.request, await server('session-x1'));
    const e = await rejectionOf(() =>
      hs.finish(
        editCbor(response, (m) => (m.set(2, 'session-p1'), m.set(3, p))),
        world.trust,
        verify(),
      ),
    );
    expect([e.code, e.message]).toEqual([
      'SESSION_ALGORITHM_MISMATCH',
      'response.keyId: key "session-p1" is p256; the client offered x25519',
    ]);
  });

  it('not the key the client asked for', async () => {
    const hs = ClientHandshake.begin({ keyId: 'session-x1' });
    // A server that ignores the key id asked for (it sees a request for "any").
    const r = decodeHandshakeRequest(hs.request);
    const { response } = await respondToHandshake(
      encodeHandshakeRequest({ ...r, keyId: null }),
      await server('session-x2'),
    );
    const e = await rejectionOf(() => hs.finish(response, world.trust, verify()));
    expect([e.code, e.field]).toEqual(['SESSION_KEY_ID_MISMATCH', 'response.keyId']);
  });

  it('a share of the wrong length for the key, an invalid share, another version', async () => {
    const cases: [(m: Map<unknown, unknown>) => void, string, string][] = [
      [(m) => m.set(3, p256.generateKeyPair().publicKey), 'SESSION_ALGORITHM_MISMATCH', 'response.share'],
      [(m) => m.set(3, new Uint8Array(32)), 'SESSION_SHARE_INVALID', 'response.share'],
      [(m) => m.set(0, 2), 'SESSION_VERSION_UNSUPPORTED', 'response.version'],
      [(m) => m.set(4, Uint8Array.of(0xa0)), 'BUNDLE_MALFORMED', 'bundle.version'],
    ];
    for (const [edit, code, field] of cases) {
      const hs = ClientHandshake.begin();
      const { response } = await respondToHandshake(hs.request, await server('session-x1'));
      const e = await rejectionOf(() => hs.finish(editCbor(response, edit as never), world.trust, verify()));
      expect([e.code, e.field, e.name]).toEqual([code, field, 'VerificationError']);
    }
  });
});

describe('order and one-shot use', () => {
  it('a bundle that does not verify is refused before the key and the share are even looked at', async () => {
    const hs = ClientHandshake.begin();
    const { response } = await respondToHandshake(hs.request, await server('session-x1', forged));
    const bad = editCbor(response, (m) => (m.set(2, OPERATOR_LABEL), m.set(3, new Uint8Array(32))));
    const e = await rejectionOf(() => hs.finish(bad, world.trust, verify()));
    expect([e.code, e.name]).toEqual(['BUNDLE_WITNESS_SIGNATURE_INVALID', 'VerificationError']);
  });

  it('a handshake finishes once; bad options are refused', async () => {
    const hs = ClientHandshake.begin();
    const { response } = await respondToHandshake(hs.request, await server('session-x1'));
    await hs.finish(response, world.trust, verify());
    expect((await rejectionOf(() => hs.finish(response, world.trust, verify()))).code).toBe(
      'SESSION_HANDSHAKE_USED',
    );
    expect(errorOf(() => ClientHandshake.begin({ keyId: 'no spaces' })).code).toBe('SESSION_OPTION_INVALID');
    expect(errorOf(() => ClientHandshake.begin({ algorithms: [] })).code).toBe('SESSION_OPTION_INVALID');
    expect(errorOf(() => ClientHandshake.begin({ algorithms: ['x25519', 'x25519'] })).code).toBe(
      'SESSION_OPTION_INVALID',
    );
  });

  it('the server refuses a key it does not hold and a request without a share for its key', async () => {
    const ctx = await server('session-p1');
    const e1 = await rejectionOf(() =>
      respondToHandshake(ClientHandshake.begin({ keyId: 'session-x1' }).request, ctx),
    );
    expect([e1.code, e1.field]).toEqual(['SESSION_KEY_UNAVAILABLE', 'request.keyId']);
    const e2 = await rejectionOf(() =>
      respondToHandshake(ClientHandshake.begin({ algorithms: ['x25519'] }).request, ctx),
    );
    expect([e2.code, e2.field]).toEqual(['SESSION_ALGORITHM_UNSUPPORTED', 'request.p256']);
  });
});
