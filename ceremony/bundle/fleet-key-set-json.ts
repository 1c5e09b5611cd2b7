/**
 * The JSON rendering of a fleet key set, for people, reviews and diffs (never what is signed):
 * bytes as lowercase hex, times as ISO 8601 UTC, the epoch as a decimal string (it may exceed
 * 2^53), HSMs and keys sorted by id, object keys in a fixed order. docs/formats.md shows an example.
 *
 * Portable: no `node:` imports.
 */
import { hexEncode } from '../codec/index.js';
import { usage } from './fields.js';
import type { FleetHsm, FleetKey, FleetKeySet } from './types.js';

/** A fleet key as JSON. */
export interface FleetKeyJson {
  keyId: string;
  role: string;
  algorithm: string;
  /** Lowercase hex. */
  publicKey: string;
  hsmId: string;
  /** Lowercase hex. */
  attestationDigest: string;
}

/** An HSM of the fleet as JSON (all fields are text already). */
export type FleetHsmJson = { [K in keyof FleetHsm]: string };

/** A fleet key set as JSON. */
export interface FleetKeySetJson {
  version: number;
  namespace: string;
  /** Decimal. */
  epoch: string;
  fleetId: string;
  /** Lowercase hex, or null at the start of a chain. */
  previousDigest: string | null;
  /** ISO 8601 UTC, e.g. `2025-06-01T00:00:00.000Z`. */
  validity: { notBefore: string; notAfter: string };
  keys: FleetKeyJson[];
  hsms: FleetHsmJson[];
  quorum: { threshold: number; total: number };
  /** Lowercase hex. */
  transcriptDigest: string;
}

/**
 * A time in milliseconds since the Unix epoch as ISO 8601 UTC with milliseconds.
 *
 * @throws UsageError `FIELD_RANGE` for a time JavaScript's Date cannot represent.
 */
export function isoTime(ms: number, path = 'time'): string {
  const d = new Date(ms);
  if (!Number.isSafeInteger(ms) || Number.isNaN(d.getTime()))
    usage('FIELD_RANGE', path, `got ${ms}, not a valid time`);
  return d.toISOString();
}

/** A fleet key as JSON. */
export function fleetKeyToJson(k: FleetKey): FleetKeyJson {
  return {
    keyId: k.keyId,
    role: k.role,
    algorithm: k.algorithm,
    publicKey: hexEncode(k.publicKey),
    hsmId: k.hsmId,
    attestationDigest: hexEncode(k.attestationDigest),
  };
}

/** An HSM as JSON, fields in a fixed order. */
export function fleetHsmToJson(h: FleetHsm): FleetHsmJson {
  return {
    id: h.id,
    site: h.site,
    vendor: h.vendor,
    model: h.model,
    serial: h.serial,
    firmware: h.firmware,
    attestationLevel: h.attestationLevel,
  };
}

const byText =
  <T>(f: (x: T) => string) =>
  (a: T, b: T) =>
    f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0;

/**
 * Renders a fleet key set as stable, readable JSON (a plain object; pass it to `JSON.stringify`).
 * Two equal sets render identically whatever the order of their keys and HSMs.
 *
 * @param ks - a set, typically from `decodeFleetKeySet`.
 * @throws UsageError `FIELD_RANGE` for a validity time Date cannot represent (never for a
 *   decoded set).
 * @example JSON.stringify(fleetKeySetToJson(decodeFleetKeySet(bytes)), null, 2)
 */
export function fleetKeySetToJson(ks: FleetKeySet): FleetKeySetJson {
  return {
    version: ks.version,
    namespace: ks.namespace,
    epoch: ks.epoch.toString(),
    fleetId: ks.fleetId,
    previousDigest: ks.previousDigest === null ? null : hexEncode(ks.previousDigest),
    validity: {
      notBefore: isoTime(ks.validity.notBefore, 'fleetKeySet.validity.notBefore'),
      notAfter: isoTime(ks.validity.notAfter, 'fleetKeySet.validity.notAfter'),
    },
    keys: ks.keys.map(fleetKeyToJson).sort(byText((k) => k.keyId)),
    hsms: ks.hsms.map(fleetHsmToJson).sort(byText((h) => h.id)),
    quorum: { threshold: ks.quorum.threshold, total: ks.quorum.total },
    transcriptDigest: hexEncode(ks.transcriptDigest),
  };
}
