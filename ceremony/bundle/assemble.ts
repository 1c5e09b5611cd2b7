/**
 * Putting a validation bundle together from what the ceremony produced (the fleet key set bytes,
 * the witness's signed statement, the operator counter-signature, the witness log's C2SP
 * tlog-proof), and turning a bundle's proof back into C2SP tlog-proof text for log tools.
 *
 * Portable: no `node:` imports.
 */
import { UsageError } from '../errors.js';
import { statementKeyId } from '../statement/index.js';
import { formatTlogProof, parseTlogProof } from '../tlog/index.js';
import type { TlogProof } from '../tlog/index.js';
import { operatorKeyId } from './operator-key.js';
import type { OperatorKeyAlgorithm } from './operator-key.js';
import { encodeValidationBundle } from './validation-bundle.js';
import type { ValidationBundle } from './validation-bundle-schema.js';

/** The parts of a validation bundle, as the ceremony has them. */
export interface AssembleBundleInput {
  /** The encoded fleet key set (`encodeFleetKeySet`). */
  fleetKeySet: Uint8Array;
  /** The encoded witness statement over its digest. */
  statement: Uint8Array;
  /** The witness's Ed25519 signature over `statement`. */
  witnessSignature: Uint8Array;
  /** The witness statement key's 32-byte public key (gives the key id). */
  witnessPublicKey: Uint8Array;
  /** The operator's counter-signature (`countersign`). */
  countersignature: Uint8Array;
  /** The operator's counter-signing key (gives the operator key id). */
  operatorKey: { algorithm: OperatorKeyAlgorithm; publicKey: Uint8Array };
  /** The witness log's inclusion proof of the statement's entry: C2SP tlog-proof text, or parsed. */
  tlogProof: string | Uint8Array | TlogProof;
}

/**
 * Builds and encodes a validation bundle (checked with every rule of `decodeValidationBundle`;
 * nothing is verified against trust anchors: run `verifyValidationBundle` on the result).
 *
 * @throws UsageError `BUNDLE_PROOF_EXTRA_UNSUPPORTED` (a tlog-proof with an `extra` line), the
 *   codes of `encodeValidationBundle`, `STATEMENT_KEY_INVALID`; MalformedError from
 *   `parseTlogProof` for proof text that does not parse.
 */
export function assembleValidationBundle(input: AssembleBundleInput): Uint8Array {
  const proof =
    typeof input.tlogProof === 'string' || input.tlogProof instanceof Uint8Array
      ? parseTlogProof(input.tlogProof)
      : input.tlogProof;
  if (proof.extra !== undefined && proof.extra.length > 0) {
    throw new UsageError('BUNDLE_PROOF_EXTRA_UNSUPPORTED', 'tlogProof.extra: bundles carry no extra data', {
      field: 'tlogProof.extra',
    });
  }
  return encodeValidationBundle({
    fleetKeySet: input.fleetKeySet,
    statement: input.statement,
    witnessSignature: input.witnessSignature,
    witnessKeyId: statementKeyId(input.witnessPublicKey),
    countersignature: input.countersignature,
    operatorKeyId: operatorKeyId(input.operatorKey.algorithm, input.operatorKey.publicKey),
    proof: { index: proof.index, hashes: proof.proof, checkpoint: proof.checkpoint },
  });
}

/**
 * The bundle's inclusion proof as C2SP tlog-proof text (c2sp.org/tlog-proof), e.g. for
 * `fleet-ceremony log` tools or another verifier.
 *
 * @throws MalformedError from `parseNote`/`parseCheckpoint` if the checkpoint does not parse.
 */
export function validationBundleTlogProof(bundle: ValidationBundle): string {
  return formatTlogProof({
    index: bundle.proof.index,
    proof: bundle.proof.hashes,
    checkpoint: bundle.proof.checkpoint,
  });
}
