/**
 * C2SP tlog-witness `add-checkpoint` over real HTTP: the witness cosigns another log's checkpoints
 * (cosignature/v1), keeps per-origin state, checks consistency proofs, and refuses with the
 * spec's statuses: 409 with `text/x.tlog.size` for a stale or wrong old size, 422 for an
 * inconsistent tree, 403 for a bad signature, 404 for an unknown origin, 400 for old > size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode, hexEncode, utf8Encode } from '../../ceremony/codec/index.js';
import { sha256 } from '../../ceremony/crypto/index.js';
import {
  MemoryTree,
  formatCheckpoint,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../ceremony/tlog/index.js';
import { addCosignedLog } from '../../ceremony/witness/config/namespaces.js';
import { getJson } from '../../ceremony/witness/client/http-client.js';
import { parseInfoJson } from '../../ceremony/witness/client/reply.js';
import { createWitnessDir, makeOperator, postRaw, startWitness, tempDir } from '../unit/witness/fixtures.js';
import type { RunningWitness } from '../unit/witness/fixtures.js';

const ORIGIN = 'example.com/other-log';

describe('witness cosigning (tlog-witness add-checkpoint)', () => {
  const tmp = tempDir();
  const logKey = generateSignerKey(ORIGIN);
  const signer = parseSignerKey(logKey.signerKey);
  const tree = new MemoryTree();
  let w: RunningWitness;
  let cosigner: ReturnType<typeof parseVerifierKey>;

  const checkpoint = (size: number, root = tree.root(size), s = signer) =>
    signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: root }), s);
  const body = (old: number, proof: Uint8Array[], note: string) =>
    utf8Encode(`old ${old}\n${proof.map((h) => base64Encode(h) + '\n').join('')}\n${note}`);
  const add = (old: number, proof: Uint8Array[], note: string) =>
    postRaw(w.url, '/add-checkpoint', body(old, proof, note), {});
  const grow = (n: number) => {
    for (let i = 0; i < n; i++) tree.append(utf8Encode(`entry ${tree.size}`));
  };

  beforeAll(async () => {
    const dir = `${tmp.dir}/witness`;
    await createWitnessDir(dir, {
      namespace: 'ns',
      operator: makeOperator('op'),
      vendorRoot: new Uint8Array([0x30, 0]),
    });
    addCosignedLog(dir, { origin: ORIGIN, verifierKeys: [logKey.verifierKey] });
    w = await startWitness(dir);
    cosigner = parseVerifierKey(parseInfoJson(await getJson(w.url, '/info')).cosignerVerifierKey);
    grow(5);
  });
  afterAll(async () => {
    await w?.close();
    tmp.cleanup();
  });

  it('cosigns a first checkpoint (old 0) with a cosignature/v1 that verifies', async () => {
    const note = checkpoint(5);
    const r = await add(0, [], note);
    expect(r.status, r.text).toBe(200);
    expect(r.text).toMatch(/^\u2014 witness\.test\/log\/cosigner [A-Za-z0-9+/=]+\n$/);
    const opened = openNote(note + r.text, [parseVerifierKey(logKey.verifierKey), cosigner]);
    const cosig = opened.signatures.find((s) => s.name === cosigner.name)!;
    expect(cosig.timestamp).toBeGreaterThan(0n);
  });

  it('serves the cosigned checkpoint at /<sha256(origin)>/checkpoint', async () => {
    const res = await fetch(`${w.url}/${hexEncode(sha256(utf8Encode(ORIGIN)))}/checkpoint`);
    expect(res.status).toBe(200);
    const opened = openNote(await res.text(), [parseVerifierKey(logKey.verifierKey), cosigner]);
    expect(opened.signatures.map((s) => s.name).sort()).toEqual([ORIGIN, cosigner.name].sort());
  });

  it('cosigns a larger checkpoint with a consistency proof from the cosigned size', async () => {
    grow(4);
    const r = await add(5, tree.proveConsistency(5, 9), checkpoint(9));
    expect(r.status, r.text).toBe(200);
  });

  it('stale old size (a checkpoint the witness moved past): 409 with the latest size as text/x.tlog.size', async () => {
    const r = await add(5, tree.proveConsistency(5, 9), checkpoint(9));
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/^text\/x\.tlog\.size/);
    expect(r.text).toBe('9\n');
  });

  it('inconsistent tree (a fork at the same old size): 422 and the state is unchanged', async () => {
    // A valid proof from another tree's 9 to its 12 does not connect the witness's root at 9.
    const other = new MemoryTree();
    for (let i = 0; i < 12; i++) other.append(utf8Encode(`other ${i}`));
    const r = await add(9, other.proveConsistency(9, 12), checkpoint(12, other.root(12)));
    expect(r.status).toBe(422);
    expect(r.json.error).toBe('CHECKPOINT_PROOF_INVALID');
    const again = await add(5, [], checkpoint(9));
    expect(again.text).toBe('9\n');
  });

  it('same size, different root: 422 CHECKPOINT_ROOT_MISMATCH', async () => {
    const r = await add(9, [], checkpoint(9, new Uint8Array(32).fill(3)));
    expect({ status: r.status, error: r.json.error }).toEqual({
      status: 422,
      error: 'CHECKPOINT_ROOT_MISMATCH',
    });
  });

  it('signature by an unknown key for the origin: 403', async () => {
    const stranger = parseSignerKey(generateSignerKey(ORIGIN).signerKey);
    grow(1);
    const r = await add(9, tree.proveConsistency(9, 10), checkpoint(10, tree.root(10), stranger));
    expect({ status: r.status, error: r.json.error }).toEqual({
      status: 403,
      error: 'CHECKPOINT_SIGNATURE_REFUSED',
    });
  });

  it('unknown origin: 404', async () => {
    const k = generateSignerKey('example.com/unknown');
    const note = signNote(
      formatCheckpoint({ origin: 'example.com/unknown', size: 1, rootHash: tree.root(1) }),
      parseSignerKey(k.signerKey),
    );
    const r = await add(0, [], note);
    expect({ status: r.status, error: r.json.error }).toEqual({
      status: 404,
      error: 'CHECKPOINT_ORIGIN_UNKNOWN',
    });
  });

  it('old size larger than the checkpoint: 400', async () => {
    const r = await add(11, [], checkpoint(10));
    expect({ status: r.status, error: r.json.error }).toEqual({
      status: 400,
      error: 'CHECKPOINT_OLD_SIZE_TOO_LARGE',
    });
  });

  it('malformed body: 400', async () => {
    const r = await postRaw(w.url, '/add-checkpoint', utf8Encode('old 01\n\n' + checkpoint(10)), {});
    expect({ status: r.status, error: r.json.error }).toEqual({
      status: 400,
      error: 'CHECKPOINT_REQUEST_MALFORMED',
    });
  });

  it('the good next request after all refusals is cosigned', async () => {
    const r = await add(9, tree.proveConsistency(9, 10), checkpoint(10));
    expect(r.status, r.text).toBe(200);
  });
});
