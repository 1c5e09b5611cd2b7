/**
 * What changed between two fleet key sets (typically consecutive epochs of a namespace), for
 * auditors: changed top-level fields, and keys and HSMs added, removed or changed. Keys are matched
 * by key id, HSMs by HSM id; values are shown in their JSON rendering (hex, ISO times).
 *
 * Portable: no `node:` imports.
 */
import { fleetKeySetToJson } from './fleet-key-set-json.js';
import type { FleetHsmJson, FleetKeyJson } from './fleet-key-set-json.js';
import type { FleetKeySet } from './types.js';

/** One field that differs: its dotted path (within the set, key or HSM) and both values. */
export interface FieldChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

/** Added, removed and changed members of a list matched by id. */
export interface ListDiff<T> {
  /** In `b` only, sorted by id. */
  added: T[];
  /** In `a` only, sorted by id. */
  removed: T[];
  /** In both, with different fields. */
  changed: { id: string; changes: FieldChange[] }[];
  /** Ids in both with every field equal. */
  unchanged: string[];
}

/** The result of {@link diffFleetKeySets}. */
export interface FleetKeySetDiff {
  /** True when nothing differs. */
  identical: boolean;
  /** Top-level fields that differ (`epoch`, `validity.notAfter`, `quorum.threshold`, ...). */
  changes: FieldChange[];
  keys: ListDiff<FleetKeyJson>;
  hsms: ListDiff<FleetHsmJson>;
}

type Flat = Record<string, string | number | null>;

function changesOf(a: Flat, b: Flat, prefix = ''): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of Object.keys(a)) {
    if (a[k] !== b[k]) out.push({ field: prefix + k, from: a[k] ?? null, to: b[k] ?? null });
  }
  return out;
}

function listDiff<T extends object>(a: T[], b: T[], idOf: (x: T) => string): ListDiff<T> {
  const inA = new Map(a.map((x) => [idOf(x), x]));
  const inB = new Map(b.map((x) => [idOf(x), x]));
  const out: ListDiff<T> = { added: [], removed: [], changed: [], unchanged: [] };
  for (const [id, x] of inA) {
    const y = inB.get(id);
    if (y === undefined) {
      out.removed.push(x);
      continue;
    }
    const changes = changesOf(x as unknown as Flat, y as unknown as Flat);
    if (changes.length === 0) out.unchanged.push(id);
    else out.changed.push({ id, changes });
  }
  for (const [id, y] of inB) if (!inA.has(id)) out.added.push(y);
  return out;
}

/**
 * Compares two fleet key sets field by field.
 *
 * @param a - the earlier set (e.g. epoch n).
 * @param b - the later set (e.g. epoch n + 1).
 * @returns what differs; `identical` when nothing does.
 * @throws UsageError `FIELD_RANGE` as `fleetKeySetToJson` (never for decoded sets).
 * @example diffFleetKeySets(decodeFleetKeySet(prev), decodeFleetKeySet(next)).keys.added
 */
export function diffFleetKeySets(a: FleetKeySet, b: FleetKeySet): FleetKeySetDiff {
  const ja = fleetKeySetToJson(a);
  const jb = fleetKeySetToJson(b);
  const top = (j: typeof ja): Flat => ({
    version: j.version,
    namespace: j.namespace,
    epoch: j.epoch,
    fleetId: j.fleetId,
    previousDigest: j.previousDigest,
    'validity.notBefore': j.validity.notBefore,
    'validity.notAfter': j.validity.notAfter,
    'quorum.threshold': j.quorum.threshold,
    'quorum.total': j.quorum.total,
    transcriptDigest: j.transcriptDigest,
  });
  const changes = changesOf(top(ja), top(jb));
  const keys = listDiff(ja.keys, jb.keys, (k) => k.keyId);
  const hsms = listDiff(ja.hsms, jb.hsms, (h) => h.id);
  const identical =
    changes.length === 0 &&
    [keys, hsms].every((d) => d.added.length + d.removed.length + d.changed.length === 0);
  return { identical, changes, keys, hsms };
}
