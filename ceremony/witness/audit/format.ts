/**
 * The human report of `audit-namespace` (docs/witness.md shows an example): one block per epoch
 * with its checks, then what changed from the previous epoch, then the problems.
 */
import type { FleetKeySetDiff } from '../../bundle/index.js';
import { hexEncode } from '../../codec/index.js';
import type { EpochAudit, NamespaceAudit } from './types.js';

const iso = (ms: number | bigint) => new Date(Number(ms)).toISOString();
const word = (s: string) => (s === 'ok' ? 'ok' : s.toUpperCase());

function diffLines(d: FleetKeySetDiff): string[] {
  if (d.identical) return ['    no change'];
  const out: string[] = [];
  for (const c of d.changes) out.push(`    ${c.field}: ${String(c.from)} -> ${String(c.to)}`);
  for (const k of d.keys.added) out.push(`    + key ${k.keyId} (${k.role}, ${k.algorithm}) on ${k.hsmId}`);
  for (const k of d.keys.removed) out.push(`    - key ${k.keyId} (${k.role}, ${k.algorithm}) on ${k.hsmId}`);
  for (const k of d.keys.changed) out.push(`    ~ key ${k.id}: ${k.changes.map((c) => c.field).join(', ')}`);
  for (const h of d.hsms.added)
    out.push(`    + hsm ${h.id} (${h.vendor} ${h.model}, serial ${h.serial}, ${h.site})`);
  for (const h of d.hsms.removed)
    out.push(`    - hsm ${h.id} (${h.vendor} ${h.model}, serial ${h.serial}, ${h.site})`);
  for (const h of d.hsms.changed)
    out.push(
      `    ~ hsm ${h.id}: ${h.changes.map((c) => `${c.field} ${String(c.from)} -> ${String(c.to)}`).join(', ')}`,
    );
  if (d.keys.unchanged.length > 0) out.push(`    = ${d.keys.unchanged.length} key(s) unchanged`);
  return out;
}

function epochLines(e: EpochAudit): string[] {
  const c = e.checks;
  const lines = [
    `epoch ${e.epoch}  signed ${iso(e.timestamp)}  digest ${hexEncode(e.digest)}`,
    `  witness key id ${e.keyId}, log index ${e.logIndex}` +
      (e.fleet === undefined
        ? ''
        : `; fleet ${e.fleet.fleetId}: ${e.fleet.keys} key(s) on ${e.fleet.hsms} HSM(s), valid ${iso(e.fleet.notBefore)} to ${iso(e.fleet.notAfter)}`),
    `  artifact ${word(c.artifact)}, chain ${word(c.chain)}, witness signature ${word(c.witnessSignature)}, ` +
      `counter-signature ${word(c.countersignature)}, log inclusion ${word(c.inclusion)}`,
  ];
  if (e.diff !== undefined) lines.push('  changes from the previous epoch:', ...diffLines(e.diff));
  return lines;
}

/** The report, ending in a newline. */
export function formatNamespaceAudit(a: NamespaceAudit): string {
  const lines = [
    `namespace ${a.namespace}: ${a.epochs.length} epoch(s), log ${a.checkpoint.origin} at size ${a.checkpoint.size} (root ${hexEncode(a.checkpoint.rootHash)})`,
    '',
  ];
  for (const e of a.epochs) lines.push(...epochLines(e), '');
  if (a.ok) lines.push(`VERIFIED: every epoch of ${a.namespace} checks out.`);
  else {
    lines.push(`FAILED: ${a.problems.length} problem(s):`);
    for (const p of a.problems)
      lines.push(`  ${p.epoch === undefined ? '' : `epoch ${p.epoch}: `}${p.message} [${p.code}]`);
  }
  return lines.join('\n') + '\n';
}
