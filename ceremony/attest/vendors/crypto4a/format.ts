/**
 * `crypto4a-qasm`: Crypto4A QASM attestation messages (docs/attestation-vendors.md).
 *
 * Evidence: `statement` is the DER attestation message (the base64 body of the
 * `ATTESTATION MESSAGE` PEM block); `chain` must be empty: the message carries its certificates.
 *
 * Checks: the message and its claims parse (./message.ts, ./claims.ts); every signer's signature
 * over the claims verifies (ECDSA P-384 and HSS/LMS, ./signers.ts) and its certificate chains to a
 * pinned root through the attached certificates, at `options.now` or, with
 * `validateAtAttestationTime`, at the attestation-time claim. The message attaches its CA
 * certificates once per signer: byte-identical copies count as one. Claims required: serial,
 * firmware, attestation time, certified production, and for the one key whose SPKI is claimed:
 * class private key, hardware-generated, never extracted, confined.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes, hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import { challengeFailures, failedResult, finish, keyPropertyFailures, pathOf } from '../../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../../types.js';
import { parseCertificate } from '../../x509/certificate.js';
import { verifyChain } from '../../x509/chain.js';
import { derTime } from '../../x509/der-values.js';
import type { ChainVerification } from '../../x509/chain.js';
import {
  checkTime,
  describeMalformed,
  parseTrustedRoots,
  selfContainedStatement,
  signerPath,
} from '../../x509/evidence.js';
import { keyAlgorithmName, parseSpki } from '../../x509/spki.js';
import type { Claim, ClaimValue } from './claims.js';
import { CLAIM, CLASS_PRIVATE_KEY, readClaims } from './claims.js';
import { parseC4aMessage } from './message.js';
import { HSS_OID, checkSigner } from './signers.js';

/** The format id. */
export const CRYPTO4A_FORMAT = 'crypto4a-qasm';
const SIGNER_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.3.2': 'ecdsa-sha256',
  '1.2.840.10045.4.3.3': 'ecdsa-sha384',
  '1.2.840.10045.4.3.4': 'ecdsa-sha512',
  [HSS_OID]: 'hss-lms',
};

function uuid(v: ClaimValue | undefined): string {
  if (v === undefined || !('bytes' in v) || v.bytes.length !== 16) return '';
  const h = hexEncode(v.bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function text(claims: readonly Claim[], type: string): string | undefined {
  const v = claims.find((c) => c.type === type && c.subject === undefined)?.value;
  return v !== undefined && 'text' in v ? v.text : undefined;
}

async function verify(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  let parsed;
  try {
    const statement = selfContainedStatement(evidence, 'the message carries its certificates');
    const message = parseC4aMessage(statement);
    const claims = readClaims(message.claims);
    const signerCerts = message.signers.map((s, i) =>
      parseCertificate(s.certificate, `statement.signers[${i}].certificate`),
    );
    const unique = message.certificates.filter(
      (c, i) => message.certificates.findIndex((d) => equalBytes(c, d)) === i,
    );
    const attached = unique.map((c, i) => parseCertificate(c, `statement.certificates[${i}]`));
    const timeClaim = claims.find((c) => c.type === CLAIM.attestationTime && c.subject === undefined)?.value;
    if (timeClaim === undefined || !('time' in timeClaim))
      throw new MalformedError('ATTEST_MALFORMED', 'no attestation-time claim', { field: 'claims' });
    const time = Uint8Array.from(timeClaim.time, (ch) => ch.charCodeAt(0));
    const attestedAt = derTime({ tag: 0x18, content: time, bytes: time }, 'claims.attestationTime');
    const spkiClaims = claims.filter((c) => c.type === CLAIM.keySpki);
    if (spkiClaims.length !== 1)
      throw new MalformedError('ATTEST_MALFORMED', 'want exactly one key-spki claim', { field: 'claims' });
    const spkiValue = spkiClaims[0]!.value;
    if (spkiValue === undefined || !('bytes' in spkiValue) || spkiClaims[0]!.subject === undefined) {
      throw new MalformedError('ATTEST_MALFORMED', 'the key-spki claim has no SPKI or no subject', {
        field: 'claims',
      });
    }
    parseSpki(spkiValue.bytes, 'claims.keySpki');
    parsed = {
      message,
      claims,
      signerCerts,
      attached,
      attestedAt,
      spki: spkiValue.bytes,
      object: spkiClaims[0]!.subject,
    };
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    return failedResult(CRYPTO4A_FORMAT, options.now, 'ATTEST_MALFORMED', describeMalformed(e));
  }
  const { message, claims, signerCerts, attached, attestedAt, spki, object } = parsed;
  const { at, timeSource } = checkTime(options, attestedAt);
  const failures: AttestationFailure[] = [];
  const roots = parseTrustedRoots(options.trustedRoots).roots;
  let first: ChainVerification | undefined;
  let firstSigned = false;
  for (const [i, signer] of message.signers.entries()) {
    const signed = await checkSigner(signer, signerCerts[i]!, message.claimsDer, i, failures);
    const chain = await verifyChain(signerCerts[i]!, attached, { roots, at });
    for (const f of chain.failures) failures.push({ code: f.code, reason: `signer ${i}: ${f.reason}` });
    if (i === 0) [first, firstSigned] = [chain, signed];
  }
  const about = (type: string): Claim | undefined =>
    claims.find((c) => c.type === type && c.subject !== undefined && equalBytes(c.subject, object));
  const cls = about(CLAIM.objectClass)?.value;
  if (cls === undefined || !('uint' in cls) || cls.uint !== CLASS_PRIVATE_KEY) {
    failures.push(
      failure('ATTEST_ATTRIBUTE_MISMATCH', 'the attested object is not claimed to be a private key'),
    );
  }
  const serial = text(claims, CLAIM.serial);
  const firmware = text(claims, CLAIM.firmware);
  if (serial === undefined) failures.push(failure('ATTEST_EXTENSION_MISSING', 'no qasm-serial claim'));
  if (firmware === undefined)
    failures.push(failure('ATTEST_EXTENSION_MISSING', 'no qasm-firmware-version claim'));
  if (
    !claims.some(
      (c) => c.type === CLAIM.certifiedProduction && c.subject === undefined && c.value === undefined,
    )
  ) {
    failures.push(
      failure('ATTEST_EXTENSION_MISSING', 'no qasm-certified-production claim: not a production HSM'),
    );
  }
  const generated = about(CLAIM.hardwareGenerated) !== undefined;
  const confined = about(CLAIM.confined) !== undefined;
  const neverExtracted = about(CLAIM.neverExtracted) !== undefined;
  const facts = {
    origin: generated ? ('generated' as const) : ('unknown' as const),
    exportable: confined && neverExtracted ? false : undefined,
  };
  failures.push(...keyPropertyFailures(facts, generated ? '' : 'no key-is-hardware-generated claim'));
  failures.push(...challengeFailures(options.expectedChallenge, 'unsupported'));
  return finish({
    format: CRYPTO4A_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Crypto4A',
    model: 'QASM',
    serial: serial ?? '',
    firmware: firmware ?? '',
    publicKey: { spki, sha256: sha256(spki) },
    ...facts,
    attributes: {
      qasmUuid: uuid(claims.find((c) => c.type === CLAIM.qasmUuid && c.subject === undefined)?.value),
      object: uuid({ bytes: object }),
      attestationTime: attestedAt.toISOString(),
      algorithm: keyAlgorithmName(parseSpki(spki, 'claims.keySpki')),
      signers: message.signers.map((s) => SIGNER_NAMES[s.algorithm.oid] ?? s.algorithm.oid).join(', '),
    },
    chain: first?.path.map((c) => c.subject) ?? [],
    // The first signer's certificate signed the claims: its path, as `chain`.
    ...pathOf(first === undefined || !firstSigned ? undefined : signerPath(first, 0)),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

/** Crypto4A QASM attestation messages. */
export const crypto4aFormat: AttestationFormat = { id: CRYPTO4A_FORMAT, verify };
