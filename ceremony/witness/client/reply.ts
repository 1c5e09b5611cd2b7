/**
 * Reading the witness's JSON replies as a client: the sign reply / audit record (Plexi's
 * SignatureResponse fields plus `log_index` and, for a sign reply, `tlog_proof`) and `/info`.
 * Strict: every field has its type and encoding checked, and the message names the field.
 */
import { hexDecode } from '../../codec/index.js';
import { UsageError } from '../../errors.js';
import type { DatedKey } from '../keys/select.js';

/** A witness audit record or sign reply, decoded. */
export interface WitnessAudit {
  namespace: string;
  epoch: bigint;
  timestamp: bigint;
  digest: Uint8Array;
  signature: Uint8Array;
  keyId: number;
  /** The statement bytes as signed. */
  statement: Uint8Array;
  logIndex: bigint;
  /** Present in a sign reply. */
  tlogProof?: string;
}

/** `/info`, decoded. */
export interface WitnessInfo {
  keys: (DatedKey & { publicKey: Uint8Array; notBefore: number })[];
  logVerifierKey: string;
  cosignerVerifierKey: string;
}

function invalid(field: string, reason: string): never {
  throw new UsageError('WITNESS_REPLY_INVALID', `${field}: ${reason}`, { field });
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(field, 'want an object');
  return v as Record<string, unknown>;
}

function int(v: unknown, field: string): bigint {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    invalid(field, 'want a non-negative integer');
  return BigInt(v);
}

function hex(v: unknown, field: string, length?: number): Uint8Array {
  if (typeof v !== 'string') invalid(field, 'want lowercase hex');
  try {
    return hexDecode(v, field, length);
  } catch {
    return invalid(field, `want ${length === undefined ? '' : `${length} bytes of `}lowercase hex`);
  }
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') invalid(field, 'want a non-empty string');
  return v;
}

/**
 * Decodes an audit record or sign reply.
 * @throws UsageError `WITNESS_REPLY_INVALID`.
 */
export function parseAuditJson(json: unknown, field = 'reply'): WitnessAudit {
  const o = obj(json, field);
  const keyId = Number(int(o['key_id'], `${field}.key_id`));
  if (keyId > 255) invalid(`${field}.key_id`, 'want 0..255');
  const out: WitnessAudit = {
    namespace: str(o['namespace'], `${field}.namespace`),
    epoch: int(o['epoch'], `${field}.epoch`),
    timestamp: int(o['timestamp'], `${field}.timestamp`),
    digest: hex(o['digest'], `${field}.digest`, 32),
    signature: hex(o['signature'], `${field}.signature`, 64),
    keyId,
    statement: hex(o['serialized_message'], `${field}.serialized_message`),
    logIndex: int(o['log_index'], `${field}.log_index`),
  };
  if (o['tlog_proof'] !== undefined) out.tlogProof = str(o['tlog_proof'], `${field}.tlog_proof`);
  return out;
}

/**
 * Decodes `/info`.
 * @throws UsageError `WITNESS_REPLY_INVALID`.
 */
export function parseInfoJson(json: unknown): WitnessInfo {
  const o = obj(json, 'info');
  if (!Array.isArray(o['keys']) || o['keys'].length === 0) invalid('info.keys', 'want a non-empty array');
  const keys = o['keys'].map((k, i) => {
    const ko = obj(k, `info.keys[${i}]`);
    return {
      publicKey: hex(ko['public_key'], `info.keys[${i}].public_key`, 32),
      notBefore: Number(int(ko['not_before'], `info.keys[${i}].not_before`)),
    };
  });
  const log = obj(o['log'], 'info.log');
  const cos = obj(o['cosigner'], 'info.cosigner');
  return {
    keys,
    logVerifierKey: str(log['verifier_key'], 'info.log.verifier_key'),
    cosignerVerifierKey: str(cos['verifier_key'], 'info.cosigner.verifier_key'),
  };
}
