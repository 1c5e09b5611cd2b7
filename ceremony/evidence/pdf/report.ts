/**
 * report.pdf (docs/evidence.md, "Renderings"): the fleet, namespace, epoch and validity; the
 * headline digests, each beside a QR code that decodes to exactly that lowercase hex; the HSMs and
 * the keys with their attestation levels (each attestation digest with its QR code);
 * participants and sign-offs; the timeline; the witness and the log; how to verify. Emulated
 * evidence carries the REHEARSAL banner on every page.
 *
 * Deterministic: the same view gives the same bytes (standard fonts, no embedded subsets, fixed
 * metadata with both dates set to the package's time, no generated IDs), so a report can be
 * regenerated and compared.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { REHEARSAL_BANNER, REHEARSAL_DETAIL } from '../summary.js';
import type { EvidenceView } from '../view.js';
import { ReportCanvas } from './canvas.js';

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;
}

function overview(c: ReportCanvas, v: EvidenceView): void {
  const m = v.manifest;
  c.text(`Evidence report: ${m.ceremony.name}`, { size: 18, font: c.fonts.bold, gap: 6 });
  if (v.rehearsal)
    c.text(`${REHEARSAL_BANNER}. ${REHEARSAL_DETAIL}`, { size: 10, font: c.fonts.bold, gap: 8 });
  c.table(
    [
      { title: 'Fleet', width: 130 },
      { title: '', width: c.width - 130 },
    ],
    [
      ['Fleet id', m.fleet.fleetId],
      ['Namespace', m.fleet.namespace],
      ['Epoch', m.fleet.epoch],
      ['Valid', `${m.fleet.validity.notBefore} until ${m.fleet.validity.notAfter}`],
      [
        'HSMs, keys',
        `${m.fleet.hsms} HSMs at ${new Set(v.hsms.map((h) => h.site)).size} sites, ${m.fleet.keys} keys; HSM quorum ${m.fleet.quorum.threshold} of ${m.fleet.quorum.total}`,
      ],
      ['Ceremony', `${m.ceremony.id} (${m.ceremony.kind}); package made ${m.createdAt}`],
      ['Attestation nonce', { text: m.ceremony.nonce, mono: true }],
    ],
    { size: 8.5 },
  );
}

function digests(c: ReportCanvas, v: EvidenceView): void {
  c.heading('Digests');
  c.text('Each QR code encodes exactly the lowercase hexadecimal digest printed beside it.', { size: 8.5 });
  c.table(
    [
      { title: 'What', width: 130 },
      { title: 'SHA-256 (hex)', width: c.width - 130 },
    ],
    v.digests.map((d) => [`${d.label}: ${d.of}`, { text: d.hex, mono: true, qr: d.hex }]),
    { size: 7.5, qrModule: 1.5 },
  );
}

function fleet(c: ReportCanvas, v: EvidenceView): void {
  c.heading('HSMs');
  c.table(
    [
      { title: 'HSM', width: 70 },
      { title: 'Site', width: 110 },
      { title: 'Vendor, model', width: 140 },
      { title: 'Serial', width: 70 },
      { title: 'Firmware', width: 50 },
      { title: 'Attestation level', width: c.width - 440 },
    ],
    v.hsms.map((h) => [h.id, h.site, `${h.vendor}, ${h.model}`, h.serial, h.firmware, h.level]),
  );
  c.heading('Keys and their attestations');
  c.table(
    [
      { title: 'Key', width: 105 },
      { title: 'Public key', width: 130 },
      { title: 'Attestation', width: 90 },
      { title: 'Attestation SHA-256', width: c.width - 325 },
    ],
    v.keys.map((k) => [
      `${k.keyId}\n${k.role}, ${k.algorithm}\non ${k.hsmId}`,
      { text: k.publicKey, mono: true },
      `${k.format}\nlevel ${k.level}\n${k.device}`,
      {
        text: `${k.attestationDigest.slice(0, 32)}\n${k.attestationDigest.slice(32)}`,
        mono: true,
        qr: k.attestationDigest,
      },
    ]),
    { size: 7 },
  );
}

function people(c: ReportCanvas, v: EvidenceView): void {
  c.heading('Participants');
  c.table(
    [
      { title: 'Id', width: 70 },
      { title: 'Name', width: 120 },
      { title: 'Role', width: 85 },
      { title: 'Ed25519 identity key', width: c.width - 275 },
    ],
    v.participants.map((p) => [p.id, p.name, p.role, { text: p.publicKey, mono: true }]),
  );
  c.heading('Timeline and sign-offs');
  c.table(
    [
      { title: 'Step', width: 150 },
      { title: 'Started (UTC)', width: 100 },
      { title: 'Ended (UTC)', width: 100 },
      { title: 'Duration', width: 45 },
      { title: 'Signed off by', width: c.width - 395 },
    ],
    v.steps.map((s) => [
      `${s.title} (${s.id}${s.attempts > 1 ? `, ${s.attempts} attempts` : ''})`,
      s.started ?? '',
      s.ended ?? '',
      duration(s.durationMs),
      s.signers.join(', '),
    ]),
  );
  if (v.interruptions.length > 0)
    c.text(
      `Interruptions: ${v.interruptions.map((i) => `${i.time} ${i.step ?? ''} ${i.reason}`).join('; ')}`,
      { size: 8.5 },
    );
  c.text(
    `Transcript: ${v.transcript.records} records, ${v.transcript.signoffs} sign-offs, head ${v.transcript.head}; the fleet key set names line ${v.transcript.boundLine ?? '?'}.`,
    { size: 8.5 },
  );
}

function witness(c: ReportCanvas, v: EvidenceView): void {
  const m = v.manifest;
  c.heading('Witness, counter-signature and log');
  c.table(
    [
      { title: 'Item', width: 130 },
      { title: '', width: c.width - 130 },
    ],
    [
      ['Witness statement', `signed ${m.witness.statementTime}, witness key id ${m.witness.keyId}`],
      ['Witness key', { text: v.witnessKeyHex ?? '', mono: true }],
      ['Operator counter-signature', `${m.operator.algorithm} operator key ${m.operator.keyId}`],
      ['Operator key', { text: m.operator.publicKey, mono: true }],
      [
        'Witness log',
        `${m.witness.logOrigin}: entry ${m.witness.logIndex} of ${m.witness.treeSize}${v.log.cosigners.length > 0 ? `, cosigned by ${v.log.cosigners.join(', ')}` : ''}`,
      ],
      ['Package signature', `SHA256SUMS, signed by operator key ${m.operator.keyId} (SHA256SUMS.sig)`],
    ],
    { size: 8.5 },
  );
}

function howToVerify(c: ReportCanvas, v: EvidenceView): void {
  c.heading('How to verify');
  c.text(
    'Pin the witness, log, operator and vendor keys in a trust file you obtained independently, then run:',
    { size: 9 },
  );
  c.text('fleet-ceremony verify <package directory or .tar.gz> --trust trust.json', {
    font: c.fonts.mono,
    size: 8.5,
    indent: 12,
  });
  c.text(
    'or, with Node.js alone: node fleet-verify.mjs <package> --trust trust.json' +
      (v.manifest.verifier.sha256 === null
        ? ''
        : ` (fleet-verify.mjs SHA-256 ${v.manifest.verifier.sha256})`),
    { size: 9 },
  );
  c.text(
    'or by hand with sha256sum and openssl: VERIFY.md in the package gives the script. Every byte of the package is covered by SHA256SUMS, which the operator key signs.',
    { size: 9 },
  );
}

/** report.pdf of the package `v` describes. */
export async function renderReportPdf(v: EvidenceView): Promise<Uint8Array> {
  const m = v.manifest;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  };
  const title = `Evidence report: fleet ${m.fleet.fleetId}, epoch ${m.fleet.epoch}${v.rehearsal ? ` (${REHEARSAL_BANNER})` : ''}`;
  const c = new ReportCanvas(doc, fonts, {
    rehearsal: v.rehearsal,
    banner: REHEARSAL_BANNER,
    header: `fleet-ceremony evidence report · ${m.fleet.namespace}`,
  });
  overview(c, v);
  digests(c, v);
  fleet(c, v);
  people(c, v);
  witness(c, v);
  howToVerify(c, v);
  c.finish(`${m.fleet.fleetId} epoch ${m.fleet.epoch} · ${m.ceremony.id}`);
  const at = new Date(m.createdAt);
  doc.setTitle(title);
  doc.setSubject(`Namespace ${m.fleet.namespace}; fleet key set SHA-256 ${m.fleet.keySetSha256}`);
  doc.setAuthor(m.tool.name);
  doc.setCreator(`${m.tool.name} ${m.tool.version}`);
  doc.setProducer(`${m.tool.name} ${m.tool.version} (pdf-lib)`);
  doc.setKeywords(['fleet-ceremony', 'evidence', m.fleet.fleetId, ...(v.rehearsal ? ['REHEARSAL'] : [])]);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  return doc.save({ useObjectStreams: true });
}
