/**
 * `fleet-ceremony log checkpoint|prove|consistency|monitor` through the real CLI, on exported tile
 * directories and over HTTP from a loopback static server. Two logs forked under one key: the
 * monitor exits 1 and prints both signed checkpoints; a log that only grows: exit 0.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../ceremony/codec/index.js';
import {
  generateSignerKey,
  parseSignerKey,
  parseVerifierKey,
  verifyTlogProof,
} from '../../ceremony/tlog/index.js';
import { WitnessLog } from '../../ceremony/witness/log/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const ORIGIN = 'monitor.example/log';
const key = generateSignerKey(ORIGIN);
const dir = mkdtempSync(join(tmpdir(), 'fc-log-monitor-'));
const vkeyFile = join(dir, 'log.vkey');
writeFileSync(vkeyFile, key.verifierKey + '\n');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'ceremony/cli/main.ts'), ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

const entry = (i: number, tag: string) => new TextEncoder().encode(`statement ${tag} ${i}`);
const open = (name: string) =>
  WitnessLog.open({
    storagePath: join(dir, `${name}.db`),
    origin: ORIGIN,
    signer: parseSignerKey(key.signerKey),
  });

/** A loopback static file server; `root` can be switched between requests. */
let root = '';
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^\/+/,
      '',
    );
    const file = join(root, path);
    if (path.startsWith('..') || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': path === 'checkpoint' ? 'text/plain; charset=utf-8' : 'application/octet-stream',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}/log/`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('log commands on a good log', () => {
  it('checkpoint, prove and consistency print verified output; monitor accepts growth', async () => {
    const log = open('good');
    log.appendSync(Array.from({ length: 300 }, (_, i) => entry(i, 'good')));
    const tiles = join(dir, 'good');
    log.exportTiles(tiles);
    const root300 = base64Encode(log.rootHash(300));

    const cp = await cli('log', 'checkpoint', '--log', tiles, '--vkey', vkeyFile);
    expect(cp.status).toBe(0);
    expect(cp.stdout).toBe(log.checkpoint());

    const prove = await cli('log', 'prove', '--log', tiles, '--vkey', key.verifierKey, '--index', '257');
    expect(prove.status).toBe(0);
    expect(
      verifyTlogProof(prove.stdout, { entry: entry(257, 'good') }, [parseVerifierKey(key.verifierKey)]).index,
    ).toBe(257n);

    const state = join(dir, 'good-state.json');
    const first = await cli('log', 'monitor', '--log', tiles, '--vkey', vkeyFile, '--state', state);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('first run');
    expect(JSON.parse(readFileSync(state, 'utf8')).checkpoint).toBe(log.checkpoint());

    log.appendSync(Array.from({ length: 50 }, (_, i) => entry(300 + i, 'good')));
    log.exportTiles(tiles);
    const grew = await cli('log', 'monitor', '--log', tiles, '--vkey', vkeyFile, '--state', state, '--json');
    expect(grew.status).toBe(0);
    expect(JSON.parse(grew.stdout)).toMatchObject({ status: 'extended', checkpoint: { size: '350' } });
    expect(JSON.parse(readFileSync(state, 'utf8')).checkpoint).toBe(log.checkpoint());

    const cons = await cli(
      'log',
      'consistency',
      '--log',
      tiles,
      '--vkey',
      vkeyFile,
      '--old-size',
      '300',
      '--old-root',
      root300,
    );
    expect(cons.status).toBe(0);
    expect(cons.stdout.trim().split('\n')).toEqual(log.consistencyProof(300, 350).map(base64Encode));
    const wrong = await cli(
      'log',
      'consistency',
      '--log',
      tiles,
      '--vkey',
      vkeyFile,
      '--old-size',
      '299',
      '--old-root',
      root300,
    );
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('LOG_OLD_ROOT_MISMATCH');
    log.close();
  }, 60_000);

  it('bad usage and bad input exit 2', async () => {
    const noVkey = await cli('log', 'checkpoint', '--log', dir);
    expect(noVkey.status).toBe(2);
    const badVkey = await cli('log', 'checkpoint', '--log', join(dir, 'good'), '--vkey', 'not-a-key');
    expect(badVkey.status).toBe(2);
    const missing = await cli('log', 'checkpoint', '--log', join(dir, 'nope'), '--vkey', vkeyFile);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('LOG_LOCATION_INVALID');
    const badIndex = await cli(
      'log',
      'prove',
      '--log',
      join(dir, 'good'),
      '--vkey',
      vkeyFile,
      '--index',
      '1e3',
    );
    expect(badIndex.status).toBe(2);
  }, 30_000);
});

describe('log monitor on two logs forked under one key', () => {
  let a: string;
  let b: string;
  beforeAll(() => {
    const la = open('fork-a');
    const lb = open('fork-b');
    const common = Array.from({ length: 100 }, (_, i) => entry(i, 'common'));
    la.appendSync(common);
    lb.appendSync(common);
    la.appendSync([entry(100, 'A')]);
    lb.appendSync(Array.from({ length: 20 }, (_, i) => entry(100 + i, 'B')));
    a = join(dir, 'fork-a');
    b = join(dir, 'fork-b');
    la.exportTiles(a);
    lb.exportTiles(b);
    la.close();
    lb.close();
  });

  it('from tile directories: exit 1 with both signed checkpoints, state untouched', async () => {
    const state = join(dir, 'fork-state.json');
    expect((await cli('log', 'monitor', '--log', a, '--vkey', vkeyFile, '--state', state)).status).toBe(0);
    const before = readFileSync(state, 'utf8');
    const r = await cli('log', 'monitor', '--log', b, '--vkey', vkeyFile, '--state', state);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('LOG_SPLIT_VIEW');
    expect(r.stdout).toContain(readFileSync(join(a, 'checkpoint'), 'utf8'));
    expect(r.stdout).toContain(readFileSync(join(b, 'checkpoint'), 'utf8'));
    expect(readFileSync(state, 'utf8')).toBe(before);
  }, 30_000);

  it('over HTTP: a good round exits 0, then the server switches to the fork: exit 1 with evidence', async () => {
    const state = join(dir, 'http-state.json');
    // The server serves <root>/log/...: point "log" at fork A, then at fork B.
    root = mkdtempSync(join(dir, 'www-'));
    symlinkSync(a, join(root, 'log'));
    const ok = await cli('log', 'monitor', '--log', base, '--vkey', vkeyFile, '--state', state);
    expect(ok.status).toBe(0);
    const again = await cli('log', 'monitor', '--log', base, '--vkey', vkeyFile, '--state', state, '--json');
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).status).toBe('unchanged');
    unlinkSync(join(root, 'log'));
    symlinkSync(b, join(root, 'log'));
    const r = await cli('log', 'monitor', '--log', base, '--vkey', vkeyFile, '--state', state, '--json');
    expect(r.status).toBe(1);
    const evidence = JSON.parse(r.stdout) as {
      code: string;
      previous: string;
      current: string;
      proof: string[];
    };
    expect(evidence.code).toBe('LOG_SPLIT_VIEW');
    expect(evidence.previous).toBe(readFileSync(join(a, 'checkpoint'), 'utf8'));
    expect(evidence.current).toBe(readFileSync(join(b, 'checkpoint'), 'utf8'));
    expect(evidence.proof.length).toBeGreaterThan(0);
    const cp = await cli('log', 'checkpoint', '--log', base, '--vkey', vkeyFile, '--json');
    expect(cp.status).toBe(0);
    expect(JSON.parse(cp.stdout).size).toBe('120');
  }, 30_000);
});
