/**
 * Verification of `pkcs11-attributes/v1` evidence (docs/attestation-pkcs11-attributes.md §4), in
 * order: envelope (format id, empty chain), strict decoding, public key, key policy, challenge,
 * proof of possession. Every failed check is recorded with its own code and reason; `ok` is true
 * only when there is none. Bad evidence never throws: it yields a result with failures.
 *
 * The assurance level is always `pkcs11-attributes`: the attributes are the token's own report,
 * unsigned by any vendor key, so a verifier learns what the token software said and that the
 * statement's producer could sign with the key (for sign keys), nothing more.
 *
 * Portable: no `node:` imports.
 */
import { hexEncode } from '../../codec/index.js';
import { checkPublicKey, ed25519, encodeSpki, p256, sha256 } from '../../crypto/index.js';
import { isCeremonyError } from '../../errors.js';
import { challengeFailures, failedResult } from '../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../types.js';
import { decodePkcs11AttributesStatement } from './decode.js';
import type { DecodedPkcs11Statement } from './decode.js';
import { checkKeyPolicy, keyExportable, keyOrigin } from './policy.js';
import { PKCS11_ATTRIBUTES_FORMAT, pkcs11AttributesPopMessage } from './statement.js';
import type { Pkcs11KeyFacts } from './statement.js';

/** Why the attested public key is unusable (ceremony/crypto's checks), or undefined when valid. */
function publicKeyProblem(key: Pkcs11KeyFacts): string | undefined {
  try {
    checkPublicKey(key.algorithm, key.publicKey, 'statement.body.key.publicKey');
    return undefined;
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    return e.message;
  }
}

/** The statement's facts as text, for reports (`AttestationResult.attributes`). */
function reportAttributes(d: DecodedPkcs11Statement): Record<string, string> {
  const { token, key, time, pop } = d.body;
  const out: Record<string, string> = {
    tokenLabel: token.label,
    hardwareVersion: token.hardwareVersion,
    keyLabel: key.label,
    keyId: hexEncode(key.id),
    keyType: `0x${key.keyType.toString(16)}`,
    time: new Date(time).toISOString(),
    pop,
  };
  for (const [name, value] of Object.entries(key.attributes)) {
    out[name] =
      value === null ? 'not reported' : typeof value === 'number' ? `0x${value.toString(16)}` : String(value);
  }
  return out;
}

function checkPop(d: DecodedPkcs11Statement, keyOk: boolean): AttestationFailure[] {
  const { body, signature } = d;
  const canSign = body.key.attributes.CKA_SIGN === true;
  if (body.pop === 'none') {
    if (signature !== null)
      return [{ code: 'ATTEST_POP_UNEXPECTED', reason: 'pop is "none" but a signature is present' }];
    if (canSign)
      return [
        {
          code: 'ATTEST_POP_MISSING',
          reason: 'the key can sign (CKA_SIGN) but gives no proof of possession',
        },
      ];
    return [];
  }
  if (signature === null)
    return [{ code: 'ATTEST_POP_MISSING', reason: 'pop is "signature" but no signature is present' }];
  if (!canSign)
    return [
      { code: 'ATTEST_POP_UNEXPECTED', reason: 'a proof-of-possession signature by a key without CKA_SIGN' },
    ];
  if (!keyOk) return [];
  const message = pkcs11AttributesPopMessage(d.bodyBytes, body.challenge);
  const valid =
    body.key.algorithm === 'ed25519'
      ? ed25519.verify(body.key.publicKey, message, signature)
      : p256.verify(body.key.publicKey, message, signature);
  return valid
    ? []
    : [
        {
          code: 'ATTEST_POP_INVALID',
          reason: `the proof-of-possession signature does not verify with the attested ${body.key.algorithm} key`,
        },
      ];
}

/**
 * Verifies one `pkcs11-attributes/v1` attestation.
 *
 * @param evidence - `format` must be `pkcs11-attributes/v1` and `chain` empty
 * @param options - `expectedChallenge` is compared when given; `trustedRoots` are not used (there
 *   is no chain); `now` (or the statement's time with `validateAtAttestationTime`) is reported
 * @returns the normalised result; never throws for bad evidence
 */
export function verifyPkcs11Attributes(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): AttestationResult {
  const failures: AttestationFailure[] = [];
  if (evidence.format !== PKCS11_ATTRIBUTES_FORMAT) {
    failures.push({
      code: 'ATTEST_FORMAT_MISMATCH',
      reason: `format is '${evidence.format}', want '${PKCS11_ATTRIBUTES_FORMAT}'`,
    });
  }
  if (evidence.chain.length > 0) {
    failures.push({
      code: 'ATTEST_CHAIN_EXTRA_CERTIFICATE',
      reason: `a pkcs11-attributes statement has no chain; got ${evidence.chain.length} certificate(s)`,
    });
  }
  let d: DecodedPkcs11Statement;
  try {
    d = decodePkcs11AttributesStatement(evidence.statement);
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    const where = e.field !== undefined && !e.message.includes(e.field) ? `${e.field}: ` : '';
    return failedResult(
      PKCS11_ATTRIBUTES_FORMAT,
      options.now,
      'ATTEST_MALFORMED',
      `${where}${e.message} [${e.code}]`,
      {
        level: 'pkcs11-attributes',
        earlier: failures,
      },
    );
  }
  const { body } = d;
  const keyProblem = publicKeyProblem(body.key);
  const keyOk = keyProblem === undefined;
  if (!keyOk) failures.push({ code: 'ATTEST_PUBLIC_KEY_INVALID', reason: keyProblem });
  failures.push(...checkKeyPolicy(body.key));
  failures.push(...challengeFailures(options.expectedChallenge, body.challenge));
  failures.push(...checkPop(d, keyOk));
  const usages = [
    ...(body.key.attributes.CKA_SIGN === true ? ['sign'] : []),
    ...(body.key.attributes.CKA_DERIVE === true ? ['derive'] : []),
  ];
  let publicKey: AttestationResult['publicKey'];
  if (keyOk) {
    const spki = encodeSpki(body.key.algorithm, body.key.publicKey);
    publicKey = { spki, sha256: sha256(spki) };
  }
  return {
    ok: failures.length === 0,
    format: PKCS11_ATTRIBUTES_FORMAT,
    level: 'pkcs11-attributes',
    vendor: body.token.manufacturer,
    model: body.token.model,
    serial: body.token.serial,
    firmware: body.token.firmwareVersion,
    ...(publicKey === undefined ? {} : { publicKey }),
    origin: keyOrigin(body.key),
    exportable: keyExportable(body.key),
    sensitive: body.key.attributes.CKA_SENSITIVE ?? undefined,
    usages,
    challenge: body.challenge,
    attributes: reportAttributes(d),
    chain: [],
    ...(options.validateAtAttestationTime === true
      ? { verificationTime: new Date(body.time), verificationTimeSource: 'attestation' as const }
      : { verificationTime: options.now, verificationTimeSource: 'now' as const }),
    failures,
  };
}

/** The `pkcs11-attributes/v1` plug-in for the attestation registry. */
export const pkcs11AttributesFormat: AttestationFormat = {
  id: PKCS11_ATTRIBUTES_FORMAT,
  verify: (evidence, options) => Promise.resolve().then(() => verifyPkcs11Attributes(evidence, options)),
};
