/**
 * The `countersign` step uploads the operator's counter-signature to the witness (the demo's local
 * witness, served over loopback HTTP from its data directory, as the step itself does): once, then
 * never again on a later attempt; a repeat of the same bytes (a lost answer) is taken as done; a
 * different counter-signature the witness holds stops the step with its own code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexEncode } from '../../../../ceremony/codec/index.js';
import { ed25519 } from '../../../../ceremony/crypto/index.js';
import { countersignMessage } from '../../../../ceremony/statement/index.js';
import { ARTIFACTS } from '../../../../ceremony/runner/steps/ceremony/index.js';
import { uploadCountersignatureOnce } from '../../../../ceremony/runner/steps/ceremony/witness-exchange.js';
import type { UploadOptions } from '../../../../ceremony/runner/steps/ceremony/witness-exchange.js';
import { operatorSignerFromHsm, serveWitness } from '../../../../ceremony/witness/index.js';
import type { OperatorSigner } from '../../../../ceremony/witness/index.js';
import { notes, stepsFixture } from './fixture.js';
import type { StepsFixture } from './fixture.js';

const NS = 'example.backup-keys';
const CS_PATH = `/namespaces/${NS}/audits/1/countersignature`;

/** A fixture run up to the witness's signature. */
async function signedFixture(): Promise<StepsFixture> {
  const fx = await stepsFixture();
  for (const id of ['verify-hsms', 'generate', 'attest', 'assemble', 'witness-submit']) await fx.run(id);
  return fx;
}

/** Runs `use` against the fixture's witness, served on loopback. */
async function atWitness<T>(fx: StepsFixture, use: (url: string) => Promise<T>): Promise<T> {
  const w = await serveWitness({ dir: join(fx.dir, 'witness'), listen: '127.0.0.1:0' });
  try {
    return await use(w.url);
  } finally {
    await w.close();
  }
}

async function heldBy(fx: StepsFixture): Promise<{ status: number; body: Record<string, unknown> }> {
  return atWitness(fx, async (url) => {
    const res = await fetch(url + CS_PATH);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  });
}

const operatorOf = async (fx: StepsFixture): Promise<OperatorSigner> =>
  operatorSignerFromHsm(await fx.hsm('hsm-1'), 'operator-countersign', 'fleet-rehearsal');

/** A valid counter-signature of the fixture's witness signature by a key that is not the operator's. */
function foreignCountersignature(fx: StepsFixture): UploadOptions['countersignature'] {
  const kp = ed25519.generateKeyPair();
  const statement = readFileSync(join(fx.workdir, ARTIFACTS.statement));
  const signature = readFileSync(join(fx.workdir, ARTIFACTS.statementSignature));
  return {
    algorithm: 'ed25519',
    publicKey: kp.publicKey,
    signature: ed25519.sign(kp.secretKey, countersignMessage(signature, statement)),
  };
}

/** A fetch that answers the first GET of the counter-signature with a 404, as if it were not there yet. */
function hidingFetch(): { fetch: typeof fetch; posts: () => number } {
  let hidden = false;
  let posts = 0;
  const f: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === 'POST') posts++;
    if (!hidden && init?.method === 'GET' && url.endsWith(CS_PATH)) {
      hidden = true;
      return new Response(JSON.stringify({ error: 'RESOURCE_UNKNOWN', message: 'hidden by the test' }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    }
    return fetch(input, init);
  };
  return { fetch: f, posts: () => posts };
}

describe('countersign uploads to the witness', () => {
  let fx: StepsFixture;
  beforeAll(async () => {
    fx = await signedFixture();
  });
  afterAll(() => fx.close());

  it('before the step the witness has no counter-signature; after it, exactly the one saved', async () => {
    expect((await heldBy(fx)).status).toBe(404);
    const out = await fx.run('countersign');
    const saved = readFileSync(join(fx.workdir, ARTIFACTS.countersignature));
    const held = await heldBy(fx);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({
      algorithm: 'ed25519',
      public_key: out['operatorKey'],
      signature: hexEncode(saved),
    });
    expect(notes(fx, 'countersignature-upload')).toEqual([
      {
        event: 'countersignature-upload',
        witness: 'local-rehearsal',
        path: CS_PATH,
        namespace: NS,
        epoch: 1,
        operator: 'fleet-rehearsal',
        result: 'uploaded',
      },
    ]);
  });

  it('a later attempt keeps the saved counter-signature and does not post it again', async () => {
    const first = readFileSync(join(fx.workdir, ARTIFACTS.countersignature));
    await fx.run('countersign', { attempt: 2 });
    expect(readFileSync(join(fx.workdir, ARTIFACTS.countersignature))).toEqual(first);
    expect(notes(fx, 'countersignature').map((n) => n['reused'])).toEqual([false, true]);
    expect(notes(fx, 'countersignature-upload').map((n) => n['result'])).toEqual(['uploaded', 'present']);
  });

  it('a repeat the witness has already (its copy hidden from the first read) is posted once and taken as done', async () => {
    const cs = {
      algorithm: 'ed25519' as const,
      publicKey: (await (await fx.hsm('hsm-1')).findKey('operator-countersign'))!.publicKey,
      signature: new Uint8Array(readFileSync(join(fx.workdir, ARTIFACTS.countersignature))),
    };
    const operator = await operatorOf(fx);
    const hiding = hidingFetch();
    const result = await atWitness(fx, (url) =>
      uploadCountersignatureOnce({
        url,
        namespace: NS,
        epoch: 1n,
        operator,
        countersignature: cs,
        fetch: hiding.fetch,
      }),
    );
    expect(result).toBe('uploaded');
    expect(hiding.posts()).toBe(1);
    const again = await atWitness(fx, (url) =>
      uploadCountersignatureOnce({ url, namespace: NS, epoch: 1n, operator, countersignature: cs }),
    );
    expect(again).toBe('present');
  });

  it('another counter-signature for the epoch is refused, whether seen first or answered 409 by the witness', async () => {
    const operator = await operatorOf(fx);
    const other = foreignCountersignature(fx);
    const up = (url: string, f?: typeof fetch) =>
      uploadCountersignatureOnce({
        url,
        namespace: NS,
        epoch: 1n,
        operator,
        countersignature: other,
        ...(f === undefined ? {} : { fetch: f }),
      });
    await atWitness(fx, async (url) => {
      await expect(up(url)).rejects.toMatchObject({ code: 'CEREMONY_COUNTERSIGNATURE_CONFLICT' });
      const hiding = hidingFetch();
      await expect(up(url, hiding.fetch)).rejects.toMatchObject({
        code: 'CEREMONY_COUNTERSIGNATURE_CONFLICT',
      });
      expect(hiding.posts()).toBe(1);
    });
  });
});

describe('countersign against a witness holding a foreign counter-signature', () => {
  it('stops with CEREMONY_COUNTERSIGNATURE_CONFLICT and records no upload', async () => {
    const fx = await signedFixture();
    try {
      const operator = await operatorOf(fx);
      const other = foreignCountersignature(fx);
      expect(
        await atWitness(fx, (url) =>
          uploadCountersignatureOnce({ url, namespace: NS, epoch: 1n, operator, countersignature: other }),
        ),
      ).toBe('uploaded');
      await expect(fx.run('countersign')).rejects.toMatchObject({
        code: 'CEREMONY_COUNTERSIGNATURE_CONFLICT',
        message: expect.stringContaining(hexEncode(other.publicKey)) as string,
      });
      expect(notes(fx, 'countersignature-upload')).toEqual([]);
    } finally {
      await fx.close();
    }
  });
});
