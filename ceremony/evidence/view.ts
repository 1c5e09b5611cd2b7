/**
 * What the renderings (report.pdf, SUMMARY.md, summary.html, VERIFY.md) show, gathered once from
 * the verified content and the manifest: every renderer reads this and nothing else, so they
 * agree with each other and with the manifest.
 */
import { hexEncode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import type { EvidenceFacts, Manifest } from '../verify/index.js';

/** A digest shown with a QR code that encodes exactly its lowercase hex. */
export interface ShownDigest {
  label: string;
  hex: string;
  /** One line on what it is the digest of. */
  of: string;
}

/** Everything the renderings show. */
export interface EvidenceView {
  manifest: Manifest;
  rehearsal: boolean;
  bundleSha256: string;
  /** The headline digests, each shown with a QR code. */
  digests: ShownDigest[];
  hsms: {
    id: string;
    site: string;
    vendor: string;
    model: string;
    serial: string;
    firmware: string;
    level: string;
  }[];
  keys: {
    keyId: string;
    role: string;
    algorithm: string;
    hsmId: string;
    publicKey: string;
    attestationDigest: string;
    format: string;
    level: string;
    device: string;
  }[];
  participants: { id: string; name: string; role: string; publicKey: string }[];
  steps: {
    id: string;
    title: string;
    kind: string;
    started?: string;
    ended?: string;
    durationMs?: number;
    attempts: number;
    signers: string[];
  }[];
  interruptions: { time: string; step?: string; reason: string }[];
  transcript: { records: number; signoffs: number; head: string; boundLine?: number };
  log: { cosigners: string[] };
  witnessKeyHex?: string;
}

/**
 * Gathers the view.
 *
 * @param facts - the content checks' facts; the bundle and the transcript must have verified.
 */
export function evidenceView(facts: EvidenceFacts, manifest: Manifest): EvidenceView {
  const b = facts.bundle!;
  const t = facts.transcript!.transcript;
  const m = manifest;
  const times = new Map<string, { started?: string; ended?: string }>();
  for (const e of t.entries) {
    if (e.step === undefined) continue;
    const s = times.get(e.step) ?? {};
    if (e.kind === 'step-start' && s.started === undefined) s.started = e.time;
    if (e.kind === 'step-end') s.ended = e.time;
    times.set(e.step, s);
  }
  const results = new Map(facts.attestations.map((a) => [a.keyId, a]));
  const digests: ShownDigest[] = [
    {
      label: 'Fleet key set',
      hex: m.fleet.keySetSha256,
      of: 'SHA-256 of fleet-key-set.cbor: what the witness signed',
    },
    {
      label: 'Witness statement',
      hex: m.witness.statementSha256,
      of: 'SHA-256 of witness/statement.bin, the signed statement',
    },
    {
      label: 'Validation bundle',
      hex: hexEncode(sha256(b.bytes)),
      of: 'SHA-256 of bundle.cbor, what clients receive',
    },
    {
      label: 'Transcript head',
      hex: m.ceremony.transcriptHead,
      of: 'hash of the last transcript record (the seal)',
    },
    {
      label: 'Log root',
      hex: m.witness.rootHash,
      of: `root of ${m.witness.logOrigin} at size ${m.witness.treeSize}`,
    },
    { label: 'Ceremony script', hex: m.ceremony.scriptSha256, of: 'SHA-256 of the script the ceremony ran' },
  ];
  if (m.fleet.previousDigest !== null)
    digests.push({
      label: 'Previous epoch',
      hex: m.fleet.previousDigest,
      of: 'the fleet key set this one follows',
    });
  return {
    manifest: m,
    rehearsal: m.rehearsal,
    bundleSha256: digests[2]!.hex,
    digests,
    hsms: b.keySet.hsms
      .map((h) => ({
        id: h.id,
        site: h.site,
        vendor: h.vendor,
        model: h.model,
        serial: h.serial,
        firmware: h.firmware,
        level: h.attestationLevel,
      }))
      .sort((x, y) => (x.id < y.id ? -1 : 1)),
    keys: b.keySet.keys
      .map((k) => {
        const r = results.get(k.keyId)?.result;
        return {
          keyId: k.keyId,
          role: k.role,
          algorithm: k.algorithm,
          hsmId: k.hsmId,
          publicKey: hexEncode(k.publicKey),
          attestationDigest: hexEncode(k.attestationDigest),
          format: results.get(k.keyId)?.format ?? '',
          level: r?.level ?? '',
          device: r === undefined ? '' : [r.vendor, r.model, r.serial].filter((x) => x !== '').join(', '),
        };
      })
      .sort((x, y) => (x.keyId < y.keyId ? -1 : 1)),
    participants: t.start.participants.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      publicKey: p.publicKey,
    })),
    steps: t.steps.map((s) => ({
      id: s.id,
      title: s.title,
      kind: s.kind,
      ...times.get(s.id),
      ...(s.durationMs === undefined ? {} : { durationMs: s.durationMs }),
      attempts: s.attempts,
      signers: [...s.signers],
    })),
    interruptions: t.interruptions.map((x) => ({
      time: x.time,
      ...(x.step === undefined ? {} : { step: x.step }),
      reason: x.reason,
    })),
    transcript: {
      records: t.records,
      signoffs: t.signoffs,
      head: t.head,
      ...(facts.transcript!.boundLine === undefined ? {} : { boundLine: facts.transcript!.boundLine }),
    },
    log: { cosigners: b.verified?.cosigners ?? [] },
    ...(b.verified === undefined ? {} : { witnessKeyHex: hexEncode(b.verified.witnessKey.publicKey) }),
  };
}
