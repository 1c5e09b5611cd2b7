/**
 * The encrypted channel: every bit of a frame matters (a flipped bit anywhere is refused, and a
 * flip in the ciphertext or tag closes the channel), replayed and reordered frames are refused by
 * their counter before any decryption, frames do not open in the wrong direction or under another
 * transcript, and a closed channel refuses everything.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, SessionChannel } from '../../../../ceremony/bundle/session/index.js';
import { randomBytes } from '../../../../ceremony/crypto/index.js';
import { flip, rejectionOf } from './helpers.js';

const th = randomBytes(32);

async function pair(transcript = th) {
  const c2s = randomBytes(32);
  const s2c = randomBytes(32);
  const keys = () => ({ clientToServer: c2s.slice(), serverToClient: s2c.slice() });
  return {
    client: await SessionChannel.create('client', keys(), transcript),
    server: await SessionChannel.create('server', keys(), transcript),
    c2s,
    s2c,
  };
}

const msg = (s: string) => new TextEncoder().encode(s);

describe('session channel', () => {
  it('carries messages both ways in order, counting frames', async () => {
    const { client, server } = await pair();
    for (let i = 0; i < 5; i++) {
      expect(await server.open(await client.seal(msg(`call ${i}`)))).toEqual(msg(`call ${i}`));
      expect(await client.open(await server.seal(msg(`reply ${i}`)))).toEqual(msg(`reply ${i}`));
    }
    expect([client.sent, client.received, server.sent, server.received]).toEqual([5, 5, 5, 5]);
  });

  it('wipes the raw keys it was given', async () => {
    const keys = { clientToServer: randomBytes(32), serverToClient: randomBytes(32) };
    await SessionChannel.create('client', keys, th);
    expect([...keys.clientToServer, ...keys.serverToClient].every((b) => b === 0)).toBe(true);
  });

  it('refuses a frame with any single bit flipped; ciphertext or tag flips close the channel', async () => {
    const { client } = await pair();
    const frame = await client.seal(msg('tamper with me'));
    const headerBytes = frame.length - decodeFrame(frame).ciphertext.length;
    const codes = new Set<string>();
    for (let i = 0; i < frame.length; i++) {
      for (const bit of [0, 7]) {
        const { client: c, server } = await pair();
        // Re-seal under these keys so the frame is valid for this fresh pair, then tamper.
        const good = await c.seal(msg('tamper with me'));
        const e = await rejectionOf(() => server.open(flip(good, i, bit)));
        codes.add(e.code);
        if (i >= headerBytes) {
          expect(e.code).toBe('SESSION_DECRYPT_FAILED');
          expect(server.closed).toBe(true);
        }
      }
    }
    expect([...codes].sort()).toEqual([
      'SESSION_COUNTER_MISMATCH',
      'SESSION_DECRYPT_FAILED',
      'SESSION_FRAME_MALFORMED',
    ]);
  });

  it('refuses a replayed frame by its counter, and keeps the channel open', async () => {
    const { client, server } = await pair();
    const f0 = await client.seal(msg('once'));
    await server.open(f0);
    const e = await rejectionOf(() => server.open(f0));
    expect(e.code).toBe('SESSION_COUNTER_MISMATCH');
    expect(e.field).toBe('frame.seq');
    expect(e.message).toContain('got 0, want 1');
    expect(server.closed).toBe(false);
    expect(await server.open(await client.seal(msg('next')))).toEqual(msg('next'));
  });

  it('refuses reordered frames: the later one first, then accepts them in order', async () => {
    const { client, server } = await pair();
    const f0 = await client.seal(msg('first'));
    const f1 = await client.seal(msg('second'));
    expect((await rejectionOf(() => server.open(f1))).code).toBe('SESSION_COUNTER_MISMATCH');
    expect(await server.open(f0)).toEqual(msg('first'));
    expect(await server.open(f1)).toEqual(msg('second'));
  });

  it('a frame with a forged counter (seq rewritten) fails authentication: the nonce is the counter', async () => {
    const { client, server } = await pair();
    await client.seal(msg('skipped'));
    const f1 = decodeFrame(await client.seal(msg('moved')));
    const e = await rejectionOf(() => server.open(encodeFrame({ seq: 0, ciphertext: f1.ciphertext })));
    expect(e.code).toBe('SESSION_DECRYPT_FAILED');
  });

  it('does not open its own direction, nor under another transcript hash', async () => {
    const { client, c2s, s2c } = await pair();
    const f = await client.seal(msg('to the server'));
    expect((await rejectionOf(() => client.open(f))).code).toBe('SESSION_DECRYPT_FAILED');
    const other = await SessionChannel.create(
      'server',
      { clientToServer: c2s, serverToClient: s2c },
      randomBytes(32),
    );
    expect((await rejectionOf(() => other.open(f))).code).toBe('SESSION_DECRYPT_FAILED');
  });

  it('concurrent opens of one frame: exactly one succeeds', async () => {
    const { client, server } = await pair();
    const f = await client.seal(msg('race'));
    const results = await Promise.allSettled([server.open(f), server.open(f), server.open(f)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a closed channel refuses to seal and to open', async () => {
    const { client, server } = await pair();
    const f = await client.seal(msg('late'));
    server.close();
    server.close();
    expect((await rejectionOf(() => server.open(f))).code).toBe('SESSION_CLOSED');
    expect((await rejectionOf(() => server.seal(msg('x')))).code).toBe('SESSION_CLOSED');
    expect((await rejectionOf(() => client.seal(new Uint8Array(65_537)))).code).toBe(
      'SESSION_OPTION_INVALID',
    );
  });
});
