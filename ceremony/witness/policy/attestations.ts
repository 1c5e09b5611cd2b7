/**
 * Signing policy, part 2: every fleet key's attestation (docs/witness.md, "Signing policy",
 * rule 8). The submission carries one attestation per key; for each key the witness checks that
 * SHA-256 of the attestation statement is the key's `attestationDigest`, that the attestation
 * verifies under the namespace's pinned vendor roots (`verifyAttestation`), and that it meets the
 * namespace's profile (`checkAttestationPolicy`: production refuses emulated evidence; the key
 * must be generated in the device, not exportable, and be this very key on this HSM's serial).
 * Every failure of every key is reported together.
 */
import { checkAttestationPolicy, verifyAttestation } from '../../attest/index.js';
import type { AttestationFailure } from '../../attest/index.js';
import type { FleetKey, FleetKeySet } from '../../bundle/index.js';
import { equalBytes } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { refuse } from '../codes.js';
import type { NamespaceConfig } from '../config/types.js';
import type { SubmittedAttestation } from './submission.js';

/** A failure of one key, for the 422 reply. */
export interface KeyFailure {
  code: string;
  reason: string;
  field: string;
}

function matchAttestations(
  ks: FleetKeySet,
  atts: readonly SubmittedAttestation[],
): Map<string, SubmittedAttestation> {
  const keyIds = new Set(ks.keys.map((k) => k.keyId));
  const byKey = new Map<string, SubmittedAttestation>();
  atts.forEach((a, i) => {
    const field = `submission.attestations[${i}].keyId`;
    if (!keyIds.has(a.keyId))
      refuse('ATTESTATION_UNEXPECTED', field, `no key ${JSON.stringify(a.keyId)} in the fleet key set`);
    if (byKey.has(a.keyId))
      refuse('ATTESTATION_UNEXPECTED', field, `a second attestation for key ${JSON.stringify(a.keyId)}`);
    byKey.set(a.keyId, a);
  });
  ks.keys.forEach((k, i) => {
    if (!byKey.has(k.keyId)) {
      refuse(
        'ATTESTATION_MISSING',
        `fleetKeySet.keys[${i}]`,
        `no attestation submitted for key ${JSON.stringify(k.keyId)}`,
      );
    }
  });
  return byKey;
}

async function keyFailures(
  ks: FleetKeySet,
  k: FleetKey,
  att: SubmittedAttestation,
  ns: NamespaceConfig,
  now: Date,
): Promise<AttestationFailure[]> {
  const out: AttestationFailure[] = [];
  if (!equalBytes(sha256(att.statement), k.attestationDigest)) {
    out.push({
      code: 'ATTEST_DIGEST_MISMATCH',
      reason: "SHA-256 of the submitted attestation statement is not the key's attestationDigest",
    });
  }
  const hsm = ks.hsms.find((h) => h.id === k.hsmId);
  const result = await verifyAttestation(
    { format: att.format, statement: att.statement, chain: att.chain },
    { trustedRoots: ns.vendorRoots, now },
  );
  out.push(...result.failures);
  out.push(
    ...checkAttestationPolicy(result, {
      profile: ns.profile,
      expectedPublicKey: { algorithm: k.algorithm, publicKey: k.publicKey },
      ...(hsm === undefined ? {} : { expectedSerial: hsm.serial }),
    }),
  );
  if (hsm !== undefined && result.ok && result.level !== hsm.attestationLevel) {
    out.push({
      code: 'ATTEST_LEVEL_MISMATCH',
      reason: `the attestation is of level ${result.level}, the fleet key set says ${hsm.attestationLevel}`,
    });
  }
  return out;
}

/**
 * Checks the attestations of every key of `ks` under namespace `ns`.
 * @throws WitnessError `ATTESTATION_UNEXPECTED`, `ATTESTATION_MISSING` (400),
 *   `ATTESTATION_REFUSED` (422, every failure in `failures`).
 */
export async function checkAttestations(
  ks: FleetKeySet,
  atts: readonly SubmittedAttestation[],
  ns: NamespaceConfig,
  now: Date,
): Promise<void> {
  const byKey = matchAttestations(ks, atts);
  const failures: KeyFailure[] = [];
  for (const [i, k] of ks.keys.entries()) {
    for (const f of await keyFailures(ks, k, byKey.get(k.keyId)!, ns, now)) {
      failures.push({ code: f.code, reason: f.reason, field: `fleetKeySet.keys[${i}]` });
    }
  }
  if (failures.length > 0) {
    const first = failures[0]!;
    refuse(
      'ATTESTATION_REFUSED',
      first.field,
      `${failures.length} attestation check(s) failed under the ${ns.profile} profile; first: ${first.code}: ${first.reason}`,
      { failures },
    );
  }
}
