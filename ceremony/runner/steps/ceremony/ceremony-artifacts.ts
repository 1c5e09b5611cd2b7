/**
 * Reading back what the earlier steps saved in the working directory, for the steps that put it
 * together (the validation bundle, the evidence package): the fleet key set, the attestations,
 * the identity chains, the witness's answer and the counter-signature.
 */
import type { KeyAttestation } from '../../../attest/index.js';
import { assembleValidationBundle } from '../../../bundle/index.js';
import { hexDecode, pemDecodeAll, utf8Decode } from '../../../codec/index.js';
import type { CeremonyScript } from '../../script/types.js';
import { ARTIFACTS, readArtifact, requireArtifact } from './artifacts.js';
import { readAttestationFile } from './collect-attestations.js';

/** Everything the witness and the operator produced, as saved. */
export interface SignedParts {
  fleetKeySet: Uint8Array;
  statement: Uint8Array;
  witnessSignature: Uint8Array;
  witnessPublicKey: Uint8Array;
  tlogProof: string;
  countersignature: Uint8Array;
}

/**
 * The saved fleet key set, witness answer and counter-signature.
 * @throws UsageError `CEREMONY_ARTIFACT_MISSING` naming the step that writes a missing one.
 */
export function signedParts(workdir: string): SignedParts {
  return {
    fleetKeySet: requireArtifact(workdir, ARTIFACTS.fleetKeySet, 'assemble-key-set'),
    statement: requireArtifact(workdir, ARTIFACTS.statement, 'witness-submit'),
    witnessSignature: requireArtifact(workdir, ARTIFACTS.statementSignature, 'witness-submit'),
    witnessPublicKey: hexDecode(
      utf8Decode(requireArtifact(workdir, ARTIFACTS.witnessKey, 'witness-submit')).trim(),
      ARTIFACTS.witnessKey,
      32,
    ),
    tlogProof: utf8Decode(requireArtifact(workdir, ARTIFACTS.tlogProof, 'witness-submit')),
    countersignature: requireArtifact(workdir, ARTIFACTS.countersignature, 'countersign'),
  };
}

/** The validation bundle of the saved parts, with the operator key given. */
export function bundleOf(
  parts: SignedParts,
  operatorKey: { algorithm: 'ed25519' | 'p256'; publicKey: Uint8Array },
): Uint8Array {
  return assembleValidationBundle({
    fleetKeySet: parts.fleetKeySet,
    statement: parts.statement,
    witnessSignature: parts.witnessSignature,
    witnessPublicKey: parts.witnessPublicKey,
    countersignature: parts.countersignature,
    operatorKey,
    tlogProof: parts.tlogProof,
  });
}

/**
 * The saved attestation of every fleet key of the script, by key id.
 * @throws UsageError `CEREMONY_ARTIFACT_MISSING`.
 */
export function savedAttestations(
  workdir: string,
  script: CeremonyScript,
): { keyId: string; attestation: KeyAttestation }[] {
  return script.keys.map((k) => {
    const attestation = readAttestationFile(workdir, k.label);
    if (attestation === undefined)
      requireArtifact(workdir, ARTIFACTS.attestation(k.label), 'collect-attestations');
    return { keyId: k.label, attestation: attestation! };
  });
}

/** The saved identity chains (DER, device first), by HSM id; HSMs without one are left out. */
export function savedChains(workdir: string, script: CeremonyScript): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  for (const h of script.hsms) {
    const pem = readArtifact(workdir, ARTIFACTS.identityChain(h.id));
    if (pem !== undefined)
      out.set(
        h.id,
        pemDecodeAll(utf8Decode(pem), 'CERTIFICATE').map((b) => b.der),
      );
  }
  return out;
}
