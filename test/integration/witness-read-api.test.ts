/**
 * The read API over real HTTP: /info, namespaces, audits and their artifacts, the log's tiles,
 * checkpoints and proofs (each checked against the signed checkpoint), cache headers, 404s and
 * 400s; and the operator counter-signature upload (good, invalid, conflicting, unauthenticated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { witnessLogLeaf } from '../../ceremony/bundle/index.js';
import { base64Decode, hexEncode, utf8Decode } from '../../ceremony/codec/index.js';
import { ed25519, sha256 } from '../../ceremony/crypto/index.js';
import { countersignMessage } from '../../ceremony/statement/index.js';
import {
  checkConsistency,
  checkInclusion,
  hashLeaf,
  openCheckpoint,
  parseEntryBundle,
  parseVerifierKey,
  verifyTlogProof,
} from '../../ceremony/tlog/index.js';
import { getJson } from '../../ceremony/witness/client/http-client.js';
import { parseAuditJson, parseInfoJson } from '../../ceremony/witness/client/reply.js';
import type { WitnessAudit } from '../../ceremony/witness/client/reply.js';
import { submitFleetKeySet } from '../../ceremony/witness/client/submit.js';
import { encodeCountersignature } from '../../ceremony/witness/policy/countersignature.js';
import {
  buildFleetKeySet,
  createFleet,
  createWitnessDir,
  makeOperator,
  postRaw,
  postSigned,
  startWitness,
  tempDir,
} from '../unit/witness/fixtures.js';
import type { Fleet, RunningWitness } from '../unit/witness/fixtures.js';
import type { WitnessKeygenResult } from '../../ceremony/witness/keys/keygen.js';

const NS = 'fleet-read';

describe('witness read API', () => {
  const tmp = tempDir();
  const op = makeOperator('op-a');
  let fleet: Fleet;
  let w: RunningWitness;
  const replies: WitnessAudit[] = [];
  const get = (path: string) => fetch(w.url + path);
  let logKey: ReturnType<typeof parseVerifierKey>;
  let kg: WitnessKeygenResult;

  beforeAll(async () => {
    fleet = await createFleet(tmp.dir);
    kg = await createWitnessDir(`${tmp.dir}/w`, {
      namespace: NS,
      operator: op,
      vendorRoot: fleet.vendorRoot,
    });
    w = await startWitness(`${tmp.dir}/w`);
    let prev: Uint8Array | null = null;
    for (let e = 1n; e <= 3n; e++) {
      const f = await buildFleetKeySet(fleet, { namespace: NS, epoch: e, previousDigest: prev });
      replies.push(
        (
          await submitFleetKeySet({
            url: w.url,
            fleetKeySet: f.bytes,
            attestations: f.attestations,
            operator: op.signer,
          })
        ).reply,
      );
      prev = f.digest;
    }
    logKey = parseVerifierKey(parseInfoJson(await getJson(w.url, '/info')).logVerifierKey);
  });
  afterAll(async () => {
    await w?.close();
    await fleet?.hsm.close();
    tmp.cleanup();
  });

  it('/info lists the statement keys with not_before (Plexi) and the log and cosigner keys', async () => {
    const res = await get('/info');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const info = (await res.json()) as {
      keys: { public_key: string; not_before: number; key_id: number }[];
      logs: string[];
    };
    expect(info.keys).toHaveLength(1);
    expect(info.keys[0]!.key_id).toBe(replies[0]!.keyId);
    expect(info.logs).toEqual([kg.logVerifierKey]);
    expect(info.keys[0]!.public_key).toBe(hexEncode(kg.statementPublicKey));
    expect(info.keys[0]!.not_before).toBe(kg.notBefore);
  });

  it('/namespaces and /namespaces/{ns} show the status, root, profile and last epoch', async () => {
    const list = (await (await get('/namespaces')).json()) as {
      namespaces: { name: string; status: string; last_verified_epoch: number }[];
    };
    expect(list.namespaces).toEqual([
      expect.objectContaining({
        name: NS,
        status: 'Online',
        last_verified_epoch: 3,
        root: 'genesis',
        profile: 'rehearsal',
      }),
    ]);
    expect(await (await get(`/namespaces/${NS}`)).json()).toMatchObject({ name: NS, last_verified_epoch: 3 });
    expect((await get('/namespaces/nope')).status).toBe(404);
  });

  it('audits: the epoch list, each record (immutable), its fleet key set and attestations', async () => {
    expect(await (await get(`/namespaces/${NS}/audits`)).json()).toEqual({
      namespace: NS,
      epochs: [1, 2, 3],
    });
    const res = await get(`/namespaces/${NS}/audits/2`);
    expect(res.headers.get('cache-control')).toContain('immutable');
    const a = parseAuditJson(await res.json());
    expect(hexEncode(a.signature)).toBe(hexEncode(replies[1]!.signature));
    const fks = new Uint8Array(await (await get(`/namespaces/${NS}/audits/2/fleet-key-set`)).arrayBuffer());
    expect(hexEncode(sha256(fks))).toBe(hexEncode(a.digest));
    expect((await get(`/namespaces/${NS}/audits/2/attestations`)).headers.get('content-type')).toBe(
      'application/cbor',
    );
  });

  it('audits: 404 for an unsigned epoch, 400 for a non-canonical one', async () => {
    expect(((await (await get(`/namespaces/${NS}/audits/4`)).json()) as { error: string }).error).toBe(
      'EPOCH_UNKNOWN',
    );
    expect(((await (await get(`/namespaces/${NS}/audits/02`)).json()) as { error: string }).error).toBe(
      'REQUEST_MALFORMED',
    );
  });

  it('/namespaces/{ns}/audits/{epoch}/proof is a tlog-proof of the statement against the latest checkpoint', async () => {
    const proof = await (await get(`/namespaces/${NS}/audits/1/proof`)).text();
    const r = replies[0]!;
    const v = verifyTlogProof(
      proof,
      { entry: witnessLogLeaf({ statement: r.statement, signature: r.signature, keyId: r.keyId }) },
      [logKey],
      { origin: logKey.name },
    );
    expect(v.checkpoint.size).toBe(3n);
  });

  it('tiles, checkpoints and proofs verify against the signed checkpoint', async () => {
    const note = await (await get('/checkpoint')).text();
    const cp = openCheckpoint(note, [logKey]).checkpoint;
    expect(cp.size).toBe(3n);
    const bundle = parseEntryBundle(new Uint8Array(await (await get('/tile/entries/000.p/3')).arrayBuffer()));
    const r = replies[2]!;
    expect(hexEncode(bundle[2]!)).toBe(
      hexEncode(witnessLogLeaf({ statement: r.statement, signature: r.signature, keyId: r.keyId })),
    );
    const tile = new Uint8Array(await (await get('/tile/0/000.p/3')).arrayBuffer());
    expect(hexEncode(tile.subarray(64, 96))).toBe(hexEncode(hashLeaf(bundle[2]!)));
    const incl = (await (await get('/proofs/inclusion/2?size=3')).json()) as { hashes: string[] };
    checkInclusion(
      hashLeaf(bundle[2]!),
      2,
      3,
      incl.hashes.map((h) => base64Decode(h)),
      cp.rootHash,
    );
    const cp1 = openCheckpoint(await (await get('/checkpoints/1')).text(), [logKey]).checkpoint;
    const cons = (await (await get('/proofs/consistency/1/3')).json()) as { hashes: string[] };
    checkConsistency(
      1,
      3,
      cp1.rootHash,
      cp.rootHash,
      cons.hashes.map((h) => base64Decode(h)),
    );
    expect((await get('/tile/entries/001')).status).toBe(404);
    expect((await get('/tile/x/000')).status).toBe(400);
    expect((await get('/checkpoints/7')).status).toBe(404);
    expect((await get('/proofs/tlog/9')).status).toBe(404);
  });

  describe('counter-signatures', () => {
    const cs = ed25519.generateKeyPair();
    const upload = (epoch: number, sig: Uint8Array, signer = op) =>
      postSigned(
        w.url,
        `/namespaces/${NS}/audits/${epoch}/countersignature`,
        encodeCountersignature({ algorithm: 'ed25519', publicKey: cs.publicKey, signature: sig }),
        signer,
      );
    const sigFor = (r: WitnessAudit) =>
      ed25519.sign(cs.secretKey, countersignMessage(r.signature, r.statement));

    it('404 before one is uploaded', async () => {
      expect(
        ((await (await get(`/namespaces/${NS}/audits/1/countersignature`)).json()) as { error: string })
          .error,
      ).toBe('RESOURCE_UNKNOWN');
    });
    it('refuses a counter-signature over another epoch (422) and an unauthenticated upload (401)', async () => {
      const bad = await upload(1, sigFor(replies[1]!));
      expect({ status: bad.status, error: bad.json.error }).toEqual({
        status: 422,
        error: 'COUNTERSIGNATURE_INVALID',
      });
      const anon = await postRaw(
        w.url,
        `/namespaces/${NS}/audits/1/countersignature`,
        new Uint8Array([0xa0]),
        { 'content-type': 'application/cbor' },
      );
      expect(anon.status).toBe(401);
      const stranger = await upload(1, sigFor(replies[0]!), makeOperator('op-z'));
      expect(stranger.status).toBe(401);
    });
    it('stores a valid one once; the same again is fine, a different one is 409', async () => {
      const good = sigFor(replies[0]!);
      expect((await upload(1, good)).status).toBe(200);
      expect((await upload(1, good)).status).toBe(200);
      const other = ed25519.sign(cs.secretKey, new Uint8Array([1]));
      expect((await upload(1, other)).status).toBe(422);
      const cs2 = ed25519.generateKeyPair();
      const conflicting = await postSigned(
        w.url,
        `/namespaces/${NS}/audits/1/countersignature`,
        encodeCountersignature({
          algorithm: 'ed25519',
          publicKey: cs2.publicKey,
          signature: ed25519.sign(
            cs2.secretKey,
            countersignMessage(replies[0]!.signature, replies[0]!.statement),
          ),
        }),
        op,
      );
      expect({ status: conflicting.status, error: conflicting.json.error }).toEqual({
        status: 409,
        error: 'COUNTERSIGNATURE_EXISTS',
      });
      const served = JSON.parse(
        utf8Decode(
          new Uint8Array(await (await get(`/namespaces/${NS}/audits/1/countersignature`)).arrayBuffer()),
        ),
      );
      expect(served.signature).toBe(hexEncode(good));
    });
  });
});
