/**
 * Typed, strict reading of `manifest.json` members: the trust file's JSON reader (duplicate keys
 * and unknown members refused, every error naming the JSON path) with pattern checks, list
 * readers, and the `anchors` member. Used by ./manifest.ts.
 *
 * Portable: no `node:` imports.
 */
import { JsonReader } from '../bundle/json-reader.js';
import type { Json, JsonObject } from '../bundle/json-reader.js';
import { MAX_EVIDENCE_FILES } from './layout.js';
import { opt } from './manifest-render.js';
import type { ManifestAnchors } from './manifest-types.js';

/** Lowercase hex SHA-256. */
export const HEX32 = /^[0-9a-f]{64}$/;
/** A canonical decimal of a 64-bit number. */
export const DEC = /^(0|[1-9][0-9]{0,19})$/;
/** ISO 8601 UTC with milliseconds, as Date#toISOString writes it. */
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The JSON reader of the manifest, with text patterns and lists. */
export class ManifestReader extends JsonReader {
  /** `v` as a string of at most `max` characters matching `pattern` (`FIELD_PATTERN` otherwise). */
  text(v: Json | undefined, path: string, pattern?: RegExp, max = 4096): string {
    const s = this.string(v, path, max);
    if (pattern !== undefined && !pattern.test(s))
      this.fail('FIELD_PATTERN', path, `got ${JSON.stringify(s.slice(0, 80))}, want ${String(pattern)}`);
    return s;
  }
  /** `v` as an array of objects, each read by `f` with its path. */
  list<T>(
    v: Json | undefined,
    path: string,
    f: (o: JsonObject, p: string) => T,
    max = MAX_EVIDENCE_FILES,
  ): T[] {
    return this.array(v, path, 0, max).map((x, i) => f(x as JsonObject, `${path}[${i}]`));
  }
}

/** The `anchors` member. */
export function readAnchors(r: ManifestReader, v: Json | undefined, p: string): ManifestAnchors {
  const a = r.object(v, p, ['namespaces', 'witnessKeys', 'logKey', 'operatorKeys', 'vendorRoots']);
  return {
    namespaces: r
      .array(a.namespaces, `${p}.namespaces`, 0, 256)
      .map((n, i) => r.text(n, `${p}.namespaces[${i}]`)),
    witnessKeys: r.list(
      a.witnessKeys,
      `${p}.witnessKeys`,
      (o, q) => {
        const k = r.object(o, q, ['publicKey', 'notBefore'], ['notAfter']);
        return {
          publicKey: r.text(k.publicKey, `${q}.publicKey`, HEX32),
          notBefore: r.text(k.notBefore, `${q}.notBefore`, ISO),
          ...opt('notAfter', k.notAfter === undefined ? undefined : r.text(k.notAfter, `${q}.notAfter`, ISO)),
        };
      },
      64,
    ),
    logKey: r.text(a.logKey, `${p}.logKey`),
    operatorKeys: r.list(
      a.operatorKeys,
      `${p}.operatorKeys`,
      (o, q) => {
        const k = r.object(o, q, ['algorithm', 'publicKey'], ['notBefore', 'notAfter']);
        const time = (x: Json | undefined, n: string) =>
          x === undefined ? undefined : r.text(x, `${q}.${n}`, ISO);
        return {
          algorithm: r.text(k.algorithm, `${q}.algorithm`),
          publicKey: r.text(k.publicKey, `${q}.publicKey`, /^[0-9a-f]+$/),
          ...opt('notBefore', time(k.notBefore, 'notBefore')),
          ...opt('notAfter', time(k.notAfter, 'notAfter')),
        };
      },
      64,
    ),
    vendorRoots: r.list(
      a.vendorRoots,
      `${p}.vendorRoots`,
      (o, q) => {
        const k = r.object(o, q, ['name', 'sha256'], ['publicKeys']);
        const digests = (v: Json | undefined, f: string, min: number) =>
          r.array(v, `${q}.${f}`, min, 64).map((h, i) => r.text(h, `${q}.${f}[${i}]`, HEX32));
        return {
          name: r.text(k.name, `${q}.name`),
          sha256: digests(k.sha256, 'sha256', 0),
          // Present only when there are bare root keys: an empty list is another spelling of none.
          ...opt(
            'publicKeys',
            k.publicKeys === undefined ? undefined : digests(k.publicKeys, 'publicKeys', 1),
          ),
        };
      },
      64,
    ),
  };
}
