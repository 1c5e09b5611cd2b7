/**
 * SUMMARY.md, summary.html and VERIFY.md: what they say, escaped for their format; the rehearsal
 * banner comes first on emulated evidence and is absent otherwise; the recipe is extractable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Decode } from '../../../ceremony/codec/index.js';
import {
  extractRecipe,
  REHEARSAL_BANNER,
  renderSummaryHtml,
  renderSummaryMarkdown,
} from '../../../ceremony/evidence/index.js';
import { toHtml, toMarkdown } from '../../../ceremony/evidence/doc.js';
import type { EvidenceView } from '../../../ceremony/evidence/index.js';
import { coverageMarkdown } from '../../../ceremony/verify/coverage.js';
import { EVIDENCE_FILES, parseManifest } from '../../../ceremony/verify/index.js';
import { testPackage } from './fixture/package.js';
import type { TestPackage } from './fixture/package.js';

let p: TestPackage;
beforeAll(async () => {
  p = await testPackage();
});
afterAll(async () => p?.cleanup());
const text = (f: string) => utf8Decode(p.files.get(f)!);

describe('renderings', () => {
  it('SUMMARY.md opens with the rehearsal banner and names the fleet, the digest, the witness and the log', () => {
    const md = text(EVIDENCE_FILES.summary);
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    expect(md.startsWith(`> **${REHEARSAL_BANNER}.**`)).toBe(true);
    for (const s of [
      m.fleet.keySetSha256,
      m.witness.logOrigin,
      `entry ${m.witness.logIndex}`,
      'fleet-test',
      'fleet-ceremony verify',
    ])
      expect(md).toContain(s);
    const html = text(EVIDENCE_FILES.summaryHtml);
    expect(html).toMatch(/^<p class="fleet-rehearsal"[^>]*>REHEARSAL — emulated HSMs, not hardware\./);
    expect(html).not.toMatch(/<(html|body|head|script)/);
    expect(html).toContain(`<code>${m.fleet.keySetSha256}</code>`);
  });

  it('has no banner when no HSM is emulated', () => {
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    const view = {
      manifest: { ...m, rehearsal: false },
      rehearsal: false,
      digests: [],
      hsms: [],
      keys: [],
      participants: [],
      steps: [],
      interruptions: [],
      transcript: { records: 1, signoffs: 0, head: 'h' },
      log: { cosigners: [] },
      bundleSha256: '',
    } as EvidenceView;
    expect(renderSummaryMarkdown(view)).not.toContain('REHEARSAL');
    expect(renderSummaryHtml(view)).not.toContain('REHEARSAL');
  });

  it('escapes text for Markdown and HTML', () => {
    const blocks = [
      { p: ['<script>alert("x")</script> *bold* `tick` | pipe', { code: 'a`b' }, { bold: '_x_' }] },
      { table: { head: ['a|b'], rows: [['<i>']] } },
    ];
    expect(toHtml(blocks)).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; *bold* `tick` | pipe<code>a`b</code><strong>_x_</strong></p>\n<table>\n  <tr><th>a|b</th></tr>\n  <tr><td>&lt;i&gt;</td></tr>\n</table>\n',
    );
    expect(toMarkdown(blocks)).toBe(
      '\\<script\\>alert("x")\\</script\\> \\*bold\\* \\`tick\\` \\| pipe`a\'b`**\\_x\\_**\n\n| a\\|b |\n| --- |\n| \\<i\\> |\n',
    );
  });

  it('VERIFY.md gives the tool, the single-file verifier, the recipe, the coverage table and the anchors', () => {
    const md = text(EVIDENCE_FILES.verify);
    expect(md).toContain('fleet-ceremony verify <this directory, or its .tar.gz> --trust trust.json');
    expect(md).toContain('node fleet-verify.mjs');
    expect(md).toContain(coverageMarkdown().trimEnd());
    const recipe = extractRecipe(md)!;
    expect(recipe.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    for (const tool of ['sha256sum --strict', 'openssl pkeyutl -verify', 'openssl verify -CAfile'])
      expect(recipe).toContain(tool);
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    expect(md).toContain(m.anchors.logKey);
    expect(extractRecipe('no recipe here')).toBeUndefined();
  });
});
