/**
 * report.pdf with real tools: pdftoppm renders every page, zbarimg decodes every QR code to a
 * digest that matches the package (computed here from the files themselves), pdftotext finds the
 * REHEARSAL banner on every page and the digests as real text; without emulated HSMs there is no
 * banner.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, hexEncode, utf8Decode } from '../../ceremony/codec/index.js';
import { evidenceView, renderReportPdf } from '../../ceremony/evidence/index.js';
import {
  CheckRecorder,
  EVIDENCE_FILES,
  contentSteps,
  parseManifest,
  statedOf,
} from '../../ceremony/verify/index.js';
import { testPackage } from '../unit/evidence/fixture/package.js';
import type { TestPackage } from '../unit/evidence/fixture/package.js';

let p: TestPackage;
let pdf: string;
beforeAll(async () => {
  p = await testPackage();
  pdf = join(p.dir, EVIDENCE_FILES.report);
});
afterAll(async () => p?.cleanup());

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The digests the report must carry, computed from the package's files, not from the manifest. */
function expectedDigests(): string[] {
  const f = (path: string) => p.files.get(path)!;
  const lines = utf8Decode(f(EVIDENCE_FILES.transcript)).trimEnd().split('\n');
  const checkpoint = utf8Decode(f(EVIDENCE_FILES.checkpoint)).split('\n');
  const start = JSON.parse(lines[0]!) as { data: { script: { sha256: string } } };
  const attestations = [...p.files.keys()].filter((k) => k.endsWith('.statement')).map((k) => sha(f(k)));
  return [
    sha(f(EVIDENCE_FILES.fleetKeySet)),
    sha(f(EVIDENCE_FILES.statement)),
    sha(f(EVIDENCE_FILES.bundle)),
    sha(Buffer.from(lines[lines.length - 1]!)),
    hexEncode(base64Decode(checkpoint[2]!)),
    start.data.script.sha256,
    ...attestations,
  ].sort();
}

describe('report.pdf', () => {
  it('renders with pdftoppm, and zbarimg decodes its QR codes to exactly the package digests', () => {
    const out = join(p.base, 'pages');
    mkdirSync(out);
    execFileSync('pdftoppm', ['-r', '150', '-png', pdf, join(out, 'page')]);
    const pages = readdirSync(out)
      .filter((n) => n.endsWith('.png'))
      .sort();
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const decoded = pages.flatMap((pg) => {
      const r = spawnSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', join(out, pg)], {
        encoding: 'utf8',
      });
      expect([0, 4], `zbarimg on ${pg}: ${r.stderr}`).toContain(r.status); // 4: no code on this page
      return r.stdout.split('\n').filter((l) => l !== '');
    });
    expect(decoded.sort()).toEqual(expectedDigests());
  });

  it('has selectable text: the banner on every page, every digest as text', () => {
    // -raw keeps content-stream order: each table cell's lines stay together.
    const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((pg) => pg.trim() !== '');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const [i, pg] of pages.entries())
      expect(pg, `page ${i + 1}`).toContain('REHEARSAL — emulated HSMs, not hardware');
    const flat = text.replace(/\s+/g, '');
    for (const d of expectedDigests()) expect(flat).toContain(d);
    const layout = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(layout).toContain(sha(p.files.get(EVIDENCE_FILES.fleetKeySet)!)); // headline digests fit on one line
    for (const s of ['fleet-test', 'example.backup-keys', 'Crypto Officer Two', 'fleet-ceremony verify'])
      expect(text).toContain(s);
  });

  it('has no banner when no HSM is emulated', async () => {
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    const st = statedOf(m);
    const facts = await contentSteps(
      p.files,
      p.world.trust,
      { profile: 'rehearsal', createdAt: Date.parse(m.createdAt), nonce: st.nonce, formats: st.formats },
      new CheckRecorder(),
    );
    const view = { ...evidenceView(facts, { ...m, rehearsal: false }), rehearsal: false };
    const file = join(p.base, 'plain.pdf');
    writeFileSync(file, await renderReportPdf(view));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).not.toContain('REHEARSAL');
    expect(text.replace(/\s+/g, '')).toContain(m.fleet.keySetSha256);
  });
});
