/**
 * Every fleet key's attestation (docs/evidence.md, "Attestations"), one check per key: the
 * statement file's SHA-256 is the key's `attestationDigest` in the witness-signed fleet key set;
 * it verifies (`verifyAttestation`) to a vendor root pinned in the trust file, carrying the
 * ceremony nonce as its challenge (formats that cannot carry one are bound through the expected key
 * alone); the policy holds (`checkAttestationPolicy`: production refuses emulated evidence; the key
 * was generated in the device and cannot leave it; the attested key is this fleet key and the
 * device serial is this HSM's); and its level is the one the fleet key set states.
 *
 * Portable: no `node:` imports.
 */
import { checkAttestationPolicy, verifyAttestation } from '../attest/index.js';
import type { AttestationFailure, AttestationResult } from '../attest/index.js';
import type { FleetHsm, FleetKey, FleetKeySet, Trust } from '../bundle/index.js';
import { attestationRoots } from '../bundle/trust.js';
import { equalBytes, hexDecode, hexEncode, pemDecodeAll } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { VerificationError } from '../errors.js';
import { attestationPaths } from './layout.js';
import type { CheckRecorder } from './report.js';

/** How one key's attestation fared. */
export interface AttestationFact {
  keyId: string;
  hsmId: string;
  format: string;
  result?: AttestationResult;
  ok: boolean;
}

/** Options of {@link attestationSteps}. */
export interface AttestationStepOptions {
  profile: 'production' | 'rehearsal';
  /** The time certificates are judged at. */
  at: Date;
  /** The ceremony nonce, hex. */
  nonce: string;
  /** The stated format of each key's attestation. */
  formats: ReadonlyMap<string, string>;
}

/** Attestations verified at once (WebCrypto work runs on the thread pool). */
const CONCURRENCY = 8;

/** Reads a chain file: PEM CERTIFICATE blocks in their one strict form; an empty file is no chain. */
export function readChainFile(bytes: Uint8Array, file: string): Uint8Array[] {
  if (bytes.length === 0) return [];
  try {
    return pemDecodeAll(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'CERTIFICATE', {
      field: file,
    }).map((b) => b.der);
  } catch (cause) {
    throw new VerificationError(
      'EVIDENCE_CHAIN_MALFORMED',
      `not strict PEM CERTIFICATE blocks (${cause instanceof Error ? cause.message : String(cause)})`,
      { file, cause },
    );
  }
}

async function checkKey(
  files: ReadonlyMap<string, Uint8Array>,
  k: FleetKey,
  hsm: FleetHsm | undefined,
  roots: Uint8Array[],
  trust: Trust,
  o: AttestationStepOptions,
  fact: AttestationFact,
): Promise<{ reason: string }> {
  const paths = attestationPaths(k.hsmId, k.keyId);
  const statement = files.get(paths.statement);
  const chainBytes = files.get(paths.chain);
  if (statement === undefined || chainBytes === undefined) {
    throw new VerificationError('EVIDENCE_FILE_MISSING', `missing: the attestation of key ${k.keyId}`, {
      file: statement === undefined ? paths.statement : paths.chain,
    });
  }
  if (!equalBytes(sha256(statement), k.attestationDigest)) {
    throw new VerificationError(
      'EVIDENCE_ATTESTATION_DIGEST_MISMATCH',
      `SHA-256 ${hexEncode(sha256(statement))} is not the key's attestationDigest ${hexEncode(k.attestationDigest)} in the witness-signed fleet key set`,
      { file: paths.statement },
    );
  }
  const chain = readChainFile(chainBytes, paths.chain);
  if (fact.format === '') {
    throw new VerificationError(
      'EVIDENCE_ATTESTATION_FORMAT_MISSING',
      `the manifest states no attestation format for key ${k.keyId}`,
      { file: 'manifest.json', field: '$.attestations' },
    );
  }
  const result = await verifyAttestation(
    { format: fact.format, statement, chain },
    {
      trustedRoots: roots,
      now: o.at,
      expectedChallenge: hexDecode(o.nonce, 'nonce', 32),
      validateAtAttestationTime: trust.attestation.validateAtAttestationTime,
    },
  );
  fact.result = result;
  // A format that cannot carry a challenge is bound to the ceremony by the expected key alone.
  const noChallenge = result.failures.some((f) => f.code === 'ATTEST_CHALLENGE_UNSUPPORTED');
  const failures: AttestationFailure[] = result.failures.filter(
    (f) => f.code !== 'ATTEST_CHALLENGE_UNSUPPORTED',
  );
  failures.push(
    ...checkAttestationPolicy(result, {
      profile: o.profile,
      expectedPublicKey: { algorithm: k.algorithm, publicKey: k.publicKey },
      ...(hsm === undefined ? {} : { expectedSerial: hsm.serial }),
    }),
  );
  if (hsm !== undefined && result.level !== hsm.attestationLevel) {
    failures.push({
      code: 'EVIDENCE_ATTESTATION_LEVEL_MISMATCH',
      reason: `the attestation is of level ${result.level}, the fleet key set says ${hsm.attestationLevel}`,
    });
  }
  if (failures.length > 0) {
    throw new VerificationError(failures[0]!.code, failures.map((f) => `${f.code}: ${f.reason}`).join('; '), {
      file: paths.statement,
    });
  }
  fact.ok = true;
  const device = [result.vendor, result.model, `serial ${result.serial}`].filter((x) => x !== '').join(' ');
  return {
    reason: `${fact.format}, level ${result.level} (${device}); chain ${result.chain.join(' → ')}; ${timeReason(result, trust.attestation.validateAtAttestationTime)}; ${noChallenge ? 'the format carries no challenge: bound by the expected key' : 'challenge = ceremony nonce'}`,
  };
}

/** Which time the attestation was judged at, from the result's `verificationTimeSource`. */
function timeReason(result: AttestationResult, asked: boolean): string {
  const at = result.verificationTime.toISOString();
  if (result.verificationTimeSource === 'attestation')
    return `checked at ${at}, the attestation's own time (trust file validate_at_attestation_time)`;
  return asked
    ? `checked at ${at}, the time judged (the format states no time of its own)`
    : `checked at ${at}, the time judged`;
}

/** Records one `attestation:<keyId>` check per key of `ks`, in key order. */
export async function attestationSteps(
  files: ReadonlyMap<string, Uint8Array>,
  ks: FleetKeySet,
  trust: Trust,
  o: AttestationStepOptions,
  rec: CheckRecorder,
): Promise<AttestationFact[]> {
  const roots = attestationRoots(trust);
  const hsms = new Map(ks.hsms.map((h) => [h.id, h]));
  const facts: AttestationFact[] = ks.keys.map((k) => ({
    keyId: k.keyId,
    hsmId: k.hsmId,
    format: o.formats.get(k.keyId) ?? '',
    ok: false,
  }));
  const outcomes: { ok: true; reason: string }[] | unknown[] = new Array(ks.keys.length);
  let next = 0;
  const worker = async () => {
    while (next < ks.keys.length) {
      const i = next++;
      const k = ks.keys[i]!;
      try {
        outcomes[i] = {
          ok: true,
          ...(await checkKey(files, k, hsms.get(k.hsmId), roots, trust, o, facts[i]!)),
        };
      } catch (e) {
        outcomes[i] = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ks.keys.length) }, worker));
  for (const [i, k] of ks.keys.entries()) {
    const outcome = outcomes[i];
    await rec.run(
      `attestation:${k.keyId}`,
      `Key ${k.keyId} (${k.role}, ${k.algorithm}) on ${k.hsmId}: attested by its HSM`,
      () => {
        if ((outcome as { ok?: unknown }).ok === true) return outcome as { reason: string };
        throw outcome;
      },
    );
  }
  return facts;
}
