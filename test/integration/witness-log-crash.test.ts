/**
 * Crash safety of the witness log: a child process appends in a loop (8 concurrent workers, group
 * commit) and is killed with SIGKILL at a random moment, several rounds on the same store. After
 * each kill the log reopens with full recovery; every entry the child acknowledged is present at
 * the index it was given, no entry is there twice, every checkpoint the child handed out is the
 * stored one for its size and consistent with the final tree, and proofs verify.
 *
 * Rounds: 4 by default, 12 with FLEET_LONG_TESTS=1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { base64Decode } from '../../ceremony/codec/index.js';
import {
  generateSignerKey,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  verifyConsistency,
  verifyTlogProof,
} from '../../ceremony/tlog/index.js';
import { WitnessLog } from '../../ceremony/witness/log/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const ROUNDS = process.env.FLEET_LONG_TESTS === '1' ? 12 : 4;
const ORIGIN = 'crash.example/log';
const key = generateSignerKey(ORIGIN);
const verifier = parseVerifierKey(key.verifierKey);
const dir = mkdtempSync(join(tmpdir(), 'fc-wlog-crash-'));
const store = join(dir, 'log.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ack {
  text: string;
  index: bigint;
}

/** Runs the child until a random moment after it is ready, kills it, returns what it printed. */
function runAndKill(tag: string, delayMs: number): Promise<{ acks: Ack[]; checkpoints: string[] }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'witness-log-crash-child.ts'), store, tag],
      {
        cwd: repo,
        env: { ...process.env, FLEET_TEST_LOG_SKEY: key.signerKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const first = out === '';
      out += d.toString();
      if (first && out.startsWith('ready')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return fail(new Error(`child exited without being killed: ${err}`));
      const acks: Ack[] = [];
      const checkpoints: string[] = [];
      // A line cut by the kill has no newline: ignore it.
      for (const line of out.split('\n').slice(0, -1)) {
        const f = line.split(' ');
        if (f[0] === 'ack') {
          const [, w, seq, n, first] = f as [string, string, string, string, string];
          for (let k = 0; k < Number(n); k++)
            acks.push({ text: `${tag}-${w}-${seq}-${k}`, index: BigInt(first) + BigInt(k) });
        } else if (f[0] === 'cp') {
          checkpoints.push(new TextDecoder().decode(base64Decode(f[1]!, 'cp')));
        }
      }
      done({ acks, checkpoints });
    });
  });
}

describe('witness log: SIGKILL during appends', () => {
  const allAcks: Ack[] = [];
  const allCheckpoints: string[] = [];

  it.each(Array.from({ length: ROUNDS }, (_, r) => r))(
    'round %i: every acknowledged entry survives',
    async (round) => {
      const { acks, checkpoints } = await runAndKill(`r${round}`, 150 + Math.floor(Math.random() * 600));
      expect(acks.length).toBeGreaterThan(0);
      allAcks.push(...acks);
      allCheckpoints.push(...checkpoints);

      const log = WitnessLog.open({
        storagePath: store,
        origin: ORIGIN,
        signer: parseSignerKey(key.signerKey),
        recovery: 'full',
      });
      try {
        const size = log.size();
        // Every acknowledged entry, at the index it was acknowledged with.
        for (const a of allAcks) expect(new TextDecoder().decode(log.entry(a.index))).toBe(a.text);
        // No entry twice.
        const texts = new Set<string>();
        for (let i = 0n; i < size; i++) texts.add(new TextDecoder().decode(log.entry(i)));
        expect(texts.size).toBe(Number(size));
        // Every checkpoint handed out is the stored one and consistent with the final tree.
        const root = log.rootHash();
        for (const note of allCheckpoints) {
          const cp = openCheckpoint(note, [verifier], { origin: ORIGIN }).checkpoint;
          expect(log.checkpointAt(cp.size)?.note).toBe(note);
          expect(
            verifyConsistency(
              cp.size,
              size,
              cp.rootHash,
              root,
              cp.size === 0n ? [] : log.consistencyProof(cp.size, size),
            ),
          ).toBe(true);
        }
        // Proofs verify for a sample of this round's entries.
        for (const a of acks.filter((_, k) => k % 97 === 0)) {
          const p = log.tlogProof(a.index);
          expect(verifyTlogProof(p, { entry: new TextEncoder().encode(a.text) }, [verifier]).index).toBe(
            a.index,
          );
        }
      } finally {
        log.close();
      }
    },
  );
});
