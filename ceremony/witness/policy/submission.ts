/**
 * The submission an operator sends to `POST /namespaces/{ns}/sign` (docs/witness.md,
 * "Submission"): deterministic CBOR (`application/cbor`), a map with text keys
 *
 *     { "version": 1, "epoch": uint, "digest": bstr .size 32, "fleetKeySet": bstr,
 *       "attestations": [ { "keyId": tstr, "format": tstr, "statement": bstr, "chain": [bstr] } ] }
 *
 * The namespace comes from the path. The witness decodes strictly (unknown fields, trailing bytes
 * and non-canonical encodings are refused) and refuses with 400 and the field that is wrong.
 */
import {
  decodeCbor,
  encodeCbor,
  expectArray,
  expectFields,
  expectMap,
  getArray,
  getBytes,
  getText,
  getUint,
  getUint64,
} from '../../codec/index.js';
import type { CborValue } from '../../codec/index.js';
import { MalformedError } from '../../errors.js';
import type { KeyAttestation } from '../../attest/index.js';
import { refuse, WitnessError } from '../codes.js';

/** Version of the submission encoding. */
export const SUBMISSION_VERSION = 1;
/** Most attestations one submission may carry. */
export const MAX_SUBMITTED_ATTESTATIONS = 4096;
/** Largest epoch accepted (SQLite stores a signed 64-bit integer). */
export const MAX_EPOCH = (1n << 63n) - 1n;

/** A key's attestation, as submitted: which fleet key it is for, and the evidence. */
export interface SubmittedAttestation extends KeyAttestation {
  keyId: string;
}

/** A decoded submission. */
export interface Submission {
  epoch: bigint;
  digest: Uint8Array;
  fleetKeySet: Uint8Array;
  attestations: SubmittedAttestation[];
}

function attestation(v: CborValue, path: string): SubmittedAttestation {
  const m = expectMap(v, path);
  expectFields(m, path, { required: ['keyId', 'format', 'statement', 'chain'] });
  return {
    keyId: getText(m, 'keyId', path, { minLength: 1, maxLength: 64 }),
    format: getText(m, 'format', path, { minLength: 1, maxLength: 128 }),
    statement: getBytes(m, 'statement', path, { minLength: 1, maxLength: 1 << 20 }),
    chain: getArray(m, 'chain', path, { maxLength: 16 }).map((c, i) => certificate(c, `${path}.chain[${i}]`)),
  };
}

function certificate(v: CborValue, path: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length === 0 || v.length > 1 << 16) {
    throw new MalformedError('FIELD_TYPE', `${path}: want a certificate (1 to 65536 bytes)`, { field: path });
  }
  return v;
}

/**
 * Decodes a submission body.
 * @throws WitnessError `SUBMISSION_MALFORMED` (with the CBOR or field error's code in the
 *   message), `DIGEST_INVALID` (not 32 bytes).
 */
export function decodeSubmission(body: Uint8Array, maxBytes: number): Submission {
  try {
    const m = expectMap(decodeCbor(body, { maxBytes, maxDepth: 6, field: 'submission' }), 'submission');
    expectFields(m, 'submission', {
      required: ['version', 'epoch', 'digest', 'fleetKeySet', 'attestations'],
    });
    getUint(m, 'version', 'submission', { min: SUBMISSION_VERSION, max: SUBMISSION_VERSION });
    const epoch = getUint64(m, 'epoch', 'submission', { min: 1n, max: MAX_EPOCH });
    const digest = getBytes(m, 'digest', 'submission');
    if (digest.length !== 32)
      refuse('DIGEST_INVALID', 'submission.digest', `got ${digest.length} bytes, want 32 (SHA-256)`);
    const fleetKeySet = getBytes(m, 'fleetKeySet', 'submission', { minLength: 1 });
    const atts = getArray(m, 'attestations', 'submission', { maxLength: MAX_SUBMITTED_ATTESTATIONS });
    return {
      epoch,
      digest,
      fleetKeySet,
      attestations: atts.map((a, i) => attestation(a, `submission.attestations[${i}]`)),
    };
  } catch (e) {
    if (e instanceof MalformedError) {
      throw new WitnessError('SUBMISSION_MALFORMED', `${e.message} [${e.code}]`, {
        field: e.field ?? 'submission',
        cause: e,
      });
    }
    throw e;
  }
}

/** The CBOR of a submission (what `witness sign` sends). */
export function encodeSubmission(s: Submission): Uint8Array {
  return encodeCbor({
    version: SUBMISSION_VERSION,
    epoch: s.epoch,
    digest: s.digest,
    fleetKeySet: s.fleetKeySet,
    attestations: encodeAttestationList(s.attestations),
  });
}

function encodeAttestationList(
  list: readonly SubmittedAttestation[],
): { [k: string]: string | Uint8Array | Uint8Array[] }[] {
  return list.map((a) => ({ keyId: a.keyId, format: a.format, statement: a.statement, chain: a.chain }));
}

/** The attestations alone, as stored with a statement and served at `.../attestations`. */
export function encodeAttestations(list: readonly SubmittedAttestation[]): Uint8Array {
  return encodeCbor(encodeAttestationList(list));
}

/**
 * Decodes {@link encodeAttestations} output.
 * @throws MalformedError `CBOR_*`, `FIELD_*`.
 */
export function decodeAttestations(bytes: Uint8Array): SubmittedAttestation[] {
  const list = expectArray(
    decodeCbor(bytes, { maxBytes: 64 << 20, maxDepth: 4, field: 'attestations' }),
    'attestations',
  );
  return list.map((a, i) => attestation(a, `attestations[${i}]`));
}
