/**
 * templates/fleet-rotation.yaml end to end. Epoch 1 is the rehearsal (the demo's setup on
 * SoftHSM2 tokens, its local witness), run with `fleet-ceremony run`. Epoch 2 is the rotation
 * template, filled in as an operator would (the same tokens and participants, the operator's
 * Ed25519 key, `previous` naming epoch 1's evidence with its digest pinned): a rotation takes
 * only PKCS#11 HSMs, identity keys brought at sign-off and an https:// witness, so the same
 * witness is served on loopback behind a TLS front with a self-signed certificate the runner is
 * told to trust (NODE_EXTRA_CA_CERTS). Both packages verify with `fleet-ceremony verify`, the
 * epoch-2 fleet key set chains to epoch 1's digest, and `audit-namespace` verifies both epochs
 * (chain and counter-signatures); the previous epoch was checked, and recorded, in `generate`
 * before the first key, and `assemble` chained to the recorded digest. A rotation naming a
 * tampered previous package, a previous package of the wrong epoch, or a pinned digest that is
 * not the previous set's is refused, each with its own code, in `generate` before any key is
 * made: the tokens hold exactly the keys they held before, and nothing reaches the witness.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { parseDocument } from 'yaml';
import { decodeFleetKeySet, fleetKeySetDigest } from '../../ceremony/bundle/index.js';
import { hexEncode } from '../../ceremony/codec/index.js';
import { templatesDir } from '../../ceremony/runner/init.js';
import { parseTranscript } from '../../ceremony/transcript/index.js';
import type { ParsedRecord } from '../../ceremony/transcript/index.js';
import { serveWitness } from '../../ceremony/witness/index.js';
import type { ServingWitness } from '../../ceremony/witness/index.js';
import { runCli } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { ceremonyCli, ceremonyFixture, withFixtureHsms } from './ceremony-fixture.js';
import type { CeremonyFixture } from './ceremony-fixture.js';

const PARTICIPANTS = ['admin', 'int-witness', 'co-1', 'co-2', 'co-3', 'co-4', 'co-5', 'op-signer'];

let f: CeremonyFixture;
let witness: ServingWitness;
let front: Server;
let httpsUrl: string;
let caFile: string;
const t0 = Date.now();

/** A TLS front for the witness: what a production witness looks like to the runner. */
async function tlsFront(dir: string, target: string): Promise<{ server: Server; url: string; ca: string }> {
  const [key, cert] = [join(dir, 'tls-key.pem'), join(dir, 'tls-cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const up = new URL(target);
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const fwd = httpRequest(
      { host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: cert };
}

/** Epoch 1's script, parsed: participants' public keys, tokens. */
function epochOne(): YAMLMap {
  return parseDocument(readFileSync(f.script, 'utf8')).contents as YAMLMap;
}

interface RotationOptions {
  /** Directory name under the fixture for the script, its trust file and outputs. */
  name: string;
  /** `previous.evidence`, relative to the script. */
  previous: string;
  /** `previous.keySetSha256`, if pinned. */
  pin?: string;
  /** Suffix of the fleet key labels (each rotation generates its own keys). */
  suffix: string;
  /** Another fleet id than epoch 1's. */
  fleetId?: string;
}

/** templates/fleet-rotation.yaml, filled in for this fixture. Returns the script's path. */
function rotationScript(o: RotationOptions): string {
  const one = epochOne();
  const doc = parseDocument(readFileSync(join(templatesDir(), 'fleet-rotation.yaml'), 'utf8'));
  doc.setIn(['ceremony', 'id'], `rotation-${o.name}`);
  doc.setIn(['ceremony', 'fleetId'], o.fleetId ?? one.getIn(['ceremony', 'fleetId']));
  doc.setIn(['ceremony', 'namespace'], one.getIn(['ceremony', 'namespace']));
  const keys = new Map(
    (one.get('participants') as YAMLSeq<YAMLMap>).items.map((p) => [String(p.get('id')), p.get('publicKey')]),
  );
  for (const p of (doc.get('participants') as YAMLSeq<YAMLMap>).items) {
    p.delete('token');
    p.set('publicKey', keys.get(String(p.get('id'))));
  }
  const hsmsOne = new Map((one.get('hsms') as YAMLSeq<YAMLMap>).items.map((h) => [String(h.get('id')), h]));
  for (const h of (doc.get('hsms') as YAMLSeq<YAMLMap>).items) {
    const was = hsmsOne.get(String(h.get('id')))!;
    for (const field of ['module', 'tokenLabel', 'expectedSerial', 'pinEnv']) h.set(field, was.get(field));
    h.delete('vendorRoot'); // SoftHSM2 has no vendor attestation
  }
  for (const k of (doc.get('keys') as YAMLSeq<YAMLMap>).items)
    k.set('label', String(k.get('label')).replace(/-e2$/, `-${o.suffix}`));
  doc.setIn(['witness', 'url'], httpsUrl);
  doc.setIn(['previous', 'evidence'], o.previous);
  if (o.pin !== undefined) doc.setIn(['previous', 'keySetSha256'], o.pin);
  doc.setIn(['operator', 'algorithm'], one.getIn(['operator', 'algorithm']));
  const dir = join(f.dir, o.name);
  mkdirSync(dir);
  cpSync(f.trust, join(dir, 'trust.json'));
  const script = join(dir, 'ceremony.yaml');
  writeFileSync(script, doc.toString({ lineWidth: 0 }));
  return script;
}

/** `fleet-ceremony run SCRIPT --yes`, the participants bringing their key files at sign-off. */
function runRotation(script: string): Promise<CliResult> {
  const keys = PARTICIPANTS.map((id) => `${id}=${join(f.dir, 'participants', `${id}.key`)}`).join(',');
  return runCli(['run', script, '--yes', '--json'], {
    env: { ...f.env, TZ: 'UTC', NODE_EXTRA_CA_CERTS: caFile, FLEET_CEREMONY_SIGNOFF_KEYS: keys },
    timeoutMs: 240_000,
  });
}

const fleetKeySetOf = (evidenceDir: string) =>
  new Uint8Array(readFileSync(join(evidenceDir, 'fleet-key-set.cbor')));

/** Every key pair on the fixture's tokens, as `hsm/label/public key`, listed through the PKCS#11 backend. */
function tokenKeys(): Promise<string[]> {
  return withFixtureHsms(f, async (hsms) => {
    const all: string[] = [];
    for (const [id, hsm] of hsms)
      for (const k of await hsm.listKeys()) all.push(`${id}/${k.label}/${hexEncode(k.publicKey)}`);
    return all.sort();
  });
}

/** The transcript of the rotation in directory `name`. */
function transcriptOf(name: string): ParsedRecord[] {
  return parseTranscript(readFileSync(join(f.dir, name, 'work', 'transcript.jsonl'))).records;
}

const notesOf = (records: ParsedRecord[], event: string) =>
  records.filter((r) => r.kind === 'note' && r.data['event'] === event);

/**
 * Runs the rotation `o`, which must be refused with `code` (exit 1) by `generate` before it made
 * any key: the tokens list the same key pairs before and after, and the transcript shows no key
 * generation and the interruption in `generate`.
 */
async function expectRefusedBeforeKeys(o: RotationOptions, code: string): Promise<void> {
  const script = rotationScript(o);
  const before = await tokenKeys();
  expect(before.length).toBeGreaterThan(0);
  const r = await runRotation(script);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).toContain(`[${code}]`);
  const after = await tokenKeys();
  expect(after).toEqual(before);
  expect(after.filter((k) => k.includes(`-${o.suffix}/`))).toEqual([]);
  const records = transcriptOf(o.name);
  expect(notesOf(records, 'key-generating')).toEqual([]);
  expect(notesOf(records, 'fleet-key')).toEqual([]);
  expect(notesOf(records, 'previous-epoch')).toEqual([]);
  const stopped = records.filter((r) => r.kind === 'interruption');
  expect(stopped.map((x) => [x.step, String(x.data['detail']).split(':')[0]])).toEqual([[undefined, code]]);
  expect(records.filter((x) => x.kind === 'step-start').map((x) => x.step)).toEqual([
    'environment',
    'verify-hsms',
    'generate',
  ]);
}

async function verifyCli(pkg: string, trust: string): Promise<void> {
  const v = await runCli(['verify', pkg, '--trust', trust, '--json']);
  expect(v.status, `${pkg}\n${v.stderr}`).toBe(0);
  expect((JSON.parse(v.stdout) as { ok: boolean }).ok).toBe(true);
}

beforeAll(async () => {
  f = await ceremonyFixture('softhsm');
  const one = await ceremonyCli(f, 'run');
  expect(one.status, one.stderr).toBe(0);
  witness = await serveWitness({ dir: join(f.dir, 'witness'), listen: '127.0.0.1:0' });
  const tls = await tlsFront(f.dir, witness.url);
  [front, httpsUrl, caFile] = [tls.server, tls.url, tls.ca];
}, 240_000);

afterAll(async () => {
  await new Promise((resolve) => front?.close(resolve));
  await witness?.close();
  f?.cleanup();
  console.log(`runner-rotation: ${Date.now() - t0} ms in all`);
});

describe('templates/fleet-rotation.yaml after a rehearsal epoch 1', () => {
  it('epoch 2 chains to epoch 1; both packages verify; audit-namespace verifies both epochs', async () => {
    const epoch1 = join(f.dir, 'evidence');
    const digest1 = fleetKeySetDigest(fleetKeySetOf(epoch1));
    const script = rotationScript({
      name: 'epoch-2',
      previous: '../evidence',
      pin: hexEncode(digest1),
      suffix: 'e2',
    });
    const validate = await runCli(['script', 'validate', script]);
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    const t = Date.now();
    const r = await runRotation(script);
    expect(r.status, r.stderr).toBe(0);
    console.log(`runner-rotation: epoch 2 ceremony in ${Date.now() - t} ms`);
    expect((JSON.parse(r.stdout) as { sealed: boolean }).sealed).toBe(true);

    const epoch2 = join(f.dir, 'epoch-2', 'evidence');
    const ks2 = decodeFleetKeySet(fleetKeySetOf(epoch2));
    expect(ks2.epoch).toBe(2n);
    expect(hexEncode(ks2.previousDigest!)).toBe(hexEncode(digest1));
    expect(ks2.keys.map((k) => k.keyId)).toEqual([
      'fleet-session-1-e2',
      'fleet-session-2-e2',
      'fleet-session-3-e2',
    ]);
    expect(decodeFleetKeySet(fleetKeySetOf(epoch1)).previousDigest).toBeNull();

    // The previous epoch was checked in `generate` before its first key, and `assemble` chained to
    // what was recorded there without checking it again.
    const records = transcriptOf('epoch-2');
    const checked = notesOf(records, 'previous-epoch');
    expect(checked.map((r) => [r.step, r.data['keySetSha256'], r.data['epoch']])).toEqual([
      ['generate', hexEncode(digest1), 1],
    ]);
    expect(checked[0]!.seq).toBeLessThan(notesOf(records, 'key-generating')[0]!.seq);
    const ended = records.find((r) => r.kind === 'step-end' && r.step === 'generate')!;
    expect((ended.data['outputs'] as Record<string, unknown>)['previousDigest']).toBe(hexEncode(digest1));
    expect(notesOf(records, 'fleet-key-set').map((r) => [r.step, r.data['previousDigest']])).toEqual([
      ['assemble', hexEncode(digest1)],
    ]);
    for (const pkg of [epoch1, `${epoch1}.tar.gz`, epoch2, `${epoch2}.tar.gz`]) await verifyCli(pkg, f.trust);

    const audit = await runCli(['audit-namespace', '--log', witness.url, '--trust', f.trust, '--json']);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    const epochs = (
      JSON.parse(audit.stdout) as {
        namespaces: { epochs: { epoch: string; checks: Record<string, string> }[] }[];
      }
    ).namespaces[0]!.epochs;
    expect(epochs.map((e) => e.epoch)).toEqual(['1', '2']);
    for (const e of epochs) expect(e.checks).toMatchObject({ chain: 'ok', countersignature: 'ok' });
  }, 300_000);

  it('refuses a tampered previous package before any key is made: CEREMONY_PREVIOUS_EVIDENCE_INVALID', async () => {
    const bad = join(f.dir, 'evidence-tampered');
    cpSync(join(f.dir, 'evidence'), bad, { recursive: true });
    const file = join(bad, 'fleet-key-set.cbor');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(file, bytes);
    await expectRefusedBeforeKeys(
      { name: 'tampered', previous: '../evidence-tampered', suffix: 't' },
      'CEREMONY_PREVIOUS_EVIDENCE_INVALID',
    );
  }, 240_000);

  it('refuses a previous package of another epoch before any key is made: CEREMONY_PREVIOUS_EPOCH_MISMATCH', async () => {
    // Epoch 2's own package named as the previous one of an epoch-2 rotation.
    await expectRefusedBeforeKeys(
      { name: 'wrong-epoch', previous: '../epoch-2/evidence', suffix: 'w' },
      'CEREMONY_PREVIOUS_EPOCH_MISMATCH',
    );
  }, 240_000);

  it('refuses the previous package of another fleet before any key is made: CEREMONY_PREVIOUS_FLEET_MISMATCH', async () => {
    await expectRefusedBeforeKeys(
      { name: 'other-fleet', previous: '../evidence', suffix: 'f', fleetId: 'fleet-other' },
      'CEREMONY_PREVIOUS_FLEET_MISMATCH',
    );
  }, 240_000);

  it('refuses a previous package whose fleet key set is not the pinned one, before any key is made: CEREMONY_PREVIOUS_DIGEST_MISMATCH', async () => {
    await expectRefusedBeforeKeys(
      { name: 'wrong-pin', previous: '../evidence', pin: 'ab'.repeat(32), suffix: 'p' },
      'CEREMONY_PREVIOUS_DIGEST_MISMATCH',
    );
    // Refused before the witness: it still lists epochs 1 and 2 only.
    const audits = (await (await fetch(`${witness.url}/namespaces/example.backup-keys/audits`)).json()) as {
      epochs: number[];
    };
    expect(audits.epochs).toEqual([1, 2]);
  }, 240_000);
});
