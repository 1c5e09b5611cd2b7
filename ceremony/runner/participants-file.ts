/**
 * `participants.json`: the participants of a ceremony with their pinned identity keys, as
 * `init` writes it and `transcript verify --participants` reads it:
 *
 *     { "format": "fleet-ceremony/participants/v1",
 *       "participants": [ { "id": "co-1", "name": "…", "role": "crypto-officer", "publicKey": "<64 hex>" } ] }
 *
 * Reading is strict: unknown members, a missing key, a bad role or a repeated id are refused.
 */
import { readFileSync, statSync } from 'node:fs';
import { hexDecode } from '../codec/index.js';
import { checkPublicKey } from '../crypto/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { ROLES, isRole, listOr } from '../transcript/roles.js';
import type { Participant } from '../transcript/roles.js';

/** Version tag of participants.json. */
export const PARTICIPANTS_FORMAT = 'fleet-ceremony/participants/v1';
const MAX_BYTES = 1024 * 1024;

/**
 * Parses participants.json text.
 * @throws MalformedError `PARTICIPANTS_FILE_MALFORMED` naming the member and the reason.
 */
export function parseParticipantsFile(text: string, file = 'participants.json'): Participant[] {
  const bad = (field: string, reason: string): never => {
    throw new MalformedError('PARTICIPANTS_FILE_MALFORMED', `${field}: ${reason}`, { file, field });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return bad('$', `not JSON (${(e as Error).message})`);
  }
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(doc)) return bad('$', 'want an object');
  for (const k of Object.keys(doc)) if (k !== 'format' && k !== 'participants') bad(k, 'unknown member');
  if (doc['format'] !== PARTICIPANTS_FORMAT) bad('format', `want ${PARTICIPANTS_FORMAT}`);
  const list = doc['participants'];
  if (!Array.isArray(list) || list.length === 0 || list.length > 256)
    return bad('participants', 'want a list of 1 to 256 participants');
  const seen = new Set<string>();
  return list.map((p: unknown, i): Participant => {
    const at = `participants[${i}]`;
    if (!isObj(p)) return bad(at, 'want an object');
    for (const k of Object.keys(p))
      if (!['id', 'name', 'role', 'publicKey'].includes(k)) bad(`${at}.${k}`, 'unknown member');
    const { id, name, role, publicKey } = p;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) bad(`${at}.id`, 'want an id');
    if (seen.has(id as string)) bad(`${at}.id`, `${String(id)} is listed twice`);
    seen.add(id as string);
    if (name !== undefined && typeof name !== 'string') bad(`${at}.name`, 'want a string');
    if (!isRole(role)) return bad(`${at}.role`, `can only be ${listOr([...ROLES])}`);
    if (typeof publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(publicKey))
      return bad(`${at}.publicKey`, 'want 64 lowercase hex digits (pin every key)');
    const key = hexDecode(publicKey);
    try {
      checkPublicKey('ed25519', key);
    } catch {
      bad(`${at}.publicKey`, 'not a valid Ed25519 public key');
    }
    return { id: id as string, role, publicKey: key, ...(typeof name === 'string' ? { name } : {}) };
  });
}

/**
 * Reads participants.json.
 * @throws UsageError `PARTICIPANTS_FILE_NOT_FOUND`; MalformedError as {@link parseParticipantsFile}.
 */
export function readParticipantsFile(path: string): Participant[] {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile())
    throw new UsageError('PARTICIPANTS_FILE_NOT_FOUND', 'no such file', { file: path });
  if (st.size > MAX_BYTES)
    throw new MalformedError('PARTICIPANTS_FILE_MALFORMED', `larger than ${MAX_BYTES} bytes`, { file: path });
  return parseParticipantsFile(readFileSync(path, 'utf8'), path);
}
