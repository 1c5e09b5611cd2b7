/**
 * Crash safety of the signing transaction (ceremony/witness/policy/sign.ts): a statement recorded
 * but not logged is appended at its recorded index on the next open; a statement logged but not
 * marked is recognised; state and log that disagree stop the witness; and a signing process
 * killed with SIGKILL at random moments never leaves a signed statement the log does not hold.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalBytes } from '../../../ceremony/codec/index.js';
import { encodeSignatureMessage } from '../../../ceremony/statement/index.js';
import { logEntryOf } from '../../../ceremony/witness/policy/sign.js';
import { encodeSubmission } from '../../../ceremony/witness/policy/submission.js';
import { Witness } from '../../../ceremony/witness/witness.js';
import { buildFleetKeySet, createFleet, createWitnessDir, makeOperator, tempDir } from './fixtures.js';
import type { Fleet } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

/** A statement recorded by hand, as step 3 of the transaction does. */
async function recordOnly(w: Witness, epoch: bigint, logIndex: bigint) {
  const digest = new Uint8Array(32).fill(Number(epoch));
  const statement = encodeSignatureMessage({ ciphersuite: 1, namespace: 'ns', timestamp: 1, epoch, digest });
  const key = w.keys.statement[0]!;
  const row = {
    namespace: 'ns',
    epoch,
    digest,
    timestamp: 1n,
    keyId: key.keyId,
    publicKey: key.publicKey,
    statement,
    signature: await key.sign(statement),
    fleetKeySet: new Uint8Array([1]),
    attestations: new Uint8Array([0x80]),
    operator: 'op-a',
    logIndex,
  };
  w.state.record(() => undefined, row);
  return row;
}

describe('crash recovery', () => {
  const tmp = tempDir();
  let fleet: Fleet;
  let n = 0;
  const fresh = async () => {
    const dir = join(tmp.dir, `w${++n}`);
    await createWitnessDir(dir, {
      namespace: 'ns',
      operator: makeOperator('op-a'),
      vendorRoot: fleet.vendorRoot,
    });
    return dir;
  };

  beforeAll(async () => {
    fleet = await createFleet(tmp.dir);
  });
  afterAll(async () => {
    await fleet?.hsm.close();
    tmp.cleanup();
  });

  it('a statement recorded but not appended is appended at its index on the next open', async () => {
    const dir = await fresh();
    let w = await Witness.open({ dir });
    const row = await recordOnly(w, 1n, 0n);
    expect(w.log.size()).toBe(0n);
    await w.close();
    w = await Witness.open({ dir });
    expect(w.log.size()).toBe(1n);
    expect(equalBytes(w.log.entry(0n), logEntryOf(row))).toBe(true);
    expect(w.state.statements.pending()).toEqual([]);
    await w.close();
  });

  it('a statement appended but not marked is recognised, not appended twice', async () => {
    const dir = await fresh();
    let w = await Witness.open({ dir });
    const row = await recordOnly(w, 1n, 0n);
    w.log.appendSync([logEntryOf(row)]);
    await w.close();
    w = await Witness.open({ dir });
    expect(w.log.size()).toBe(1n);
    expect(w.state.statements.byEpoch('ns', 1n)!.logged).toBe(true);
    await w.close();
  });

  it('a recorded index the log cannot hold stops the witness (WITNESS_STATE_LOG_MISMATCH)', async () => {
    const dir = await fresh();
    const w = await Witness.open({ dir });
    await recordOnly(w, 1n, 5n);
    await w.close();
    await expect(Witness.open({ dir })).rejects.toMatchObject({ code: 'WITNESS_STATE_LOG_MISMATCH' });
  });

  it('a log entry the state does not know stops the witness', async () => {
    const dir = await fresh();
    const w = await Witness.open({ dir });
    w.log.appendSync([new Uint8Array([1, 2, 3])]);
    await w.close();
    await expect(Witness.open({ dir })).rejects.toMatchObject({ code: 'WITNESS_STATE_LOG_MISMATCH' });
  });

  it('SIGKILL at random moments while signing: state and log always agree, and signing resumes', async () => {
    const dir = await fresh();
    const subs = join(tmp.dir, 'subs');
    mkdirSync(subs);
    let prev: Uint8Array | null = null;
    const total = 12;
    for (let e = 1; e <= total; e++) {
      const f = await buildFleetKeySet(fleet, { namespace: 'ns', epoch: BigInt(e), previousDigest: prev });
      writeFileSync(
        join(subs, String(e).padStart(3, '0')),
        encodeSubmission({
          epoch: f.ks.epoch,
          digest: f.digest,
          fleetKeySet: f.bytes,
          attestations: f.attestations,
        }),
      );
      prev = f.digest;
    }
    const reported = new Set<string>();
    let finished = false;
    for (let round = 0; round < 6 && !finished; round++) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(here, 'crash-child.ts'), dir, subs, 'ns'],
        { cwd: root },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
      // Kill after the first signature, a random few milliseconds into the work (the last round runs to the end).
      if (round < 3) {
        // The first signature, or the end: a round with nothing left to sign prints only `done`,
        // and a child that fails prints nothing (the checks below then say what went wrong).
        await Promise.race([
          new Promise<void>((ok) => child.stdout.on('data', () => out.includes('signed') && ok())),
          exited,
        ]);
        await new Promise((ok) => setTimeout(ok, Math.floor(Math.random() * 40)));
        child.kill('SIGKILL');
      }
      await exited;
      for (const m of out.matchAll(/signed (\d+)/g)) reported.add(m[1]!);
      finished = out.includes('done');
      const w = await Witness.open({ dir });
      try {
        const epochs = w.state.statements.epochs('ns');
        expect(BigInt(epochs.length)).toBe(w.log.size());
        epochs.forEach((e, i) => {
          expect(e).toBe(BigInt(i + 1));
          const r = w.state.statements.byEpoch('ns', e)!;
          expect(r.logIndex).toBe(BigInt(i));
          expect(equalBytes(w.log.entry(r.logIndex), logEntryOf(r))).toBe(true);
        });
        for (const e of reported) expect(epochs).toContain(BigInt(e));
      } finally {
        await w.close();
      }
    }
    expect(finished).toBe(true);
    const w = await Witness.open({ dir });
    expect(w.log.size()).toBe(BigInt(total));
    await w.close();
    // Up to six child processes, each starting TypeScript through tsx: on a loaded 2-core CI
    // machine that alone can take most of the default minute.
  }, 180_000);
});
