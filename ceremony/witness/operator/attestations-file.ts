/**
 * The attestations file `witness sign --attestations FILE` reads: JSON, one object per fleet key,
 *
 *     [ { "keyId": "session-1", "format": "emulated-x509/v1",
 *         "statement": "<base64>", "chain": ["<base64 DER>", ...] }, ... ]
 *
 * (the `KeyAttestation` an `Hsm` returns for the key, plus the key's id in the fleet key set).
 */
import { base64Decode, base64Encode } from '../../codec/index.js';
import { UsageError } from '../../errors.js';
import type { SubmittedAttestation } from '../policy/submission.js';

function invalid(file: string | undefined, field: string, reason: string): never {
  throw new UsageError('WITNESS_CONFIG_INVALID', `${field}: ${reason}`, {
    field,
    ...(file === undefined ? {} : { file }),
  });
}

/**
 * Parses an attestations file.
 * @throws UsageError `WITNESS_CONFIG_INVALID` naming the bad field.
 */
export function parseAttestationsJson(text: string, file?: string): SubmittedAttestation[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    invalid(file, 'attestations', `not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(json)) invalid(file, 'attestations', 'want an array');
  return json.map((a: unknown, i) => {
    const f = `attestations[${i}]`;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) invalid(file, f, 'want an object');
    const o = a as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!['keyId', 'format', 'statement', 'chain'].includes(k)) invalid(file, `${f}.${k}`, 'unknown field');
    const text = (k: string) =>
      typeof o[k] === 'string' && o[k] !== ''
        ? (o[k] as string)
        : invalid(file, `${f}.${k}`, 'want a non-empty string');
    const b64 = (v: unknown, field: string) => {
      try {
        return base64Decode(String(v), field);
      } catch {
        return invalid(file, field, 'want canonical base64');
      }
    };
    if (!Array.isArray(o['chain'])) invalid(file, `${f}.chain`, 'want an array of base64 certificates');
    return {
      keyId: text('keyId'),
      format: text('format'),
      statement: b64(text('statement'), `${f}.statement`),
      chain: (o['chain'] as unknown[]).map((c, j) => b64(c, `${f}.chain[${j}]`)),
    };
  });
}

/** The JSON text of an attestations file (inverse of {@link parseAttestationsJson}). */
export function formatAttestationsJson(list: readonly SubmittedAttestation[]): string {
  const json = list.map((a) => ({
    keyId: a.keyId,
    format: a.format,
    statement: base64Encode(a.statement),
    chain: a.chain.map((c) => base64Encode(c)),
  }));
  return JSON.stringify(json, null, 2) + '\n';
}
