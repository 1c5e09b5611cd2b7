/**
 * `audit-namespace` (as Meta's `mbt eb-verify-namespace`): every signed epoch of a namespace,
 * fetched from a witness (HTTP or a static export) and checked against the pinned anchors of a
 * trust file: the artifact's digest, the witness signature, the operator counter-signature and log
 * inclusion in a checkpoint signed by the pinned log key (and cosigned, if the trust file asks);
 * then the fleet keys are diffed epoch by epoch. The whole log is read once, so a statement for
 * this namespace that the witness logged but does not list (a hidden, targeted fleet) is found
 * too. Problems are collected, never thrown; a checkpoint or tiles that do not verify throw.
 */
import { decodeWitnessLogEntry, diffFleetKeySets, witnessLogLeaf } from '../../bundle/index.js';
import type { FleetKeySet, Trust } from '../../bundle/index.js';
import { equalBytes, utf8Decode } from '../../codec/index.js';
import { decodeSignatureMessage } from '../../statement/index.js';
import { openCheckpoint, requireCosignatures } from '../../tlog/index.js';
import { parseAuditJson } from '../client/reply.js';
import type { WitnessAudit } from '../client/reply.js';
import { LogClient } from '../log/index.js';
import { checkEpoch } from './epoch-checks.js';
import type { WitnessSource } from './source.js';
import type { AuditProblem, EpochAudit, NamespaceAudit } from './types.js';

const MAX_JSON = 1 << 20;
const MAX_ARTIFACT = 16 << 20;

async function readJson(source: WitnessSource, path: string): Promise<unknown> {
  const bytes = await source.read(path, MAX_JSON);
  return bytes === undefined ? undefined : (JSON.parse(utf8Decode(bytes)) as unknown);
}

/** Log entries that are statements of `ns`, by log index. */
async function namespaceEntries(
  client: LogClient,
  cp: Awaited<ReturnType<LogClient['fetchCheckpoint']>>,
  ns: string,
): Promise<Map<bigint, Uint8Array>> {
  const out = new Map<bigint, Uint8Array>();
  for (let i = 0n; i < cp.size; i++) {
    const entry = await client.entry(i, cp);
    try {
      if (decodeSignatureMessage(decodeWitnessLogEntry(entry).statement).namespace === ns) out.set(i, entry);
    } catch {
      // Not a statement entry of this format: not this namespace's concern.
    }
  }
  return out;
}

/**
 * Audits namespace `ns` of the witness at `source` against `trust`.
 * @throws VerificationError when the log's checkpoint or tiles do not verify (`CHECKPOINT_*`,
 *   `LOG_TILES_INVALID`, `COSIGNATURE_QUORUM_NOT_MET`); UsageError when the log cannot be read.
 */
export async function auditNamespace(
  source: WitnessSource,
  trust: Trust,
  ns: string,
): Promise<NamespaceAudit> {
  const problems: AuditProblem[] = [];
  const client = new LogClient(source.log, trust.log.verifier);
  const cp = await client.fetchCheckpoint();
  if (trust.cosigners.quorum > 0) {
    const opened = openCheckpoint(cp.note, [trust.log.verifier, ...trust.cosigners.verifiers], {
      origin: trust.log.origin,
    });
    requireCosignatures(
      opened,
      trust.cosigners.verifiers.map((v) => v.name),
      trust.cosigners.quorum,
    );
  }
  if (!trust.namespaces.includes(ns))
    problems.push({
      code: 'AUDIT_NAMESPACE_NOT_TRUSTED',
      message: `the trust file does not list namespace ${ns}`,
    });
  const base = `namespaces/${encodeURIComponent(ns)}/audits`;
  const index = (await readJson(source, base)) as { epochs?: unknown } | undefined;
  const epochs = Array.isArray(index?.epochs)
    ? index.epochs.filter((e): e is number => Number.isSafeInteger(e)).map(BigInt)
    : undefined;
  if (epochs === undefined)
    problems.push({
      code: 'AUDIT_EPOCHS_MISSING',
      message: `${source.location}: no epoch list for namespace ${ns}`,
    });
  const entries = await namespaceEntries(client, cp, ns);
  const listed = new Set<bigint>();
  const out: EpochAudit[] = [];
  let prev: { epoch: bigint; digest: Uint8Array; ks?: FleetKeySet } | undefined;
  for (const epoch of epochs ?? []) {
    if (prev !== undefined && epoch !== prev.epoch + 1n) {
      problems.push({
        code: 'AUDIT_EPOCH_GAP',
        epoch,
        message: `epoch ${epoch} follows epoch ${prev.epoch}`,
      });
    }
    let record: WitnessAudit;
    try {
      const json = await readJson(source, `${base}/${epoch}`);
      if (json === undefined) {
        problems.push({
          code: 'AUDIT_RECORD_MISSING',
          epoch,
          message: 'the epoch is listed but its record is not published',
        });
        continue;
      }
      record = parseAuditJson(json, `audits/${epoch}`);
    } catch (e) {
      problems.push({ code: 'AUDIT_RECORD_INVALID', epoch, message: (e as Error).message });
      continue;
    }
    const docs = {
      record,
      fleetKeySet: await source.read(`${base}/${epoch}/fleet-key-set`, MAX_ARTIFACT),
      attestations: await source.read(`${base}/${epoch}/attestations`, MAX_ARTIFACT),
      countersignature: await source.read(`${base}/${epoch}/countersignature`, MAX_JSON),
    };
    const f = checkEpoch(ns, epoch, docs, trust, problems);
    // Log inclusion: the entry at the record's index is this very statement.
    listed.add(record.logIndex);
    let inclusion: 'ok' | 'failed' = 'failed';
    const entry = entries.get(record.logIndex);
    if (record.logIndex >= cp.size) {
      problems.push({
        code: 'AUDIT_NOT_IN_LOG',
        epoch,
        message: `log index ${record.logIndex} is beyond the checkpoint size ${cp.size}`,
      });
    } else if (
      entry === undefined ||
      !equalBytes(
        entry,
        witnessLogLeaf({ statement: record.statement, signature: record.signature, keyId: record.keyId }),
      )
    ) {
      problems.push({
        code: 'AUDIT_LOG_ENTRY_MISMATCH',
        epoch,
        message: `the log entry at index ${record.logIndex} is not this statement`,
      });
    } else {
      inclusion = 'ok';
    }
    // Chain: the previous digest is the previous epoch's.
    let chain: 'ok' | 'failed' | 'missing' = 'missing';
    if (f.ks !== undefined) {
      const want = prev === undefined ? f.ks.previousDigest : prev.digest;
      const ok =
        prev === undefined
          ? true
          : f.ks.previousDigest !== null && want !== null && equalBytes(f.ks.previousDigest, want);
      chain = ok ? 'ok' : 'failed';
      if (!ok)
        problems.push({
          code: 'AUDIT_CHAIN_BROKEN',
          epoch,
          message: `its previous digest is not the digest of epoch ${prev!.epoch}`,
        });
    }
    out.push({
      epoch,
      timestamp: record.timestamp,
      digest: record.digest,
      keyId: record.keyId,
      logIndex: record.logIndex,
      checks: {
        artifact: f.artifact,
        chain,
        witnessSignature: f.witnessSignature,
        countersignature: f.countersignature,
        inclusion,
      },
      ...(f.ks === undefined
        ? {}
        : {
            fleet: {
              fleetId: f.ks.fleetId,
              keys: f.ks.keys.length,
              hsms: f.ks.hsms.length,
              notBefore: f.ks.validity.notBefore,
              notAfter: f.ks.validity.notAfter,
            },
          }),
      ...(f.ks !== undefined && prev?.ks !== undefined ? { diff: diffFleetKeySets(prev.ks, f.ks) } : {}),
    });
    prev = { epoch, digest: record.digest, ...(f.ks === undefined ? {} : { ks: f.ks }) };
  }
  for (const i of entries.keys()) {
    if (!listed.has(i)) {
      problems.push({
        code: 'AUDIT_UNLISTED_STATEMENT',
        message: `log entry ${i} is a statement for namespace ${ns} that the witness does not list among its epochs`,
      });
    }
  }
  return {
    namespace: ns,
    ok: problems.length === 0,
    checkpoint: { origin: cp.origin, size: cp.size, rootHash: cp.rootHash },
    epochs: out,
    problems,
  };
}
