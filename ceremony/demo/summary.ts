/**
 * The demo's summary for people: what was deployed (fleet, namespace, epoch), the fleet key set
 * digest in hex and PGP words (as it was read aloud), the verifier's verdict, where everything is,
 * and how long each phase and step took.
 */
import { relative } from 'node:path';
import { hexDecode } from '../codec/index.js';
import { formatPgpWords, pgpWords } from '../transcript/pgp-words.js';
import { EVIDENCE_FILES } from '../verify/index.js';
import type { DemoResult } from './run-demo.js';

/** The summary as lines of text (for stderr). */
export function formatDemoSummary(r: DemoResult, cwd = process.cwd()): string {
  const s = r.report.subject;
  const checks = r.report.checks;
  const passed = checks.filter((c) => c.ok).length;
  const p = (path: string) => {
    const rel = relative(cwd, path);
    return rel.startsWith('..') ? path : rel;
  };
  const digest = r.evidence.keySetSha256;
  const lines = [
    '',
    r.report.ok ? 'DEMO CEREMONY VERIFIED' : 'DEMO CEREMONY FAILED VERIFICATION',
    ...(s?.rehearsal === true
      ? ['  REHEARSAL: emulated HSMs, not hardware. This evidence proves nothing about hardware.']
      : []),
    `  fleet ${s?.fleetId ?? '?'}, namespace ${s?.namespace ?? '?'}, epoch ${s?.epoch ?? '?'}: ${s?.keys ?? '?'} keys in ${s?.hsms ?? '?'} HSMs`,
    `  fleet key set digest ${digest}`,
    ...formatPgpWords(pgpWords(hexDecode(digest)), 8)
      .split('\n')
      .map((l) => `    ${l}`),
    `  evidence digest (SHA-256 of SHA256SUMS) ${r.evidence.evidenceSha256}`,
    `  offline verifier: ${passed} of ${checks.length} checks passed (profile ${r.report.profile})`,
    '',
    `  report     ${p(`${r.evidence.dir}/${EVIDENCE_FILES.report}`)}`,
    `  summary    ${p(`${r.evidence.dir}/${EVIDENCE_FILES.summary}`)}`,
    `  package    ${p(r.evidence.dir)}  (and ${p(r.evidence.tarGz)})`,
    `  trust file ${p(r.trust)}`,
    `  transcript ${p(r.run.transcript)}`,
    '',
    `  verify again: fleet-ceremony verify ${p(r.evidence.tarGz)} --trust ${p(r.trust)}`,
    '',
    `  time: ${(r.timings.totalMs / 1000).toFixed(1)} s (setup ${r.timings.setupMs} ms, ceremony ${r.timings.ceremonyMs} ms, evidence ${r.timings.evidenceMs} ms, verify ${r.timings.verifyMs} ms)`,
    `  steps: ${r.run.steps.map((x) => `${x.id} ${x.durationMs ?? 0} ms`).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}
