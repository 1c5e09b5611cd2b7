/**
 * The plan of a ceremony: its numbered steps with what each does, reads aloud and needs signed,
 * as `run --dry-run` prints it and as the `ceremony-start` record fixes it for the verifier.
 */
import type { ResolvedParticipant } from './participants.js';
import type { StepRegistry } from './registry.js';
import type { LoadedScript } from './script/load.js';
import { scriptFileName } from './script/load.js';
import { requiredCount } from './script/semantic.js';
import type { CeremonyScript } from './script/types.js';
import type { CeremonyStartData, PlanEntry } from '../transcript/records.js';
import { TRANSCRIPT_FORMAT } from '../transcript/records.js';
import type { Role } from '../transcript/roles.js';
import { hexEncode } from '../codec/index.js';

/** One step of the plan. */
export interface PlanStep {
  number: number;
  id: string;
  kind: string;
  title: string;
  description?: string;
  /** What the kind says it will do (its `describe`); empty for an unregistered kind. */
  actions: string[];
  readAloud: { label: string; value: string }[];
  signoffs: { role: Role; count: number }[];
  /** False if no registered kind runs this step. */
  registered: boolean;
}

/** The steps of `script`, resolved against `registry`. */
export function ceremonyPlan(script: CeremonyScript, registry: StepRegistry): PlanStep[] {
  return script.steps.map((s, i) => {
    const kind = registry.get(s.kind);
    return {
      number: i + 1,
      id: s.id,
      kind: s.kind,
      title: s.title,
      ...(s.description === undefined ? {} : { description: s.description }),
      actions: kind?.describe(s, script) ?? [],
      readAloud: (s.readAloud ?? []).map((r) => ({ label: r.label, value: r.value })),
      signoffs: (s.signoffs ?? []).map((r) => ({ role: r.role, count: requiredCount(r, script) })),
      registered: kind !== undefined,
    };
  });
}

/** `3 crypto-officer, 1 administrator`. */
export function signoffSummary(signoffs: readonly { role: Role; count: number }[]): string {
  return signoffs.map((g) => `${g.count} ${g.role}`).join(', ');
}

/** The dry-run text: the ceremony, then one block per numbered step. */
export function planText(loaded: LoadedScript, plan: readonly PlanStep[]): string {
  const c = loaded.script.ceremony;
  const lines = [
    `Ceremony ${c.id}: ${c.name}`,
    `  kind ${c.kind}, namespace ${c.namespace}, epoch ${c.epoch}, fleet ${c.fleetId}`,
    `  script ${scriptFileName(loaded)} SHA-256 ${loaded.sha256}`,
    `  quorum ${loaded.script.quorum.threshold} of ${loaded.script.quorum.of} crypto officers`,
    '',
  ];
  for (const s of plan) {
    lines.push(`${s.number}. ${s.title}  [${s.kind}${s.registered ? '' : ': NOT AVAILABLE in this runner'}]`);
    if (s.description !== undefined) lines.push(`   ${s.description}`);
    for (const a of s.actions) lines.push(`   - ${a}`);
    for (const r of s.readAloud) lines.push(`   - read aloud: ${r.label} (${r.value})`);
    if (s.signoffs.length > 0) lines.push(`   - sign-offs: ${signoffSummary(s.signoffs)}`);
  }
  return lines.join('\n') + '\n';
}

/** The `ceremony-start` record's data. */
export function ceremonyStartData(
  loaded: LoadedScript,
  participants: readonly ResolvedParticipant[],
  plan: readonly PlanStep[],
  tool: { name: string; version: string },
): CeremonyStartData {
  const s = loaded.script;
  const c = s.ceremony;
  return {
    format: TRANSCRIPT_FORMAT,
    ceremony: {
      id: c.id,
      name: c.name,
      kind: c.kind,
      namespace: c.namespace,
      epoch: c.epoch,
      fleetId: c.fleetId,
    },
    script: { file: scriptFileName(loaded), sha256: loaded.sha256 },
    participants: participants.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      publicKey: hexEncode(p.publicKey),
    })),
    quorum: { threshold: s.quorum.threshold, of: s.quorum.of },
    plan: plan.map((p): PlanEntry => ({ id: p.id, kind: p.kind, title: p.title, signoffs: p.signoffs })),
    tool,
  };
}
