/**
 * The witness CLI end to end, as child processes (`node --import tsx ceremony/cli/main.ts`):
 * keygen, namespace add, serve, sign (with the operator's counter-signature from an emulated HSM),
 * key rotate (old statements keep verifying by not_before), export-tiles, and audit-namespace
 * over three epochs, from the live server and from the static export, with the fleet-key diff;
 * a tampered export fails the audit.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexEncode, pemEncode } from '../../ceremony/codec/index.js';
import { openEmulatedHsm } from '../../ceremony/hsm/index.js';
import { getJson } from '../../ceremony/witness/client/http-client.js';
import { parseAuditJson, parseInfoJson } from '../../ceremony/witness/client/reply.js';
import { verifySignReply } from '../../ceremony/witness/client/verify-reply.js';
import { formatAttestationsJson } from '../../ceremony/witness/operator/attestations-file.js';
import { parseVerifierKey } from '../../ceremony/tlog/index.js';
import { buildFleetKeySet, createFleet, makeOperator, tempDir } from '../unit/witness/fixtures.js';
import type { Fleet } from '../unit/witness/fixtures.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PIN = 'test-pin-123456';
const NS = 'fleet-cli';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'ceremony/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLEET_HSM_PIN: PIN },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function serve(data: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'ceremony/cli/main.ts'),
      'witness',
      'serve',
      '--data',
      data,
      '--listen',
      '127.0.0.1:0',
      '--json',
    ],
    { cwd: root },
  );
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url": "([^"]+)"/.exec(out);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`serve exited ${code}`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((ok) => {
    child.once('exit', ok);
    child.kill('SIGTERM');
  });
}

describe('witness CLI end to end', () => {
  const tmp = tempDir();
  const data = join(tmp.dir, 'witness');
  const op = makeOperator('op-a');
  const opKey = join(tmp.dir, 'op-a.key');
  let fleet: Fleet;
  let server: { url: string; child: ChildProcess };
  let csPublicKey: Uint8Array;
  let keygenOut: {
    logVerifierKey: string;
    statementPublicKey: string;
    statementKeyId: number;
    notBefore: number;
  };
  const digests: string[] = [];

  /** Builds epoch `epoch` with the in-process device, then closes it for the CLI to open. */
  async function epochFiles(epoch: bigint, previous: string | null) {
    fleet.hsm = await openEmulatedHsm({ dir: join(tmp.dir, 'hsm-EMU-0001'), pin: PIN });
    const f = await buildFleetKeySet(fleet, {
      namespace: NS,
      epoch,
      previousDigest: previous === null ? null : Buffer.from(previous, 'hex'),
    });
    await fleet.hsm.close();
    writeFileSync(join(tmp.dir, `fks-${epoch}.cbor`), f.bytes);
    writeFileSync(join(tmp.dir, `att-${epoch}.json`), formatAttestationsJson(f.attestations));
    return f;
  }

  const signArgs = (epoch: number) => [
    'witness',
    'sign',
    '--url',
    server.url,
    '--fleet-key-set',
    join(tmp.dir, `fks-${epoch}.cbor`),
    '--attestations',
    join(tmp.dir, `att-${epoch}.json`),
    '--key',
    opKey,
    '--hsm-dir',
    join(tmp.dir, 'hsm-EMU-0001'),
    '--countersign-label',
    'op-countersign',
    '--out',
    join(tmp.dir, `reply-${epoch}.json`),
  ];

  beforeAll(async () => {
    fleet = await createFleet(tmp.dir);
    csPublicKey = (await fleet.hsm.generateKey({ label: 'op-countersign', algorithm: 'ed25519' })).publicKey;
    await fleet.hsm.close();
    writeFileSync(opKey, op.signerKey + '\n');
    chmodSync(opKey, 0o600);
    writeFileSync(join(tmp.dir, 'root.pem'), pemEncode('CERTIFICATE', fleet.vendorRoot));
  });
  afterAll(async () => {
    if (server) await stop(server.child);
    tmp.cleanup();
  });

  it('keygen prints the keys and never the private ones', () => {
    const r = cli(['witness', 'keygen', '--data', data, '--origin', 'witness.cli.test/log', '--json']);
    expect(r.status, r.stderr).toBe(0);
    keygenOut = JSON.parse(r.stdout);
    expect(keygenOut.logVerifierKey).toMatch(/^witness\.cli\.test\/log\+[0-9a-f]{8}\+/);
    expect(keygenOut.statementPublicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stdout + r.stderr).not.toContain(
      readFileSync(join(data, 'keys/statement-1.key'), 'utf8').trim(),
    );
  });

  it('namespace add registers the namespace with its operator and vendor root', () => {
    const r = cli([
      'witness',
      'namespace',
      'add',
      NS,
      '--data',
      data,
      '--profile',
      'rehearsal',
      '--vendor-root',
      join(tmp.dir, 'root.pem'),
      '--operator',
      op.verifierKey,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: NS,
      operators: ['op-a'],
      vendorRoots: 1,
      online: true,
    });
  });

  it('serve + sign epoch 1: the reply is printed, saved and verified; the counter-signature is uploaded', async () => {
    server = await serve(data);
    const f = await epochFiles(1n, null);
    const r = cli(signArgs(1));
    expect(r.status, r.stderr).toBe(0);
    const reply = JSON.parse(r.stdout);
    expect(reply.epoch).toBe(1);
    expect(reply.digest).toBe(hexEncode(f.digest));
    expect(JSON.parse(readFileSync(join(tmp.dir, 'reply-1.json'), 'utf8')).signature).toBe(reply.signature);
    const cs = (await getJson(server.url, `/namespaces/${NS}/audits/1/countersignature`)) as {
      public_key: string;
    };
    expect(cs.public_key).toBe(hexEncode(csPublicKey));
    digests.push(reply.digest);
  });

  it('signing the same fleet key set again is refused: the witness refusal, exit 1', () => {
    const r = cli(signArgs(1));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DIGEST_ALREADY_SIGNED');
  });

  it('key rotate adds a key; after a restart epoch 2 is signed with it, epoch 1 still verifies by not_before', async () => {
    await stop(server.child);
    const rot = cli(['witness', 'key', 'rotate', '--data', data, '--json']);
    expect(rot.status, rot.stderr).toBe(0);
    const newKey = JSON.parse(rot.stdout) as { publicKey: string; keyId: number; notBefore: number };
    expect(newKey.keyId).not.toBe(keygenOut.statementKeyId);
    server = await serve(data);
    await epochFiles(2n, digests[0]!);
    const r = cli(signArgs(2));
    expect(r.status, r.stderr).toBe(0);
    const reply2 = JSON.parse(r.stdout);
    expect(reply2.key_id).toBe(newKey.keyId);
    digests.push(reply2.digest);
    const info = parseInfoJson(await getJson(server.url, '/info'));
    expect(info.keys.map((k) => hexEncode(k.publicKey))).toEqual([
      keygenOut.statementPublicKey,
      newKey.publicKey,
    ]);
    // Epoch 1, with today's proof, verifies under the key in force at its timestamp: the old one.
    const a1 = parseAuditJson(await getJson(server.url, `/namespaces/${NS}/audits/1`));
    a1.tlogProof = await (await fetch(`${server.url}/namespaces/${NS}/audits/1/proof`)).text();
    const proof = verifySignReply(
      a1,
      { namespace: NS, epoch: 1n, digest: Buffer.from(digests[0]!, 'hex') },
      info.keys,
      parseVerifierKey(info.logVerifierKey),
    );
    expect(a1.keyId).toBe(keygenOut.statementKeyId);
    expect(proof.checkpoint.size).toBe(2n);
  });

  it('epoch 3, then audit-namespace --json over HTTP verifies all three epochs with their diffs', async () => {
    await epochFiles(3n, digests[1]!);
    expect(cli(signArgs(3)).status).toBe(0);
    const info = parseInfoJson(await getJson(server.url, '/info'));
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const trust = {
      version: 1,
      profile: 'rehearsal',
      namespaces: [NS],
      witness: {
        statement_keys: [
          {
            public_key: hexEncode(info.keys[0]!.publicKey),
            not_before: iso(info.keys[0]!.notBefore - 1000),
            not_after: iso(info.keys[1]!.notBefore),
          },
          { public_key: hexEncode(info.keys[1]!.publicKey), not_before: iso(info.keys[1]!.notBefore - 1000) },
        ],
        log_key: info.logVerifierKey,
      },
      operator_keys: [{ algorithm: 'ed25519', public_key: hexEncode(csPublicKey) }],
    };
    writeFileSync(join(tmp.dir, 'trust.json'), JSON.stringify(trust));
    const j = cli(['audit-namespace', '--log', server.url, '--trust', join(tmp.dir, 'trust.json'), '--json']);
    const out = JSON.parse(j.stdout);
    expect(out.ok).toBe(true);
    const epochs = out.namespaces[0].epochs;
    expect(epochs.map((e: { epoch: string }) => e.epoch)).toEqual(['1', '2', '3']);
    for (const e of epochs) expect(Object.values(e.checks)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(epochs[1].diff.keys.added).toHaveLength(2);
    expect(epochs[1].diff.keys.removed).toHaveLength(2);
    expect(epochs[1].diff.changes.map((c: { field: string }) => c.field)).toContain('epoch');
  });

  it('export-tiles writes a static copy that audit-namespace verifies (human report); a tampered copy fails (exit 1)', () => {
    const out = join(tmp.dir, 'static');
    const r = cli(['witness', 'export-tiles', out, '--data', data, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).size).toBe('3');
    expect(existsSync(join(out, 'checkpoint'))).toBe(true);
    expect(existsSync(join(out, 'tile/entries/000.p/3'))).toBe(true);
    const ok = cli(['audit-namespace', '--log', out, '--trust', join(tmp.dir, 'trust.json')]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`VERIFIED: every epoch of ${NS} checks out.`);
    expect(ok.stdout).toContain('changes from the previous epoch:');
    expect(ok.stdout).toMatch(/\+ key signing-\d+ \(signing, ed25519\) on hsm-1/);
    const fks = join(out, 'namespaces', NS, 'audits', '2', 'fleet-key-set');
    const bytes = readFileSync(fks);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(fks, bytes);
    const bad = cli(['audit-namespace', '--log', out, '--trust', join(tmp.dir, 'trust.json')]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('AUDIT_ARTIFACT_DIGEST_MISMATCH');
    expect(bad.stdout).toContain('FAILED');
  });
});
