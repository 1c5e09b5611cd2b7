/**
 * writeEvidencePackage: the files it creates and their modes, create-only and all-or-nothing
 * behaviour, refusal of artifacts that do not verify or do not match, deterministic renderings
 * that regenerate byte for byte, a P-256 operator key, and no secret in any file.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexEncode, utf8Decode } from '../../../ceremony/codec/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import {
  evidenceView,
  loadEvidencePackage,
  renderReportPdf,
  renderSummaryHtml,
  renderSummaryMarkdown,
  renderVerifyMd,
  writeEvidencePackage,
} from '../../../ceremony/evidence/index.js';
import {
  CheckRecorder,
  EVIDENCE_FILES,
  contentSteps,
  ecdsaDerToRaw,
  parseManifest,
  statedOf,
  verifyEvidence,
} from '../../../ceremony/verify/index.js';
import { testPackage, testWorld } from './fixture/package.js';
import type { TestPackage } from './fixture/package.js';
import { participants, seed } from './fixture/transcript.js';
import { logSeed } from './fixture/world.js';

let p: TestPackage;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  p = await testPackage();
  cleanups.push(p.cleanup);
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

function walk(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => {
    const r = rel === '' ? n : `${rel}/${n}`;
    return lstatSync(join(dir, r)).isDirectory() ? [`${r}/`, ...walk(dir, r)] : [r];
  });
}

describe('writeEvidencePackage', () => {
  it('creates the package: every file 0644, directories 0755, the evidence digest is SHA-256 of SHA256SUMS', () => {
    const entries = walk(p.dir);
    const files = entries.filter((e) => !e.endsWith('/'));
    expect(files.sort()).toEqual([...p.files.keys()].sort());
    for (const e of entries)
      expect(lstatSync(join(p.dir, e)).mode & 0o777, e).toBe(e.endsWith('/') ? 0o755 : 0o644);
    for (const f of Object.values(EVIDENCE_FILES)) expect(files).toContain(f);
    expect(p.written.evidenceSha256).toBe(
      createHash('sha256').update(p.files.get(EVIDENCE_FILES.sums)!).digest('hex'),
    );
    expect(p.written).toMatchObject({ files: p.files.size, rehearsal: true });
    expect(readdirSync(p.base).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('never overwrites: an existing package, or a non-empty directory, is refused and left as it was', async () => {
    await expect(writeEvidencePackage(p.dir, p.world.inputs)).rejects.toMatchObject({
      code: 'EVIDENCE_OUTPUT_EXISTS',
    });
    const other = join(p.base, 'occupied');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), 'mine');
    await expect(writeEvidencePackage(other, p.world.inputs)).rejects.toMatchObject({
      code: 'EVIDENCE_OUTPUT_EXISTS',
    });
    expect(readdirSync(other)).toEqual(['keep.txt']);
    const empty = join(p.base, 'empty');
    mkdirSync(empty);
    await writeEvidencePackage(empty, p.world.inputs);
    expect((await verifyEvidence(loadEvidencePackage(empty), p.world.trust)).ok).toBe(true);
    expect(readdirSync(p.base).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('refuses artifacts that do not verify, or do not match, writing nothing', async () => {
    const w = await testWorld({ attestNonce: seed('elsewhere') });
    cleanups.push(w.cleanup);
    const dir = join(w.base, 'out');
    await expect(writeEvidencePackage(dir, w.world.inputs)).rejects.toMatchObject({
      code: 'EVIDENCE_INPUT_REJECTED',
      message: expect.stringMatching(/ATTEST_CHALLENGE_MISMATCH/),
    });
    expect(readdirSync(w.base).filter((n) => n.startsWith('out') || n.startsWith('.out'))).toEqual([]);
    const i = p.world.inputs;
    const bad = [
      [{ ...i, tlogProof: i.tlogProof!.replace('index', 'index ') }, 'EVIDENCE_INPUT_MISMATCH'],
      [{ ...i, checkpoint: `${i.checkpoint!}x` }, 'EVIDENCE_INPUT_MISMATCH'],
      [{ ...i, attestations: i.attestations.slice(1) }, 'EVIDENCE_INPUT_INVALID'],
      [{ ...i, attestations: [...i.attestations, i.attestations[0]!] }, 'EVIDENCE_INPUT_INVALID'],
      [{ ...i, nonce: new Uint8Array(16) }, 'EVIDENCE_INPUT_INVALID'],
      [
        {
          ...i,
          signer: {
            algorithm: 'ed25519',
            publicKey: ed25519.getPublicKey(seed('x')),
            sign: async (m: Uint8Array) => ed25519.sign(seed('x'), m),
          },
        },
        'EVIDENCE_SIGNER_MISMATCH',
      ],
      [
        { ...i, signer: { ...i.signer, sign: async () => new Uint8Array(64) } },
        'EVIDENCE_SIGNATURE_SELF_CHECK_FAILED',
      ],
    ] as const;
    for (const [inputs, code] of bad)
      await expect(
        writeEvidencePackage(join(p.base, `bad-${code}`), inputs as typeof i),
        code,
      ).rejects.toMatchObject({ code });
  });

  it('renders deterministically: the renderings regenerate byte for byte from the package', async () => {
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    const stated = statedOf(m);
    const facts = await contentSteps(
      p.files,
      p.world.trust,
      {
        profile: 'rehearsal',
        createdAt: Date.parse(m.createdAt),
        nonce: stated.nonce,
        formats: stated.formats,
      },
      new CheckRecorder(),
    );
    const view = evidenceView(facts, m);
    const pdf = await renderReportPdf(view);
    expect(Buffer.compare(pdf, p.files.get(EVIDENCE_FILES.report)!)).toBe(0);
    expect(renderSummaryMarkdown(view)).toBe(utf8Decode(p.files.get(EVIDENCE_FILES.summary)!));
    expect(renderSummaryHtml(view)).toBe(utf8Decode(p.files.get(EVIDENCE_FILES.summaryHtml)!));
    expect(renderVerifyMd(view)).toBe(utf8Decode(p.files.get(EVIDENCE_FILES.verify)!));
  });

  it('works with a P-256 operator key: DER signatures, and the package verifies', async () => {
    const q = await testPackage({ operatorAlgorithm: 'p256' });
    cleanups.push(q.cleanup);
    expect((await verifyEvidence(q.files, q.world.trust)).ok).toBe(true);
    expect(ecdsaDerToRaw(q.files.get(EVIDENCE_FILES.sumsSignature)!)).toHaveLength(64);
    expect(ecdsaDerToRaw(q.files.get(EVIDENCE_FILES.countersignature)!)).toHaveLength(64);
    expect(parseManifest(q.files.get(EVIDENCE_FILES.manifest)!).operator.algorithm).toBe('p256');
  });

  it('puts no secret in any file: no PIN, no participant, witness or log seed', () => {
    const secrets = [
      'evidence-test-pin',
      ...participants().map((x) => hexEncode(x.seed)),
      hexEncode(seed('witness current')),
      hexEncode(logSeed()),
    ];
    for (const [path, bytes] of p.files) {
      const text = Buffer.from(bytes).toString('latin1');
      const hex = Buffer.from(bytes).toString('hex');
      for (const s of secrets) {
        expect(text.includes(s), `${path} holds a secret`).toBe(false);
        if (/^[0-9a-f]+$/.test(s)) expect(hex.includes(s), `${path} holds a secret's bytes`).toBe(false);
      }
    }
  });
});
