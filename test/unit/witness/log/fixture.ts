/**
 * Shared set-up of the witness log tests: a temporary directory, a log key pair, and logs opened
 * on a real SQLite file in it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSignerKey, parseSignerKey, parseVerifierKey } from '../../../../ceremony/tlog/index.js';
import type { Signer, Verifier } from '../../../../ceremony/tlog/index.js';
import { WitnessLog } from '../../../../ceremony/witness/log/index.js';
import type { WitnessLogOptions } from '../../../../ceremony/witness/log/index.js';

export const ORIGIN = 'witness.example/log';

export interface LogFixture {
  dir: string;
  dbPath: string;
  signerKey: string;
  verifierKey: string;
  signer(): Signer;
  verifier: Verifier;
  open(options?: Partial<WitnessLogOptions>): WitnessLog;
  cleanup(): void;
}

/** A fresh directory and key; `open` opens (or reopens) the log at `dir/log.db`. */
export function logFixture(origin = ORIGIN): LogFixture {
  const dir = mkdtempSync(join(tmpdir(), 'fc-wlog-'));
  const { signerKey, verifierKey } = generateSignerKey(origin);
  const dbPath = join(dir, 'log.db');
  return {
    dir,
    dbPath,
    signerKey,
    verifierKey,
    signer: () => parseSignerKey(signerKey),
    verifier: parseVerifierKey(verifierKey),
    open: (options = {}) =>
      WitnessLog.open({ storagePath: dbPath, origin, signer: parseSignerKey(signerKey), ...options }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Deterministic entry bytes for test entry `i` (of `tag`). */
export function entryBytes(i: number, tag = 'e'): Uint8Array {
  return new TextEncoder().encode(`${tag}-${i}-${'x'.repeat(i % 37)}`);
}
