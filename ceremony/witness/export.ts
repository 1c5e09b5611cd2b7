/**
 * `witness export-tiles DIR`: the witness as static files any web server or CDN can serve
 * (docs/witness.md, "Static export"): the audit log's C2SP tlog-tiles (`checkpoint`, `tile/...`,
 * written by the log) and the read API's documents at the same paths as over HTTP. A document
 * whose path is also a directory (`namespaces/<ns>` holds `audits/`) is written as
 * `<path>/index.json`; namespaces are one percent-encoded path segment, as in URLs.
 *
 * Order makes a partial export harmless: first each signed epoch's files (created once, never
 * changed: a different existing file is a conflict), then the log (tiles, then its checkpoint),
 * last the indexes (`info`, `namespaces`, each namespace and its epoch list, replaced
 * atomically). A reader never finds an epoch listed whose statement is not in the checkpoint.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hexEncode, utf8Encode } from '../codec/index.js';
import type { WitnessContext } from './context.js';
import type { ExportTilesResult } from './log/index.js';
import { fsyncDir, writeFileAtomic, writeFileOnce } from '../io/index.js';
import { EXPORT_CONFLICT, EXPORT_FILE_MODE, EXPORT_WRITES } from './log/export-tiles.js';
import { decodeStoredCountersignature } from './policy/countersignature.js';
import { auditJson, infoJson, namespaceJson } from './server/views.js';

/** What {@link exportWitness} wrote. */
export interface ExportWitnessResult {
  tiles: ExportTilesResult;
  /** Epoch files written (not counting those already there). */
  written: number;
  /** Index documents replaced. */
  indexes: number;
}

const json = (v: unknown) => utf8Encode(JSON.stringify(v));

/**
 * Exports the witness to `dir`.
 * @throws UsageError `LOG_EXPORT_CONFLICT` if a file differs from what the witness holds.
 */
export async function exportWitness(ctx: WitnessContext, dir: string): Promise<ExportWitnessResult> {
  const config = ctx.config();
  const dirs = new Set<string>();
  let written = 0;
  const once = (rel: string[], data: Uint8Array) => {
    const path = join(dir, ...rel);
    if (writeFileOnce(path, data, EXPORT_FILE_MODE, EXPORT_CONFLICT)) written++;
    for (let i = rel.length - 1; i >= 0; i--) dirs.add(join(dir, ...rel.slice(0, i)));
  };
  for (const ns of config.namespaces) {
    const seg = encodeURIComponent(ns.name);
    for (const epoch of ctx.state.statements.epochs(ns.name)) {
      const r = ctx.state.statements.byEpoch(ns.name, epoch)!;
      const base = ['namespaces', seg, 'audits', String(epoch)];
      once([...base, 'index.json'], json(auditJson(r)));
      once([...base, 'fleet-key-set'], r.fleetKeySet);
      once([...base, 'attestations'], r.attestations);
      if (r.countersignature !== undefined) {
        const c = decodeStoredCountersignature(r.countersignature);
        once(
          [...base, 'countersignature'],
          json({
            algorithm: c.algorithm,
            public_key: hexEncode(c.publicKey),
            key_id: c.keyId,
            signature: hexEncode(c.signature),
          }),
        );
      }
    }
  }
  // Deepest first, so each new name is durable before its parent's.
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncDir(d);
  await ctx.checkpoint();
  const tiles = ctx.log.exportTiles(dir);
  let indexes = 0;
  const replace = (rel: string[], value: unknown) => {
    mkdirSync(join(dir, ...rel.slice(0, -1)), { recursive: true });
    writeFileAtomic(join(dir, ...rel), json(value), EXPORT_FILE_MODE, EXPORT_WRITES);
    indexes++;
  };
  replace(['info'], infoJson(config));
  const list = config.namespaces.map((ns) =>
    namespaceJson(ns, ctx.state.statements.last(ns.name), config.operators),
  );
  replace(['namespaces', 'index.json'], { namespaces: list });
  config.namespaces.forEach((ns, i) => {
    const seg = encodeURIComponent(ns.name);
    replace(['namespaces', seg, 'index.json'], list[i]);
    replace(['namespaces', seg, 'audits', 'index.json'], {
      namespace: ns.name,
      epochs: ctx.state.statements.epochs(ns.name).map(Number),
    });
  });
  return { tiles, written, indexes };
}
