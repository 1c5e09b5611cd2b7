/**
 * SUMMARY.md and summary.html: what a blog post about the deployment says, ready to paste
 * (docs/evidence.md, "Renderings"). A rehearsal says so first, in a banner.
 */
import type { Block, Span } from './doc.js';
import { toHtml, toMarkdown } from './doc.js';
import type { EvidenceView } from './view.js';

/** The words of the rehearsal banner, on every rendering of emulated evidence. */
export const REHEARSAL_BANNER = 'REHEARSAL — emulated HSMs, not hardware';
/** What the banner adds. */
export const REHEARSAL_DETAIL =
  'The keys of this fleet live in emulated HSMs, whose secrets are ordinary files: this evidence shows the procedure was followed, and proves nothing about hardware. A production verifier refuses it.';

function day(iso: string): string {
  return iso.slice(0, 10);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The summary as blocks. */
export function summaryBlocks(v: EvidenceView): Block[] {
  const m = v.manifest;
  const f = m.fleet;
  const sites = new Set(v.hsms.map((h) => h.site));
  const levels = [...new Set(v.keys.map((k) => k.level))].join(', ');
  const blocks: Block[] = [];
  if (v.rehearsal) blocks.push({ banner: REHEARSAL_BANNER + '.', detail: REHEARSAL_DETAIL });
  blocks.push({ h: 2, text: `Fleet ${f.fleetId}, epoch ${f.epoch}: deployment evidence` });
  blocks.push({
    p: [
      `On ${day(m.createdAt)} we ran the ceremony “${m.ceremony.name}” (`,
      { code: m.ceremony.id },
      `, ${m.ceremony.kind}) and deployed fleet `,
      { bold: f.fleetId },
      ` as epoch `,
      { bold: f.epoch },
      ` of namespace `,
      { code: f.namespace },
      `: ${plural(f.hsms, 'HSM')} at ${plural(sites.size, 'site')}, holding ${plural(f.keys, 'key')}, each generated inside its HSM and attested by it (attestation level: ${levels}).`,
    ],
  });
  const items: Span[][] = [
    [{ bold: 'Fleet key set digest: ' }, { code: f.keySetSha256 }],
    [
      `Signed by the independent witness at ${m.witness.statementTime} (witness key id ${m.witness.keyId}), counter-signed by the operator (key ${m.operator.keyId}), and published as entry ${m.witness.logIndex} of the witness log `,
      { code: m.witness.logOrigin },
      ` (tree size ${m.witness.treeSize}).`,
    ],
    [`Valid from ${m.fleet.validity.notBefore} to ${m.fleet.validity.notAfter}.`],
    f.previousDigest === null
      ? ['The first epoch of this namespace.']
      : ['Follows the fleet key set ', { code: f.previousDigest }, '.'],
    [
      `Ceremony: ${plural(v.participants.length, 'participant')}, ${plural(v.steps.length, 'step')}, ${plural(v.transcript.signoffs, 'sign-off')}; fleet HSM quorum ${f.quorum.threshold} of ${f.quorum.total}; transcript head `,
      { code: v.transcript.head },
      '.',
    ],
  ];
  blocks.push({ ul: items });
  const bySite = new Map<string, { n: number; models: Set<string>; levels: Set<string> }>();
  for (const h of v.hsms) {
    const s = bySite.get(h.site) ?? { n: 0, models: new Set(), levels: new Set() };
    s.n++;
    s.models.add(`${h.vendor} ${h.model}`);
    s.levels.add(h.level);
    bySite.set(h.site, s);
  }
  blocks.push({
    table: {
      head: ['Site', 'HSMs', 'Model', 'Attestation level'],
      rows: [...bySite].map(([site, s]) => [
        site,
        String(s.n),
        [...s.models].join(', '),
        [...s.levels].join(', '),
      ]),
    },
  });
  blocks.push({ h: 3, text: 'Verify it yourself' });
  blocks.push({
    p: ['Download the evidence package and check it offline against the keys you pin (a trust file):'],
  });
  blocks.push({ pre: 'fleet-ceremony verify <package> --trust trust.json', lang: 'sh' });
  const verifier: Span[] =
    m.verifier.sha256 === null ? ['.'] : [' (its SHA-256 is ', { code: m.verifier.sha256 }, ').'];
  blocks.push({
    p: [
      'Or with nothing installed but Node.js: ',
      { code: 'node fleet-verify.mjs <package> --trust trust.json' },
      ...verifier,
      ' Or by hand with sha256sum and openssl, following VERIFY.md in the package. Check that SHA256SUMS hashes to the evidence digest published with this post.',
    ],
  });
  return blocks;
}

/** SUMMARY.md. */
export function renderSummaryMarkdown(v: EvidenceView): string {
  return toMarkdown(summaryBlocks(v));
}

/** summary.html: the same as an HTML fragment. */
export function renderSummaryHtml(v: EvidenceView): string {
  return toHtml(summaryBlocks(v));
}
