/**
 * Evidence verification benchmarks (ceremony/verify, docs/evidence.md "Measured"):
 *
 * - `evidence.verify N HSMs / bare crypto`: the median time of `verifyEvidence` on a real package
 *   of N HSMs (one X25519 key each, emulated-x509/v1 attestations from the same certificate
 *   builders as the emulated HSM, a real transcript with 11 sign-offs, a real log), against the
 *   bare cryptographic lower bound measured in the same child process: the same signature checks
 *   (SHA256SUMS, witness statement, counter-signature, checkpoint, every sign-off: Ed25519; the
 *   key and device certificate of every attestation: ECDSA P-256 over their TBS) and the same
 *   hashing (every file, every transcript line, every attestation statement again, the Merkle
 *   path) called directly on node:crypto with the keys imported beforehand.
 * - `evidence.peak RSS N HSMs`: the child's peak resident memory (`resourceUsage().maxRSS`) after
 *   loading the package from disk and verifying it; `evidence.package N HSMs`: its size.
 *
 * N = 5, 100, 1000 (--quick: 5, 50). Packages are written by the real writer into a temporary
 * directory; each measurement runs in a fresh child process (`node --import tsx` on this file).
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchRecord } from './lib.js';
import { median, ratioRecord, valueRecord } from './lib.js';

const self = fileURLToPath(import.meta.url);

/** DER: the [start, end) of the element at `at` and of its contents. */
function tlv(b: Uint8Array, at: number): { start: number; body: number; end: number } {
  let len = b[at + 1]!;
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
    body += n;
  }
  return { start: at, body, end: body + len };
}

/** A certificate's TBS bytes and DER signature. */
function certParts(der: Uint8Array): { tbs: Uint8Array; sig: Uint8Array } {
  const outer = tlv(der, 0);
  const tbs = tlv(der, outer.body);
  const alg = tlv(der, tbs.end);
  const bits = tlv(der, alg.end);
  return { tbs: der.subarray(tbs.start, tbs.end), sig: der.subarray(bits.body + 1, bits.end) };
}

/** Child mode: load, verify `runs` times, measure the bare bound, print JSON. */
async function child(pkg: string, trustFile: string, runs: number): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { X509Certificate } = await import('node:crypto');
  const { loadEvidencePackage } = await import('../../ceremony/evidence/index.js');
  const { parseTrustFile } = await import('../../ceremony/bundle/index.js');
  const { base64Decode, pemDecodeAll } = await import('../../ceremony/codec/index.js');
  const { EVIDENCE_FILES, evidenceSignatureMessage, verifyEvidence } =
    await import('../../ceremony/verify/index.js');
  const trust = parseTrustFile(readFileSync(trustFile, 'utf8'), trustFile);
  const t0 = performance.now();
  const files = loadEvidencePackage(pkg);
  const loadMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await verifyEvidence(files, trust);
    times.push(performance.now() - t);
    if (!r.ok)
      throw new Error(`bench package does not verify: ${JSON.stringify(r.checks.filter((c) => !c.ok))}`);
  }
  const rss = process.resourceUsage().maxRSS * 1024;

  // The bare lower bound: the same signatures, on the same messages, and the same hashing, on
  // node:crypto with every key imported beforehand.
  const f = (p: string) => files.get(p)!;
  const ed = (raw: Uint8Array): KeyObject =>
    createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
      format: 'jwk',
    });
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest();
  const checks: { key: KeyObject; message: Uint8Array; signature: Uint8Array; hash: 'sha256' | null }[] = [];
  checks.push({
    key: ed(trust.operatorKeys[0]!.publicKey),
    message: evidenceSignatureMessage(f(EVIDENCE_FILES.sums)),
    signature: f(EVIDENCE_FILES.sumsSignature),
    hash: null,
  });
  checks.push({
    key: ed(trust.witnessKeys.find((k) => k.notAfter === undefined)!.publicKey),
    message: f(EVIDENCE_FILES.statement),
    signature: f(EVIDENCE_FILES.statementSignature),
    hash: null,
  });
  const counter = Buffer.concat([
    Buffer.from('fleet-ceremony operator counter-signature v1\0'),
    sha(f(EVIDENCE_FILES.statement)),
    f(EVIDENCE_FILES.statementSignature),
  ]);
  checks.push({
    key: ed(trust.operatorKeys[0]!.publicKey),
    message: counter,
    signature: f(EVIDENCE_FILES.countersignature),
    hash: null,
  });
  const note = new TextDecoder().decode(f(EVIDENCE_FILES.checkpoint));
  const noteText = note.slice(0, note.indexOf('\n\n') + 1);
  const blob = base64Decode(
    note
      .slice(note.indexOf('\n\n') + 2)
      .split(' ')[2]!
      .trim(),
  );
  checks.push({
    key: ed(trust.log.verifier.publicKey),
    message: Buffer.from(noteText),
    signature: blob.subarray(4),
    hash: null,
  });
  const lines = new TextDecoder().decode(f(EVIDENCE_FILES.transcript)).trimEnd().split('\n');
  const records = lines.map(
    (l) => JSON.parse(l) as { kind: string; step?: string; data: Record<string, unknown> },
  );
  const ceremonyId = (records[0]!.data.ceremony as { id: string }).id;
  for (const r of records.filter((x) => x.kind === 'signoff')) {
    const d = r.data as { publicKey: string; head: string; signature: string };
    const message = Buffer.concat([
      Buffer.from(`fleet-ceremony signoff v1\0${ceremonyId}\0${r.step}\0`),
      Buffer.from(d.head, 'hex'),
    ]);
    checks.push({
      key: ed(Buffer.from(d.publicKey, 'hex')),
      message,
      signature: Buffer.from(d.signature, 'hex'),
      hash: null,
    });
  }
  const statements = [...files.keys()].filter((k) => k.endsWith('.statement'));
  for (const s of statements) {
    const chain = pemDecodeAll(
      new TextDecoder().decode(f(s.replace(/\.statement$/, '.chain.pem'))),
      'CERTIFICATE',
    ).map((b) => b.der);
    const device = new X509Certificate(Buffer.from(chain[0]!));
    const root = new X509Certificate(Buffer.from(chain[1]!));
    const leaf = certParts(f(s));
    const dev = certParts(chain[0]!);
    checks.push({ key: device.publicKey, message: leaf.tbs, signature: leaf.sig, hash: 'sha256' });
    checks.push({ key: root.publicKey, message: dev.tbs, signature: dev.sig, hash: 'sha256' });
  }
  for (const c of checks) {
    if (!verify(c.hash, c.message, c.hash === null ? c.key : { key: c.key, dsaEncoding: 'der' }, c.signature))
      throw new Error('bench: a bound signature does not verify');
  }
  const all = [...files.values()];
  const lineBytes = lines.map((l) => Buffer.from(l));
  const merkle = Buffer.alloc(65);
  const bound = () => {
    for (const b of all) sha(b);
    for (const l of lineBytes) sha(l);
    for (const s of statements) sha(f(s));
    for (let i = 0; i < 8; i++) sha(merkle);
    for (const c of checks)
      verify(c.hash, c.message, c.hash === null ? c.key : { key: c.key, dsaEncoding: 'der' }, c.signature);
  };
  const bounds: number[] = [];
  for (let i = 0; i < Math.max(5, runs); i++) {
    const t = performance.now();
    bound();
    bounds.push(performance.now() - t);
  }
  process.stdout.write(
    JSON.stringify({
      loadMs,
      verifyMs: median(times),
      boundMs: median(bounds),
      rss,
      signatures: checks.length,
    }) + '\n',
  );
}

if (process.argv[1] === self && process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
} else if (process.argv[1] === self && process.argv[2] === '--baseline') {
  // The same modules loaded, nothing verified: the runtime's own footprint.
  await import('../../ceremony/evidence/index.js');
  await import('../../ceremony/bundle/index.js');
  process.stdout.write(JSON.stringify({ rss: process.resourceUsage().maxRSS * 1024 }) + '\n');
}

const bench: Benchmark = {
  name: 'evidence',
  async run(ctx) {
    const { testPackage } = await import('../unit/evidence/fixture/package.js');
    const out: BenchRecord[] = [];
    const base = spawnSync(process.execPath, ['--import', 'tsx', self, '--baseline'], { encoding: 'utf8' });
    const baseline = (JSON.parse(base.stdout.trim()) as { rss: number }).rss / 2 ** 20;
    ctx.log(`baseline: node + tsx + the verifier's modules, peak RSS ${baseline.toFixed(0)} MiB`);
    out.push(valueRecord('evidence.peak RSS baseline (modules loaded, nothing verified)', baseline, 'MiB'));
    for (const n of ctx.quick ? [5, 50] : [5, 100, 1000]) {
      const t0 = Date.now();
      const p = await testPackage({ hsms: n, fast: n > 5 });
      const bytes = [...p.files.values()].reduce((a, b) => a + b.length, 0);
      ctx.log(
        `${n} HSMs: package of ${p.files.size} files, ${bytes} bytes, written in ${Date.now() - t0} ms`,
      );
      const dir = mkdtempSync(join(tmpdir(), 'fc-bench-'));
      writeFileSync(join(dir, 'trust.json'), JSON.stringify(p.world.trustJson));
      const runs = n >= 1000 ? 5 : ctx.quick ? 5 : 15;
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', self, '--child', p.dir, join(dir, 'trust.json'), String(runs)],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        loadMs: number;
        verifyMs: number;
        boundMs: number;
        rss: number;
        signatures: number;
      };
      ctx.log(
        `${n} HSMs: ${m.signatures} signatures; load ${m.loadMs.toFixed(0)} ms, verify ${m.verifyMs.toFixed(1)} ms, bare crypto ${m.boundMs.toFixed(1)} ms, peak RSS ${(m.rss / 2 ** 20).toFixed(0)} MiB`,
      );
      out.push(ratioRecord(`evidence.verify ${n} HSMs / bare crypto`, m.verifyMs, m.boundMs, 'ms'));
      out.push(valueRecord(`evidence.peak RSS ${n} HSMs (load + verify)`, m.rss / 2 ** 20, 'MiB'));
      out.push(valueRecord(`evidence.package ${n} HSMs`, bytes / 2 ** 20, 'MiB'));
      rmSync(dir, { recursive: true, force: true });
      await p.cleanup();
    }
    return out;
  },
};

export default bench;
