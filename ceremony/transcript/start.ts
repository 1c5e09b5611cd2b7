/**
 * Reading the `ceremony-start` record: the ceremony, its participants and its plan, which the
 * rest of the transcript is checked against.
 *
 * Portable: no `node:` imports.
 */
import { hexDecode } from '../codec/index.js';
import { checkPublicKey } from '../crypto/index.js';
import { isCeremonyError } from '../errors.js';
import { isRole } from './roles.js';
import type { Participant } from './roles.js';
import { ID, arr, badField, hex, int, obj, str } from './fields.js';
import { TRANSCRIPT_FORMAT } from './records.js';
import type { CeremonyStartData, JsonObject, PlanEntry } from './records.js';

/** `ceremony-start` data, checked, with participants' keys decoded. */
export interface CeremonyStart extends CeremonyStartData {
  /** The same participants with raw keys, as sign-off verification takes them. */
  signers: Participant[];
}

/**
 * Checks and reads the data of a `ceremony-start` record.
 * @throws MalformedError `TRANSCRIPT_BAD_FIELD` naming the member.
 */
export function readCeremonyStart(data: JsonObject, at: string): CeremonyStart {
  const d = obj(data, at, ['format', 'ceremony', 'script', 'participants', 'quorum', 'plan', 'tool']);
  if (d['format'] !== TRANSCRIPT_FORMAT) badField(`${at}.format`, `want ${TRANSCRIPT_FORMAT}`);
  const c = obj(d['ceremony'], `${at}.ceremony`, ['id', 'name', 'kind', 'namespace', 'epoch', 'fleetId']);
  const ceremony = {
    id: str(c['id'], `${at}.ceremony.id`, ID),
    name: str(c['name'], `${at}.ceremony.name`),
    kind: str(c['kind'], `${at}.ceremony.kind`),
    namespace: str(c['namespace'], `${at}.ceremony.namespace`),
    epoch: int(c['epoch'], `${at}.ceremony.epoch`),
    fleetId: str(c['fleetId'], `${at}.ceremony.fleetId`),
  };
  const s = obj(d['script'], `${at}.script`, ['file', 'sha256']);
  const script = {
    file: str(s['file'], `${at}.script.file`),
    sha256: hex(s['sha256'], `${at}.script.sha256`, 32),
  };
  const participants = arr(d['participants'], `${at}.participants`, 256).map((v, i) => {
    const p = obj(v, `${at}.participants[${i}]`, ['id', 'name', 'role', 'publicKey']);
    return {
      id: str(p['id'], `${at}.participants[${i}].id`, ID),
      name: str(p['name'], `${at}.participants[${i}].name`),
      role: str(p['role'], `${at}.participants[${i}].role`),
      publicKey: hex(p['publicKey'], `${at}.participants[${i}].publicKey`, 32),
    };
  });
  const signers = participants.map((p, i): Participant => {
    if (!isRole(p.role)) badField(`${at}.participants[${i}].role`, `${JSON.stringify(p.role)} is not a role`);
    const key = hexDecode(p.publicKey);
    try {
      checkPublicKey('ed25519', key, `${at}.participants[${i}].publicKey`);
    } catch (e) {
      badField(`${at}.participants[${i}].publicKey`, isCeremonyError(e) ? e.message : 'not an Ed25519 key');
    }
    return { id: p.id, name: p.name, role: p.role, publicKey: key };
  });
  const ids = new Set(signers.map((p) => p.id));
  if (ids.size !== signers.length) badField(`${at}.participants`, 'a participant id is listed twice');
  const q = obj(d['quorum'], `${at}.quorum`, ['threshold', 'of']);
  const quorum = {
    threshold: int(q['threshold'], `${at}.quorum.threshold`, 1),
    of: int(q['of'], `${at}.quorum.of`, 1),
  };
  const plan = arr(d['plan'], `${at}.plan`, 1000).map((v, i): PlanEntry => {
    const w = `${at}.plan[${i}]`;
    const e = obj(v, w, ['id', 'kind', 'title', 'signoffs']);
    return {
      id: str(e['id'], `${w}.id`, ID),
      kind: str(e['kind'], `${w}.kind`),
      title: str(e['title'], `${w}.title`),
      signoffs: arr(e['signoffs'], `${w}.signoffs`, 8).map((g, j) => {
        const r = obj(g, `${w}.signoffs[${j}]`, ['role', 'count']);
        const role = str(r['role'], `${w}.signoffs[${j}].role`);
        if (!isRole(role)) badField(`${w}.signoffs[${j}].role`, `${JSON.stringify(role)} is not a role`);
        return { role, count: int(r['count'], `${w}.signoffs[${j}].count`, 1, 256) };
      }),
    };
  });
  if (plan.length === 0) badField(`${at}.plan`, 'no steps');
  if (new Set(plan.map((p) => p.id)).size !== plan.length)
    badField(`${at}.plan`, 'a step id is listed twice');
  const t = obj(d['tool'], `${at}.tool`, ['name', 'version']);
  const tool = { name: str(t['name'], `${at}.tool.name`), version: str(t['version'], `${at}.tool.version`) };
  return { format: TRANSCRIPT_FORMAT, ceremony, script, participants, quorum, plan, tool, signers };
}
