/**
 * A readable rendering of a validation bundle, for `fleet-ceremony bundle inspect` and for people:
 * every part decoded and shown as JSON (hex bytes, ISO times, decimal big numbers). Nothing is
 * verified; the rendering says so.
 *
 * Portable: no `node:` imports.
 */
import { hexEncode } from '../codec/index.js';
import { parseNote } from '../tlog/index.js';
import { fleetKeySetDigest } from './fleet-key-set.js';
import { fleetKeySetToJson, isoTime } from './fleet-key-set-json.js';
import type { FleetKeySetJson } from './fleet-key-set-json.js';
import { parseValidationBundle } from './validation-bundle.js';

/** The JSON rendering of a validation bundle. */
export interface BundleInspection {
  /** Always false: inspecting verifies nothing. */
  verified: false;
  version: number;
  size: number;
  fleetKeySet: FleetKeySetJson & { digest: string; size: number };
  statement: {
    ciphersuite: number;
    namespace: string;
    epoch: string;
    /** Milliseconds, decimal, and ISO 8601 when representable. */
    timestamp: string;
    time: string | null;
    digest: string;
    /** Whether `digest` is SHA-256 of the carried fleet key set. */
    digestMatches: boolean;
  };
  witness: { keyId: number; signature: string };
  operator: { keyId: string; countersignature: string };
  proof: {
    index: string;
    hashes: string[];
    checkpoint: { origin: string; size: string; rootHash: string; signers: string[]; text: string };
  };
}

/**
 * Decodes a validation bundle strictly and renders every part for people.
 *
 * @throws MalformedError as `decodeValidationBundle`.
 */
export function inspectValidationBundle(bytes: Uint8Array): BundleInspection {
  const { bundle, fleetKeySet, statement, checkpoint } = parseValidationBundle(bytes);
  const digest = fleetKeySetDigest(bundle.fleetKeySet);
  const ms = statement.timestamp;
  const note = parseNote(bundle.proof.checkpoint);
  return {
    verified: false,
    version: bundle.version,
    size: bytes.length,
    fleetKeySet: {
      ...fleetKeySetToJson(fleetKeySet),
      digest: hexEncode(digest),
      size: bundle.fleetKeySet.length,
    },
    statement: {
      ciphersuite: statement.ciphersuite,
      namespace: statement.namespace,
      epoch: statement.epoch.toString(),
      timestamp: ms.toString(),
      time: ms <= 8_640_000_000_000_000n ? isoTime(Number(ms)) : null,
      digest: hexEncode(statement.digest),
      digestMatches: hexEncode(statement.digest) === hexEncode(digest),
    },
    witness: { keyId: bundle.witnessKeyId, signature: hexEncode(bundle.witnessSignature) },
    operator: {
      keyId: bundle.operatorKeyId.toString(16).padStart(8, '0'),
      countersignature: hexEncode(bundle.countersignature),
    },
    proof: {
      index: bundle.proof.index.toString(),
      hashes: bundle.proof.hashes.map(hexEncode),
      checkpoint: {
        origin: checkpoint!.origin,
        size: checkpoint!.size.toString(),
        rootHash: hexEncode(checkpoint!.rootHash),
        signers: note.signatures.map((s) => s.name),
        text: bundle.proof.checkpoint,
      },
    },
  };
}
