/**
 * The paper script as PDF (`fleet-ceremony script print FILE --pdf OUT`): a title block, the
 * participants table, devices and keys, the numbered steps each with Initials and Time columns and
 * blank lines for the values read aloud, and the final sign-off block with a line per signer. The
 * output is deterministic (no creation date), so the same script always prints the same bytes.
 */
import { formatHex } from '../confirm.js';
import { signoffSummary } from '../plan.js';
import { Layout } from './pdf-layout.js';
import type { PaperScript } from './model.js';

/** The PDF bytes of a paper script. */
export async function paperPdf(p: PaperScript): Promise<Uint8Array> {
  const lib = await import('pdf-lib');
  const doc = await lib.PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`Ceremony script: ${p.title}`);
  doc.setCreator('fleet-ceremony');
  const l = await Layout.create(lib, doc);
  const w = l.width;

  l.text('CEREMONY SCRIPT', { size: 9, bold: true, grey: true });
  l.text(p.title, { size: 18, bold: true, gap: 8 });
  for (const [k, v] of p.facts)
    l.row(
      [
        { text: k, x: 0, width: 100, bold: true },
        { text: v, x: 105, width: w - 105 },
      ],
      9,
      1,
    );
  l.row(
    [
      { text: 'Script SHA-256', x: 0, width: 100, bold: true },
      { text: formatHex(p.scriptSha256).replace(/\n/g, ' '), x: 105, width: w - 105, mono: true },
    ],
    9,
    1,
  );
  l.row(
    [
      { text: 'PGP words', x: 0, width: 100, bold: true },
      { text: `${p.scriptWords.join(' ')} ...`, x: 105, width: w - 105 },
    ],
    9,
    1,
  );
  l.row(
    [
      { text: 'Date (UTC)', x: 0, width: 100, bold: true },
      { text: '', x: 105, width: 140, blank: true },
      { text: 'Location', x: 260, width: 60, bold: true },
      { text: '', x: 320, width: w - 320, blank: true },
    ],
    9,
    8,
  );

  l.separator();
  l.text('Participants', { size: 12, bold: true, gap: 4 });
  l.row([
    { text: 'Id', x: 0, width: 70, bold: true },
    { text: 'Name', x: 72, width: 130, bold: true },
    { text: 'Role', x: 205, width: 90, bold: true },
    { text: 'Identity', x: 298, width: 120, bold: true },
    { text: 'Initials', x: w - 60, width: 60, bold: true },
  ]);
  for (const x of p.participants)
    l.row(
      [
        { text: x.id, x: 0, width: 70 },
        { text: x.name, x: 72, width: 130 },
        { text: x.role, x: 205, width: 90 },
        { text: x.identity, x: 298, width: 140, mono: true },
        { text: '', x: w - 60, width: 60, blank: true },
      ],
      9,
      6,
    );
  l.text(`Quorum: ${p.quorum}`, { size: 9, gap: 6 });

  l.text('HSMs and fleet keys', { size: 12, bold: true, gap: 4 });
  for (const h of p.hsms)
    l.row(
      [
        { text: h.id, x: 0, width: 70, mono: true },
        { text: h.site, x: 72, width: 200 },
        { text: h.device, x: 275, width: 110 },
        { text: `serial ${h.serial}`, x: 388, width: w - 388 },
      ],
      9,
      2,
    );
  for (const k of p.keys)
    l.row(
      [
        { text: k.label, x: 0, width: 150, mono: true },
        { text: `on ${k.hsm}`, x: 155, width: 80 },
        { text: k.algorithm, x: 240, width: 60 },
        { text: k.role, x: 305, width: 80 },
      ],
      9,
      2,
    );

  l.separator();
  const stepHeader = () =>
    l.row([
      { text: 'No.', x: 0, width: 24, bold: true },
      { text: 'Step', x: 28, width: w - 170, bold: true },
      { text: 'Initials', x: w - 135, width: 60, bold: true },
      { text: 'Time (UTC)', x: w - 65, width: 65, bold: true },
    ]);
  l.text('Steps', { size: 12, bold: true, gap: 4 });
  stepHeader();
  for (const s of p.steps) {
    l.need(60);
    l.row(
      [
        { text: `${s.number}.`, x: 0, width: 24, bold: true },
        { text: `${s.title}  [${s.kind}]`, x: 28, width: w - 170, bold: true },
        { text: '', x: w - 135, width: 55, blank: true },
        { text: '', x: w - 65, width: 60, blank: true },
      ],
      10,
      2,
    );
    if (s.description !== undefined) l.text(s.description, { size: 9, indent: 28 });
    for (const a of s.actions) l.text(`- ${a}`, { size: 9, indent: 28, grey: true });
    for (const r of s.readAloud) {
      l.text(`Read aloud: ${r.label} (${r.value})`, { size: 9, indent: 28, bold: true });
      l.row(
        [
          { text: 'hex', x: 40, width: 40 },
          { text: '', x: 80, width: w - 80, blank: true },
        ],
        9,
        6,
      );
      l.row(
        [
          { text: 'words', x: 40, width: 40 },
          { text: '', x: 80, width: w - 80, blank: true },
        ],
        9,
        6,
      );
    }
    if (s.signoffs.length > 0) l.text(`Sign-offs: ${signoffSummary(s.signoffs)}`, { size: 9, indent: 28 });
    l.y -= 6;
  }

  l.need(120);
  l.separator();
  l.text('Final sign-off', { size: 12, bold: true, gap: 2 });
  l.text('We attest that this ceremony followed the script above, and that the values read aloud matched.', {
    size: 9,
    gap: 6,
  });
  l.row([
    { text: 'Name', x: 0, width: 150, bold: true },
    { text: 'Role', x: 155, width: 90, bold: true },
    { text: 'Signature', x: 250, width: 150, bold: true },
    { text: 'Time (UTC)', x: w - 80, width: 80, bold: true },
  ]);
  for (const f of p.finalSigners)
    l.row(
      [
        { text: f.name, x: 0, width: 150 },
        { text: f.role, x: 155, width: 90 },
        { text: '', x: 250, width: 150, blank: true },
        { text: '', x: w - 80, width: 80, blank: true },
      ],
      9,
      12,
    );

  l.footer(`${p.facts[0]?.[1] ?? ''}    script SHA-256 ${p.scriptSha256.slice(0, 16)}...`);
  return doc.save({ useObjectStreams: false });
}
