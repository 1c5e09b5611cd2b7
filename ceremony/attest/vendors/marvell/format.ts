/**
 * `marvell-liquidsecurity`: key attestations of Marvell (Cavium) LiquidSecurity HSM partitions, as
 * Google Cloud HSM and Azure Managed HSM produce them (docs/attestation-vendors.md).
 *
 * Checks, each failure collected: the blob parses with every length consistent (./blob.ts); its
 * RSA PKCS#1 v1.5 SHA-256 signature verifies under both partition certificates; both chains verify
 * to pinned roots and agree (./chains.ts); the private key's public half rebuilt from the
 * attributes matches the blob's check values (./key.ts); policy: `OBJ_ATTR_LOCAL` (generated in the
 * HSM), `OBJ_ATTR_EXTRACTABLE` false and `OBJ_ATTR_NEVER_EXTRACTABLE` true, `OBJ_ATTR_SENSITIVE`
 * and `OBJ_ATTR_ALWAYS_SENSITIVE` true.
 *
 * The blob carries no time: `verificationTime` is always `options.now`, and
 * `validateAtAttestationTime` has no effect (pin the 2024 reissue of the Marvell root, valid to 2034).
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import { challengeFailures, failedResult, finish, pathOf } from '../../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../../types.js';
import type { ParsedCertificate } from '../../x509/certificate.js';
import { describeMalformed, parseTrustedRoots, parseX509Evidence } from '../../x509/evidence.js';
import { verifySignature } from '../../x509/signature.js';
import { parseMarvellBlob } from './blob.js';
import { verifyMarvellChains } from './chains.js';
import { CHAIN_ROLES, MARVELL_FORMAT, checkMarvellEvidence } from './evidence.js';
import type { MarvellKey } from './key.js';
import { readAttestedKey } from './key.js';

const SHA256_WITH_RSA = { oid: '1.2.840.113549.1.1.11' };
const PARTITION_CN = /CN=HSM:([A-Za-z0-9.-]+):PARTN:(\d+)\\?,? ?(.*)$/;
const CARD_CN = /CN=HSM:([A-Za-z0-9.-]+)(?:\\,|$)/;

/** The policy failures of the attested key, each naming the attribute that decides it. */
function keyFailures(key: MarvellKey): AttestationFailure[] {
  const out: AttestationFailure[] = [];
  if (!key.local)
    out.push(
      failure('ATTEST_KEY_IMPORTED', 'OBJ_ATTR_LOCAL is 0: the key was imported, not generated in the HSM'),
    );
  if (key.extractable)
    out.push(failure('ATTEST_KEY_EXPORTABLE', 'OBJ_ATTR_EXTRACTABLE is 1: the key may be wrapped out'));
  if (!key.neverExtractable) {
    out.push(
      failure(
        'ATTEST_KEY_EXPORTABLE',
        'OBJ_ATTR_NEVER_EXTRACTABLE is 0: the key was extractable at some time',
      ),
    );
  }
  if (!key.sensitive)
    out.push(failure('ATTEST_KEY_NOT_SENSITIVE', 'OBJ_ATTR_SENSITIVE is 0: the key value may be read'));
  if (!key.alwaysSensitive) {
    out.push({
      code: 'ATTEST_KEY_WAS_NOT_SENSITIVE',
      reason: 'OBJ_ATTR_ALWAYS_SENSITIVE is 0: the key was readable at some time',
    });
  }
  return out;
}

/** HSM serial and partition from the certificate subjects. */
function identity(
  partition: ParsedCertificate,
  card: ParsedCertificate,
  failures: AttestationFailure[],
): { serial: string; partition: string; mode: string } {
  const p = PARTITION_CN.exec(partition.subject);
  const c = CARD_CN.exec(card.subject);
  if (p === null || c === null) {
    failures.push({
      code: 'ATTEST_ATTRIBUTE_MISSING',
      reason: 'the partition and card certificates do not name the HSM serial (CN=HSM:…)',
    });
    return { serial: '', partition: '', mode: '' };
  }
  if (p[1] !== c[1]) {
    failures.push(
      failure(
        'ATTEST_ATTRIBUTE_MISMATCH',
        `the partition certificate names HSM ${p[1]}, the card certificate ${c[1]}`,
      ),
    );
  }
  return { serial: p[1]!, partition: p[2]!, mode: p[3]!.replace(/^for /, '') };
}

async function verify(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  const at = options.now;
  let certs: [ParsedCertificate, ParsedCertificate, ParsedCertificate, ParsedCertificate];
  let blob;
  let key: MarvellKey;
  const failures: AttestationFailure[] = [];
  try {
    checkMarvellEvidence(evidence);
    const { leaf, intermediates } = parseX509Evidence({
      ...evidence,
      statement: evidence.chain[0]!,
      chain: evidence.chain.slice(1),
    });
    certs = [leaf, ...intermediates] as typeof certs;
    blob = parseMarvellBlob(evidence.statement);
    key = readAttestedKey(blob.objects, failures);
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    return failedResult(MARVELL_FORMAT, at, 'ATTEST_MALFORMED', describeMalformed(e));
  }
  const signed: boolean[] = [];
  for (const i of [0, 2]) {
    const check = await verifySignature(SHA256_WITH_RSA, certs[i]!.spki, blob.signedData, blob.signature);
    signed.push(check.ok);
    if (!check.ok)
      failures.push(
        failure(check.code, `the blob's signature under the ${CHAIN_ROLES[i]} key: ${check.reason}`),
      );
  }
  const chains = await verifyMarvellChains(certs, parseTrustedRoots(options.trustedRoots).roots, at);
  failures.push(...chains.failures);
  const id = identity(certs[0], certs[1], failures);
  failures.push(...keyFailures(key), ...challengeFailures(options.expectedChallenge, 'unsupported'));
  return finish({
    format: MARVELL_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Marvell',
    model: 'LiquidSecurity',
    serial: id.serial,
    firmware: '',
    publicKey: { spki: key.spki, sha256: sha256(key.spki) },
    origin: key.local ? 'generated' : 'imported',
    exportable: key.extractable || !key.neverExtractable,
    // SENSITIVE alone, as every format reports it: whether the key was always sensitive is a
    // failure of its own (ATTEST_KEY_WAS_NOT_SENSITIVE), and whether it was imported is `origin`.
    sensitive: key.sensitive,
    usages: key.usages,
    attributes: {
      algorithm: key.algorithm,
      label: key.label,
      handle: String(key.handle),
      partition: id.partition,
      mode: id.mode,
      acceptedDeviations: chains.acceptedDeviations.map((d) => `${d.deviation} (${d.subject})`).join('; '),
    },
    chain: chains.subjects,
    // The manufacturer path, when the blob verified under its partition key.
    ...pathOf(signed[0] === true ? chains.manufacturerPath : undefined),
    verificationTime: at,
    verificationTimeSource: 'now',
    failures,
  });
}

/** Marvell LiquidSecurity key attestations (Google Cloud HSM, Azure Managed HSM). */
export const marvellFormat: AttestationFormat = { id: MARVELL_FORMAT, verify };
