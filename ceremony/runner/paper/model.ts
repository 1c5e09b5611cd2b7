/**
 * The paper script: what the participants hold during the ceremony (IANA style): the ceremony, the
 * participants, the devices and keys, the numbered steps with Initials and Time columns and blank
 * fields for the values read aloud, and the final sign-off block. Rendered as text
 * (./text.ts) and PDF (./pdf.ts) from this one model.
 */
import { hexDecode } from '../../codec/index.js';
import { pgpWords } from '../../transcript/pgp-words.js';
import { ceremonyPlan } from '../plan.js';
import type { PlanStep } from '../plan.js';
import type { StepRegistry } from '../registry.js';
import type { LoadedScript } from '../script/load.js';
import { scriptFileName } from '../script/load.js';

/** Everything printed on the paper script. */
export interface PaperScript {
  title: string;
  facts: [string, string][];
  scriptSha256: string;
  /** The first eight PGP words of the script digest, to compare paper with screen. */
  scriptWords: string[];
  participants: { id: string; name: string; role: string; identity: string }[];
  quorum: string;
  hsms: { id: string; site: string; device: string; serial: string }[];
  keys: { label: string; hsm: string; algorithm: string; role: string }[];
  steps: PlanStep[];
  /** One line per signer of the final seal, then the others who take part. */
  finalSigners: { name: string; role: string }[];
}

function identity(p: LoadedScript['script']['participants'][number]): string {
  if (p.publicKey !== undefined) return `key ${p.publicKey.slice(0, 16)}...`;
  if (p.token !== undefined)
    return `token ${p.token.tokenLabel ?? p.token.tokenSerial ?? p.token.dir ?? ''}`.trim();
  return 'key file';
}

/** The paper script of a validated script. */
export function paperScript(loaded: LoadedScript, registry: StepRegistry): PaperScript {
  const s = loaded.script;
  const c = s.ceremony;
  const validity =
    c.validity.days !== undefined
      ? `${c.validity.days} days from the ceremony`
      : `${c.validity.notBefore} to ${c.validity.notAfter}`;
  const seal = s.steps.find((x) => x.kind === 'seal');
  const sealRoles = new Set((seal?.signoffs ?? []).map((r) => r.role));
  return {
    title: c.name,
    facts: [
      ['Ceremony id', c.id],
      ['Kind', c.kind + (c.kind === 'rehearsal' ? ' (emulated devices allowed; not for production)' : '')],
      ['Namespace', c.namespace],
      ['Epoch', String(c.epoch)],
      ['Fleet', c.fleetId],
      ['Validity', validity],
      ['Witness', s.witness.url],
      ['Script file', scriptFileName(loaded)],
      ...(s.previous === undefined ? [] : ([['Previous epoch', s.previous.evidence]] as [string, string][])),
    ],
    scriptSha256: loaded.sha256,
    scriptWords: pgpWords(hexDecode(loaded.sha256)).slice(0, 8),
    participants: s.participants.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      identity: identity(p),
    })),
    quorum: `${s.quorum.threshold} of ${s.quorum.of} crypto officers`,
    hsms: s.hsms.map((h) => ({
      id: h.id,
      site: h.site,
      device: h.backend === 'emulated' ? 'emulated' : `pkcs11 ${h.tokenLabel ?? h.tokenSerial ?? ''}`.trim(),
      serial: h.expectedSerial,
    })),
    keys: s.keys.map((k) => ({ label: k.label, hsm: k.hsm, algorithm: k.algorithm, role: k.role })),
    steps: ceremonyPlan(s, registry),
    finalSigners: s.participants
      .filter((p) => sealRoles.size === 0 || sealRoles.has(p.role))
      .map((p) => ({ name: p.name, role: p.role })),
  };
}
