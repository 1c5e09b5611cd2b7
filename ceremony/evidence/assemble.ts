/**
 * The content files of a package, from the writer's inputs: the bundle and the copies of its parts
 * (`openssl`-readable signature files, the checkpoint, the C2SP inclusion proof), the fleet key
 * set and its JSON rendering, the transcript, and each key's attestation and each HSM's identity
 * chain under `attestations/` (paths from ceremony/verify/layout.ts). Renderings, the manifest and
 * SHA256SUMS come later (./write.ts).
 */
import { decodeFleetKeySet, decodeValidationBundle, validationBundleTlogProof } from '../bundle/index.js';
import { equalBytes, hexEncode, pemEncode, utf8Decode, utf8Encode } from '../codec/index.js';
import { UsageError } from '../errors.js';
import {
  attestationPaths,
  countersignatureFile,
  deviceChainPath,
  EVIDENCE_FILES,
  renderFleetKeySetJson,
} from '../verify/index.js';
import type { EvidenceInputs } from './inputs.js';

/** The content of a package before its renderings and manifest. */
export interface AssembledContent {
  files: Map<string, Uint8Array>;
  /** Attestation format by key id. */
  formats: Map<string, string>;
  /** Hex of the nonce. */
  nonce: string;
  /** Time of the transcript's last record (ms). */
  lastRecordTime: number;
}

function usage(code: string, field: string, reason: string): never {
  throw new UsageError(code, `${field}: ${reason}`, { field });
}

/** PEM CERTIFICATE blocks of a chain (an empty chain is an empty file). */
export function chainPem(chain: readonly Uint8Array[]): Uint8Array {
  return utf8Encode(chain.map((c) => pemEncode('CERTIFICATE', c)).join(''));
}

function lastRecordTime(transcript: Uint8Array): number {
  const text = utf8Decode(transcript, 'transcript');
  const lines = text.split('\n').filter((l) => l !== '');
  const m = /"time":"([^"]+)"/.exec(lines[lines.length - 1] ?? '');
  const t = m === null ? NaN : Date.parse(m[1]!);
  if (!Number.isSafeInteger(t))
    usage('EVIDENCE_INPUT_INVALID', 'transcript', 'its last record has no time: is it a sealed transcript?');
  return t;
}

/**
 * Lays out the content files.
 *
 * @throws UsageError `EVIDENCE_INPUT_INVALID` (a field of the wrong type or size, an attestation
 *   missing, repeated or for no key), `EVIDENCE_INPUT_MISMATCH` (a fleet key set, tlog-proof or
 *   checkpoint given that is not the bundle's); MalformedError from decoding the bundle.
 */
export function assembleContent(i: EvidenceInputs): AssembledContent {
  if (!(i.bundle instanceof Uint8Array))
    usage('EVIDENCE_INPUT_INVALID', 'bundle', 'want the encoded validation bundle');
  if (!(i.nonce instanceof Uint8Array) || i.nonce.length !== 32)
    usage('EVIDENCE_INPUT_INVALID', 'nonce', 'want the 32-byte ceremony nonce');
  const bundle = decodeValidationBundle(i.bundle);
  const ks = decodeFleetKeySet(bundle.fleetKeySet);
  if (i.fleetKeySet !== undefined && !equalBytes(i.fleetKeySet, bundle.fleetKeySet))
    usage('EVIDENCE_INPUT_MISMATCH', 'fleetKeySet', 'is not the fleet key set carried in the bundle');
  const tlogProof = validationBundleTlogProof(bundle);
  if (i.tlogProof !== undefined && i.tlogProof !== tlogProof)
    usage('EVIDENCE_INPUT_MISMATCH', 'tlogProof', "is not the bundle's inclusion proof");
  if (i.checkpoint !== undefined && i.checkpoint !== bundle.proof.checkpoint)
    usage('EVIDENCE_INPUT_MISMATCH', 'checkpoint', "is not the bundle's checkpoint");
  const transcript = typeof i.transcript === 'string' ? utf8Encode(i.transcript) : i.transcript;
  const files = new Map<string, Uint8Array>([
    [EVIDENCE_FILES.bundle, i.bundle],
    [EVIDENCE_FILES.fleetKeySet, bundle.fleetKeySet],
    [EVIDENCE_FILES.fleetKeySetJson, utf8Encode(renderFleetKeySetJson(ks))],
    [EVIDENCE_FILES.transcript, transcript],
    [EVIDENCE_FILES.statement, bundle.statement],
    [EVIDENCE_FILES.statementSignature, bundle.witnessSignature],
    [EVIDENCE_FILES.countersignature, countersignatureFile(i.signer.algorithm, bundle.countersignature)],
    [EVIDENCE_FILES.checkpoint, utf8Encode(bundle.proof.checkpoint)],
    [EVIDENCE_FILES.tlogProof, utf8Encode(tlogProof)],
  ]);
  const formats = new Map<string, string>();
  const keys = new Map(ks.keys.map((k) => [k.keyId, k]));
  i.attestations.forEach((a, n) => {
    const k = keys.get(a.keyId);
    if (k === undefined)
      usage(
        'EVIDENCE_INPUT_INVALID',
        `attestations[${n}].keyId`,
        `no key ${JSON.stringify(a.keyId)} in the fleet key set`,
      );
    if (formats.has(a.keyId))
      usage('EVIDENCE_INPUT_INVALID', `attestations[${n}].keyId`, `a second attestation for key ${a.keyId}`);
    const p = attestationPaths(k.hsmId, k.keyId);
    files.set(p.statement, a.attestation.statement);
    files.set(p.chain, chainPem(a.attestation.chain));
    formats.set(a.keyId, a.attestation.format);
  });
  for (const k of ks.keys)
    if (!formats.has(k.keyId))
      usage('EVIDENCE_INPUT_INVALID', 'attestations', `no attestation for key ${k.keyId}`);
  const chains =
    i.deviceChains instanceof Map ? i.deviceChains : new Map(Object.entries(i.deviceChains ?? {}));
  for (const [hsmId, chain] of chains) {
    if (!ks.hsms.some((h) => h.id === hsmId))
      usage('EVIDENCE_INPUT_INVALID', `deviceChains.${hsmId}`, 'no such HSM in the fleet key set');
    if (chain.length > 0) files.set(deviceChainPath(hsmId), chainPem(chain));
  }
  return { files, formats, nonce: hexEncode(i.nonce), lastRecordTime: lastRecordTime(transcript) };
}
