/**
 * The tamper suite: every byte of every file of a real package changed in turn (CI: every byte of
 * files up to 1 KiB and a dense sample of larger ones, 384 positions each plus the first and last
 * 128 bytes; FLEET_LONG_TESTS=1: every byte of every file), each file truncated, extended, emptied and
 * removed, the .tar.gz's bytes changed. None may be accepted (a changed .tar.gz byte that gzip ignores
 * decodes to the same files, which is no change to the evidence).
 *
 * Then the same against an attacker holding the operator's key, who re-signs SHA256SUMS after each
 * change (12 evenly spaced positions per file; 256 with FLEET_LONG_TESTS=1): every file that
 * something else also vouches for (the witness, the log, the vendors, the participants) must still
 * be refused, by a check other than the manifest's.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packTarGz, readTarGz } from '../../../ceremony/evidence/index.js';
import { utf8Decode } from '../../../ceremony/codec/index.js';
import { EVIDENCE_FILES, verifyEvidence } from '../../../ceremony/verify/index.js';
import { copy, manifestWithFiles, signSums } from '../evidence/fixture/forge.js';
import { testPackage } from '../evidence/fixture/package.js';
import type { TestPackage } from '../evidence/fixture/package.js';

const LONG = process.env.FLEET_LONG_TESTS === '1';

/** Positions to change in a file of `n` bytes. */
function positions(n: number, dense: number): number[] {
  if (LONG || n <= 1024) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil(n / dense);
  const set = new Set<number>();
  for (let i = 0; i < Math.min(128, n); i++) set.add(i).add(n - 1 - i);
  for (let i = 0; i < n; i += step) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** Byte `i` with one bit flipped (a different bit at each position). */
function flip(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice();
  out[i] = out[i]! ^ (1 << (i % 8));
  return out;
}

/** Lets the test runner's own messages through during long loops. */
const breathe = () => new Promise((resolve) => setImmediate(resolve));

let p: TestPackage;
beforeAll(async () => {
  p = await testPackage();
});
afterAll(async () => p?.cleanup());

describe('tamper: plain edits', () => {
  it('no changed byte of any file is accepted', async () => {
    const files = copy(p.files);
    const accepted: string[] = [];
    let tried = 0;
    for (const [path, bytes] of p.files) {
      for (const i of positions(bytes.length, 384)) {
        files.set(path, flip(bytes, i));
        const r = await verifyEvidence(files, p.world.trust);
        if (r.ok) accepted.push(`${path}@${i}`);
        if (++tried % 256 === 0) await breathe();
      }
      files.set(path, bytes);
    }
    expect(accepted).toEqual([]);
    expect(tried).toBeGreaterThan(LONG ? 70_000 : 10_000);
  }, 300_000);

  it('no file truncated, extended, emptied or removed is accepted', async () => {
    for (const [path, bytes] of p.files) {
      for (const changed of [
        bytes.subarray(0, bytes.length - 1),
        new Uint8Array([...bytes, 0x0a]),
        new Uint8Array(),
      ]) {
        expect((await verifyEvidence(copy(p.files).set(path, changed), p.world.trust)).ok, path).toBe(false);
      }
      const without = copy(p.files);
      without.delete(path);
      expect((await verifyEvidence(without, p.world.trust)).ok, path).toBe(false);
    }
  });

  it('no changed byte of the .tar.gz changes what is accepted', async () => {
    mkdirSync(join(p.base, 'tgz'));
    const out = join(p.base, 'tgz', 'package.tar.gz');
    packTarGz(p.dir, out);
    const gz = new Uint8Array(readFileSync(out));
    expect((await verifyEvidence(readTarGz(gz), p.world.trust)).ok).toBe(true);
    const accepted: number[] = [];
    let n = 0;
    for (const i of positions(gz.length, LONG ? gz.length : 2000)) {
      if (++n % 256 === 0) await breathe();
      let files: Map<string, Uint8Array>;
      try {
        files = readTarGz(flip(gz, i));
      } catch {
        continue; // refused as malformed (exit 2): not accepted
      }
      // Header fields gzip ignores (MTIME, XFL, OS) and back-references inside runs of zeros
      // decode to the very same files: the package itself is unchanged then.
      const same =
        files.size === p.files.size &&
        [...files].every(([k, v]) => Buffer.compare(v, p.files.get(k) ?? new Uint8Array()) === 0);
      if ((await verifyEvidence(files, p.world.trust)).ok && !same) accepted.push(i);
    }
    expect(accepted).toEqual([]);
  }, 120_000);
});

/** Files something besides the operator's signature vouches for (see docs/evidence.md, "What covers what"). */
function independentlyCovered(path: string): boolean {
  return ![
    EVIDENCE_FILES.manifest,
    EVIDENCE_FILES.sums,
    EVIDENCE_FILES.sumsSignature,
    EVIDENCE_FILES.report,
    EVIDENCE_FILES.summary,
    EVIDENCE_FILES.summaryHtml,
    EVIDENCE_FILES.verify,
  ].includes(path as never);
}

describe('tamper: an attacker who re-signs with the operator key', () => {
  it('every independently covered file still refuses a changed byte, by a check other than the manifest', async () => {
    const accepted: string[] = [];
    const lines = utf8Decode(p.files.get(EVIDENCE_FILES.transcript)!).split('\n');
    // The transcript's sign-off targets end at its last step-end; what follows (the sign-off
    // records' times, the seal record) only the operator's signature covers.
    const lastEnd = lines.map((l) => l.includes('"kind":"step-end"')).lastIndexOf(true);
    const signedPrefix = lines.slice(0, lastEnd + 1).join('\n').length;
    for (const [path, bytes] of p.files) {
      if (!independentlyCovered(path)) continue;
      const n = path === EVIDENCE_FILES.transcript ? signedPrefix : bytes.length;
      // Evenly spaced positions (12 per file; 256 with FLEET_LONG_TESTS=1): each costs a re-signing
      // and a full verification.
      const k = Math.min(n, LONG ? 256 : 12);
      const picked = Array.from({ length: k }, (_, j) => Math.floor((j * n) / k));
      for (const i of picked) {
        const files = copy(p.files).set(path, flip(bytes, i));
        files.set(EVIDENCE_FILES.manifest, manifestWithFiles(files));
        const r = await verifyEvidence(await signSums(files, p.world), p.world.trust);
        const by = r.checks.filter((c) => !c.ok && c.skipped !== true && c.id !== 'manifest.consistent');
        if (by.length === 0) accepted.push(`${path}@${i}`);
        await breathe();
      }
    }
    expect(accepted).toEqual([]);
  }, 300_000);
});
