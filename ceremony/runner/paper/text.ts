/** The paper script as plain text (`fleet-ceremony script print FILE`). */
import { formatHex } from '../confirm.js';
import { signoffSummary } from '../plan.js';
import type { PaperScript } from './model.js';

const BLANK = '_'.repeat(14);

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

/** The text rendering of a paper script. */
export function paperText(p: PaperScript): string {
  const out: string[] = [`CEREMONY SCRIPT: ${p.title}`, ''];
  for (const [k, v] of p.facts) out.push(`${pad(k + ':', 16)}${v}`);
  out.push(`${pad('Script SHA-256:', 16)}${formatHex(p.scriptSha256).replace(/\n/g, ' ')}`);
  out.push(`${pad('', 16)}${p.scriptWords.join(' ')} ...`);
  out.push(`${pad('Date (UTC):', 16)}${BLANK}    Location: ${BLANK}`, '');
  out.push('PARTICIPANTS');
  for (const x of p.participants)
    out.push(
      `  ${pad(x.id, 14)}${pad(x.name, 28)}${pad(x.role, 18)}${pad(x.identity, 28)}Initials ${'_'.repeat(6)}`,
    );
  out.push(`  Quorum: ${p.quorum}`, '', 'HSMS');
  for (const h of p.hsms)
    out.push(`  ${pad(h.id, 10)}${pad(h.site, 34)}${pad(h.device, 22)}serial ${h.serial}`);
  out.push('', 'FLEET KEYS');
  for (const k of p.keys) out.push(`  ${pad(k.label, 28)}${pad(k.hsm, 10)}${pad(k.algorithm, 9)}${k.role}`);
  out.push('', `STEPS${' '.repeat(58)}Initials    Time (UTC)`);
  for (const s of p.steps) {
    out.push(
      `${pad(`${String(s.number).padStart(2)}. ${s.title} [${s.kind}]`, 63)}${'_'.repeat(8)}    ${'_'.repeat(10)}`,
    );
    if (s.description !== undefined) out.push(`    ${s.description}`);
    for (const a of s.actions) out.push(`    - ${a}`);
    for (const r of s.readAloud) {
      out.push(`    Read aloud: ${r.label} (${r.value})`);
      out.push(`      hex:   ${'_'.repeat(64)}`, `      words: ${'_'.repeat(64)}`);
    }
    if (s.signoffs.length > 0) out.push(`    Sign-offs: ${signoffSummary(s.signoffs)}`);
  }
  out.push('', 'FINAL SIGN-OFF: we attest that this ceremony followed the script above.');
  for (const f of p.finalSigners)
    out.push(`  ${pad(f.name, 28)}${pad(f.role, 18)}Signature ${'_'.repeat(22)}  Time ${'_'.repeat(10)}`);
  return out.join('\n') + '\n';
}
